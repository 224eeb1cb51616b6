package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ruledex/internal/catalog"
	"ruledex/internal/rule"
	"ruledex/internal/site"
)

func buildCmd() *cobra.Command {
	var (
		lf         loadFlags
		out        string
		cpuprofile string
		memLimit   string
	)
	cmd := &cobra.Command{
		Use:   "build --out DIR [--attack FILE|URL] KIND=PATH...",
		Short: "Write the catalog as a static site with its JSON API",
		Long: `build reads the rulesets and writes DIR/index.html, a page and a rule.json
per rule under DIR/rules/<source>/<slug>/, indicator and ATT&CK pages, and
DIR/api/{rules,stats,indicators}.json. Problems in rule files (YAML that does
not load, queries that do not parse, undefined macros) are reported on the
rule pages and in api/stats.json; they never stop the build.`,
		Example: `  ruledex build --out site splunk=./security_content
  ruledex build --out site --attack enterprise-attack.json.gz sigma=./sigma splunk=./security_content`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("say where to write the site: --out DIR")
			}
			start := time.Now()
			if err := setMemoryLimit(memLimit); err != nil {
				return err
			}
			if cpuprofile != "" {
				stop, err := startCPUProfile(cpuprofile)
				if err != nil {
					return err
				}
				defer stop()
			}
			sets, cleanup, err := rulesets(args)
			if err != nil {
				return err
			}
			defer cleanup()
			if err := checkOut(out); err != nil {
				return err
			}
			// The output folder is made ready (an earlier site removed, the
			// rule folders created) while the rules load and join: on a
			// disk that is kernel time the join's serial parts leave room for.
			prepared := async(func() error { return prepareOut(out) })
			ruleDirs := func() error { return nil }
			lf.slugged = func(rules []*rule.Rule) {
				ruleDirs = async(func() error {
					if err := prepared(); err != nil {
						return err
					}
					return site.MakeRuleDirs(out, rules)
				})
			}
			c, err := load(cmd.Context(), sets, lf)
			if err != nil {
				// Not while the folder is half deleted or half made.
				prepared()
				ruleDirs()
				return err
			}
			if err := prepared(); err != nil {
				return err
			}
			if err := ruleDirs(); err != nil {
				return err
			}
			p := newProgress()
			p.say(fmt.Sprintf("writing %d rule pages to %s", len(c.Rules), out))
			s := site.New(c)
			files, err := s.Write(out, start)
			p.done()
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.ErrOrStderr(), summary(c, files, out, time.Since(start)))
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "", "folder to write the site into (created if missing)")
	cmd.Flags().StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile of the build to this file (for go tool pprof)")
	cmd.Flags().StringVar(&memLimit, "memory-limit", "350MiB", "soft memory limit: the garbage collector works harder as the heap nears it (\"off\" for none; GOMEMLIMIT overrides)")
	return cmd
}

// summary is build's one closing line: rules per source, problems, files,
// seconds, and which ATT&CK the pages show.
func summary(c *catalog.Catalog, files int, out string, d time.Duration) string {
	var parts []string
	problems := 0
	for _, s := range c.Sources {
		withProblems := 0
		for _, r := range s.Rules {
			if len(r.Problems) > 0 {
				withProblems++
			}
		}
		problems += withProblems
		parts = append(parts, fmt.Sprintf("%s %d", s.Kind, len(s.Rules)))
	}
	attackLabel := "ATT&CK: none (" + firstLine(c.AttackNote) + "; see problems.html)"
	if c.Attack != nil {
		attackLabel = c.Attack.Label()
	}
	return fmt.Sprintf("built %s: %d rules (%s), %d with problems (see %s/problems.html), %d files, %.2f s; %s",
		out, len(c.Rules), strings.Join(parts, ", "), problems, out, files, d.Seconds(), attackLabel)
}

// checkOut refuses an output folder that is not empty and holds no
// ruledex site (no site.Marker), before any work is done.
func checkOut(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return nil // missing (created later), empty, or an error prepareOut reports
	}
	if _, err := os.Stat(filepath.Join(dir, site.Marker)); err != nil {
		return fmt.Errorf("--out %s is not empty and holds no site of ruledex build (no %s file): give a new or empty folder", dir, site.Marker)
	}
	return nil
}

// prepareOut makes the output folder ready: a new or empty folder is used
// as is; a folder holding an earlier ruledex site (checkOut) has that site
// removed, so that no page of a rule that is gone survives. Files of other
// names beside the site are left alone.
func prepareOut(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case os.IsNotExist(err):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case len(entries) == 0:
		return nil
	}
	if err := checkOut(dir); err != nil {
		return err
	}
	for _, name := range site.Entries {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// async runs fn on its own goroutine; the returned function waits for it
// and returns its error (as often as it is called).
func async(fn func() error) func() error {
	done := make(chan struct{})
	var err error
	go func() {
		defer close(done)
		err = fn()
	}()
	return func() error {
		<-done
		return err
	}
}
