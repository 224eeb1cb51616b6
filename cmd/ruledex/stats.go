package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ruledex/internal/site"
)

func statsCmd() *cobra.Command {
	var (
		lf     loadFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "stats [--json] [KIND=PATH...]",
		Short: "Count rules, problems, parse failures and undefined macros",
		Long:  `stats builds the catalog in memory and prints what build writes to api/stats.json.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			sets, cleanup, err := rulesets(args)
			if err != nil {
				return err
			}
			defer cleanup()
			c, err := load(cmd.Context(), sets, lf)
			if err != nil {
				return err
			}
			st := site.New(c).Stats(time.Since(start))
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(st)
			}
			w := tabwriter.NewWriter(out, 0, 2, 2, ' ', 0)
			fmt.Fprintln(w, "SOURCE\tRULES\tDEPRECATED\tWITH PROBLEMS\tPARSE FAILED\tINDICATORS")
			for _, s := range st.Sources {
				fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\n", s.Source, s.Rules, s.Deprecated, s.WithProblems, s.ParseFailed, s.Indicators)
			}
			w.Flush()
			fmt.Fprintf(out, "\n%d rules, %d distinct indicators, %.2f s; ATT&CK: %s\n", st.Rules, st.Indicators, st.BuildSeconds, st.Attack.Note)
			if len(st.Problems) > 0 {
				fmt.Fprintln(out, "\nProblems by kind:")
				kinds := make([]string, 0, len(st.Problems))
				for k := range st.Problems {
					kinds = append(kinds, k)
				}
				sort.Strings(kinds)
				for _, k := range kinds {
					fmt.Fprintf(out, "  %-18s %d\n", k, st.Problems[k])
				}
			}
			if len(st.ParseFailures) > 0 {
				fmt.Fprintln(out, "\nRules whose file or query did not load or parse:")
				for _, f := range st.ParseFailures {
					fmt.Fprintf(out, "  %s %s:%d: %s\n", f.Source, f.File, f.Line, f.Reason)
				}
			}
			if len(st.UndefinedMacros) > 0 {
				fmt.Fprintln(out, "\nUndefined macros:")
				for _, u := range st.UndefinedMacros {
					fmt.Fprintf(out, "  %s `%s` used by %d rules\n", u.Source, u.Macro, len(u.Rules))
				}
			}
			for _, f := range st.FileProblems {
				fmt.Fprintf(out, "  %s %s:%d: %s\n", f.Source, f.File, f.Line, f.Message)
			}
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print api/stats.json")
	return cmd
}
