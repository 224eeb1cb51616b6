package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ruledex/internal/catalog"
	"ruledex/internal/lang/printers"
	"ruledex/internal/rule"
)

func showCmd() *cobra.Command {
	var (
		lf     loadFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "show [--json] [KIND=PATH...] RULE",
		Short: "Show one rule: stages, predicates, indicators with corpus counts, ATT&CK, events",
		Long: `show builds the catalog (so that corpus counts span every ruleset given) and
prints one rule, found by id, slug (source/slug or slug), file path, or name.`,
		Example: `  ruledex show splunk=./security_content bits_job_persistence
  ruledex show --json sigma=./sigma splunk=./security_content e97a5ffe-90bf-11eb-928a-acde48001122`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var sources []string
			var query []string
			for _, a := range args {
				if looksLikeRuleset(a) {
					sources = append(sources, a)
				} else {
					query = append(query, a)
				}
			}
			if len(query) != 1 {
				return fmt.Errorf("name one rule (by id, slug, file path or name) after the rulesets; got %d", len(query))
			}
			sets, cleanup, err := rulesets(sources)
			if err != nil {
				return err
			}
			defer cleanup()
			c, err := load(cmd.Context(), sets, lf)
			if err != nil {
				return err
			}
			rules := findRule(c, query[0])
			switch {
			case len(rules) == 0:
				return fmt.Errorf("no rule %q in %d rules: give an id, a slug, a file path relative to the ruleset, or the exact name", query[0], len(c.Rules))
			case len(rules) > 1 && !asJSON:
				var b strings.Builder
				for _, r := range rules {
					fmt.Fprintf(&b, "\n  %s/%s  %s  (%s)", r.Source, r.Slug, r.Name, r.Path)
				}
				return fmt.Errorf("%q names %d rules; pick one by source/slug:%s", query[0], len(rules), b.String())
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if len(rules) == 1 {
					return enc.Encode(rules[0])
				}
				return enc.Encode(rules)
			}
			printRule(cmd.OutOrStdout(), c, rules[0])
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the rule's rule.json instead of text")
	return cmd
}

// looksLikeRuleset tells a KIND=PATH argument from a rule query.
func looksLikeRuleset(a string) bool {
	kind, _, ok := strings.Cut(a, "=")
	if !ok {
		return false
	}
	for _, k := range catalog.Kinds() {
		if strings.EqualFold(kind, k) {
			return true
		}
	}
	return false
}

// findRule looks a rule up by id, slug or path, then by exact name.
func findRule(c *catalog.Catalog, q string) []*rule.Rule {
	if rs := c.Rule(q); len(rs) > 0 {
		return rs
	}
	var out []*rule.Rule
	for _, r := range c.Rules {
		if strings.EqualFold(r.Name, q) {
			out = append(out, r)
		}
	}
	return out
}

func printRule(w io.Writer, c *catalog.Catalog, r *rule.Rule) {
	fmt.Fprintln(w, r.Name)
	fmt.Fprintf(w, "%s · %s · %s · %s   id %s\n", r.Source, orDash(r.Type), orDash(r.Status), r.Language, r.ID)
	fmt.Fprintf(w, "file %s\n", r.Path)
	if r.Deprecated {
		fmt.Fprintln(w, "DEPRECATED")
	}
	if r.Description != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, wrap(r.Description, 100, ""))
	}

	heading(w, "ATT&CK ("+attackLabel(c)+")")
	if len(r.Attack) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, t := range r.Attack {
		tactics := strings.Join(t.Tactics, ", ")
		if tactics == "" {
			tactics = "-"
		}
		note := ""
		if t.RevokedFrom != "" {
			note = " (rule says " + t.RevokedFrom + ", revoked)"
		} else if t.Note != "" {
			note = " (" + t.Note + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s%s\n", t.ID, t.Name, tactics, note)
	}
	for _, t := range r.Tactics {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", t.Written, t.Name, t.Kind, t.Note)
	}
	tw.Flush()

	heading(w, "Events")
	if len(r.Events) == 0 {
		fmt.Fprintln(w, "  (no Windows event implied)")
	}
	tw = tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, e := range r.Events {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", e.Provider, e.EventID, e.Title, e.Via)
	}
	tw.Flush()
	if len(r.DataNeeds) > 0 {
		fmt.Fprintf(w, "  data: %s\n", strings.Join(r.DataNeeds, "; "))
	}
	if r.Splunk != nil {
		for _, d := range r.Splunk.DataSources {
			if d.Defined {
				fmt.Fprintf(w, "  data source %q: source=%s sourcetype=%s\n", d.Name, d.Source, d.Sourcetype)
			} else {
				fmt.Fprintf(w, "  data source %q (not defined in data_sources/)\n", d.Name)
			}
		}
	}

	heading(w, "Stages")
	for _, st := range r.Stages {
		label := ""
		if st.Label != "" {
			label = " " + st.Label
		}
		fmt.Fprintf(w, "  %d %s%s [%s]\n", st.Index, st.Command, label, st.Role)
		fmt.Fprintln(w, indent(strings.TrimSpace(st.Text), "      "))
		if st.Expanded != "" {
			fmt.Fprintln(w, "    expanded:")
			fmt.Fprintln(w, indent(strings.TrimSpace(st.Expanded), "      "))
		}
		if st.Expr != nil {
			fmt.Fprintln(w, "    predicate:")
			fmt.Fprintln(w, indent(printers.Print(r.Language, st.Expr), "      "))
		}
	}

	heading(w, "Indicators")
	if len(r.Indicators) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	tw = tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	if len(r.Indicators) > 0 {
		fmt.Fprintln(tw, "  FIELD\tKIND\tVALUE\tCORPUS")
	}
	for _, in := range r.Indicators {
		kind := string(in.Kind)
		if in.Negated {
			kind = "not " + kind
		}
		field := in.Field
		if field == "" {
			field = "(any)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", field, kind, printable(in.Value), corpus(in.Corpus))
	}
	tw.Flush()

	if len(r.Problems) > 0 {
		heading(w, "Problems")
		for _, p := range r.Problems {
			loc := r.Path
			if p.Line > 0 {
				loc = fmt.Sprintf("%s:%d", r.Path, p.Line)
			}
			fmt.Fprintf(w, "  %s: %s: %s\n", loc, p.Kind, p.Message)
		}
	}
}

func heading(w io.Writer, s string) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, s)
}

func attackLabel(c *catalog.Catalog) string {
	if c.Attack != nil {
		return c.Attack.Label()
	}
	return "no bundle: " + firstLine(c.AttackNote)
}

func corpus(c rule.Count) string {
	var parts []string
	for _, k := range sortedKeys(c.BySource) {
		parts = append(parts, fmt.Sprintf("%s %d", k, c.BySource[k]))
	}
	return fmt.Sprintf("%d (%s)", c.Total, strings.Join(parts, ", "))
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// printable quotes values that would be ambiguous in a column (empty,
// leading or trailing spaces, control characters).
func printable(v string) string {
	if v == "" || strings.TrimSpace(v) != v || strings.ContainsAny(v, "\t\n\r") {
		return fmt.Sprintf("%q", v)
	}
	return v
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// wrap folds text at width columns. As in Markdown, a blank line separates
// paragraphs and a single line break is a space.
func wrap(s string, width int, prefix string) string {
	var b strings.Builder
	for i, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		line := prefix
		for _, word := range strings.Fields(para) {
			if len(line)+len(word)+1 > width && strings.TrimSpace(line) != "" {
				b.WriteString(strings.TrimRight(line, " "))
				b.WriteByte('\n')
				line = prefix
			}
			line += word + " "
		}
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}
