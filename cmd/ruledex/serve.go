package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"ruledex/internal/site"
)

func serveCmd() *cobra.Command {
	var (
		lf   loadFlags
		addr string
	)
	cmd := &cobra.Command{
		Use:   "serve [--addr :8080] [KIND=PATH...]",
		Short: "Serve the catalog's pages from memory",
		Long: `serve builds the catalog in memory and serves the same pages and JSON that
build writes. With no ruleset it serves ruledex's built-in examples.`,
		Example: `  ruledex serve
  ruledex serve --addr 127.0.0.1:9000 splunk=./security_content`,
		RunE: func(cmd *cobra.Command, args []string) error {
			sets, cleanup, err := rulesets(args)
			if err != nil {
				return err
			}
			c, err := load(cmd.Context(), sets, lf)
			// The catalog holds every file it needs: the extracted
			// examples go now, not when the server stops (a SIGKILL
			// would leave them behind).
			cleanup()
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			srv := &http.Server{Handler: site.New(c).Handler(), ReadHeaderTimeout: 10 * time.Second}
			url := "http://" + displayAddr(ln.Addr())
			label := "no ATT&CK bundle: " + firstLine(c.AttackNote)
			if c.Attack != nil {
				label = c.Attack.Label()
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "serving %d rules at %s (%s); Ctrl-C stops\n", len(c.Rules), url, label)

			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			go func() {
				<-ctx.Done()
				shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				srv.Shutdown(shutdown)
			}()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&addr, "addr", ":8080", "address to listen on")
	return cmd
}

// displayAddr turns a listening address into one a browser can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
