package spl

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

// corpusSearch is one detection's search from the ESCU corpus.
type corpusSearch struct {
	file   string
	search string
}

// loadCorpus reads macros/*.yml and every detections/**/*.yml search of
// the shared ESCU corpus (the test skips without it).
func loadCorpus(tb testing.TB) (*Macros, []corpusSearch) {
	tb.Helper()
	root := sharedtest.Path(tb, "corpus", "splunk")
	macroFiles, err := filepath.Glob(filepath.Join(root, "macros", "*.yml"))
	if err != nil {
		tb.Fatal(err)
	}
	var defs []Macro
	for _, f := range macroFiles {
		var m struct {
			Name       string   `yaml:"name"`
			Arguments  []string `yaml:"arguments"`
			Definition string   `yaml:"definition"`
		}
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if err := yaml.Unmarshal(b, &m); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		defs = append(defs, Macro{Name: m.Name, Args: m.Arguments, Definition: m.Definition, File: "macros/" + filepath.Base(f)})
	}
	var out []corpusSearch
	err = filepath.WalkDir(filepath.Join(root, "detections"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yml") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var det struct {
			Search string `yaml:"search"`
		}
		if err := yaml.Unmarshal(b, &det); err != nil {
			tb.Errorf("%s: %v", path, err)
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		out = append(out, corpusSearch{file: filepath.ToSlash(rel), search: det.Search})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return NewMacros(defs), out
}

// TestCorpus parses every ESCU detection: fewer than 0.5% may have a parse
// problem and no macro may be undefined except the conventional *_filter.
func TestCorpus(t *testing.T) {
	macros, searches := loadCorpus(t)
	if len(searches) < 1000 {
		t.Fatalf("only %d detections found", len(searches))
	}
	failed := 0
	undefined := map[string]int{}
	for _, s := range searches {
		res := Parse(s.search, macros)
		bad := false
		for _, pr := range res.Problems {
			switch pr.Kind {
			case "parse":
				bad = true
				t.Logf("%s: %s", s.file, pr.Message)
			case "undefined-macro", "recursive-macro":
				t.Errorf("%s: %s", s.file, pr.Message)
			}
		}
		for _, u := range res.Macros {
			if u.Status == "undefined" {
				undefined[u.Name]++
			}
		}
		if bad {
			failed++
		}
	}
	t.Logf("%d/%d searches parse without a parse problem; %d fail", len(searches)-failed, len(searches), failed)
	if limit := len(searches) / 200; failed > limit {
		t.Errorf("%d searches have parse problems, more than 0.5%% (%d)", failed, limit)
	}
	if len(undefined) > 0 {
		t.Errorf("undefined macros: %v", undefined)
	}
}

// TestCorpusBITSJobPersistence is the rule the seed page got wrong: the
// macro must be expanded and every indicator must keep its value.
func TestCorpusBITSJobPersistence(t *testing.T) {
	macros, searches := loadCorpus(t)
	var query string
	for _, s := range searches {
		if s.file == "detections/endpoint/bits_job_persistence.yml" {
			query = s.search
		}
	}
	if query == "" {
		t.Skip("bits_job_persistence.yml is not in this corpus")
	}
	res := Parse(query, macros)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	st := res.Stages
	if len(st) < 3 {
		t.Fatalf("only %d stages", len(st))
	}
	if st[0].Command != "tstats" || !strings.Contains(st[0].Text, "`process_bitsadmin`") ||
		!strings.Contains(st[0].Expanded, "(Processes.process_name=bitsadmin.exe OR Processes.original_file_name=bitsadmin.exe)") {
		t.Errorf("stage 1: %s\ntext %q\nexpanded %q", st[0].Command, st[0].Text, st[0].Expanded)
	}
	if attr(st[0], "datamodel") != "Endpoint.Processes" {
		t.Errorf("datamodel %q", attr(st[0], "datamodel"))
	}
	var got []string
	for _, s := range st {
		for _, in := range rule.ExprIndicators(s.Expr) {
			got = append(got, fmt.Sprintf("%s %s %s %v", in.Field, in.Kind, in.Value, in.Negated))
		}
	}
	want := []string{
		"Processes.process_name eq bitsadmin.exe false",
		"Processes.original_file_name eq bitsadmin.exe false",
	}
	for _, v := range []string{"create", "addfile", "setnotifyflags", "setnotifycmdline", "setminretrydelay", "setcustomheaders", "resume"} {
		want = append(want, "Processes.process contains "+v+" false")
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("indicators:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st[1].Command != "rename" || st[1].Text != "`drop_dm_object_name(Processes)`" || attr(st[1], "rename") != "Processes.* AS *" {
		t.Errorf("stage 2: %+v", st[1])
	}
	last := st[len(st)-1]
	if last.Text != "`bits_job_persistence_filter`" || last.Expr != nil || last.Label != "empty filter macro" {
		t.Errorf("last stage: %+v", last)
	}
	for _, u := range res.Macros {
		if u.Name == "bits_job_persistence_filter" && u.Status != "empty-filter" {
			t.Errorf("filter macro status %q", u.Status)
		}
	}
}

// BenchmarkParseCorpus parses every ESCU search once per iteration and
// reports the cost per query.
func BenchmarkParseCorpus(b *testing.B) {
	macros, searches := loadCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, s := range searches {
			Parse(s.search, macros)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(searches)), "ns/query")
}

// TestCorpusPrintRoundTrip prints every filter of the corpus and parses
// it back: the tree must not change. (The regex command is skipped: it
// prints as the equivalent where match(…), whose Op differs.)
func TestCorpusPrintRoundTrip(t *testing.T) {
	macros, searches := loadCorpus(t)
	n, bad := 0, 0
	for _, s := range searches {
		for _, st := range Parse(s.search, macros).Stages {
			// The regex command prints as the equivalent match(), whose Op differs.
			if st.Expr == nil || st.Command == "regex" {
				continue
			}
			n++
			printed := Print(st.Expr)
			if again := reparse(t, printed, needsEval(st.Expr)); !sameTree(st.Expr, again) {
				bad++
				if bad <= 20 {
					t.Errorf("%s stage %d printed as %q\n  first  %s\n  second %s", s.file, st.Index, printed, sexpr(st.Expr), sexpr(again))
				}
			}
		}
	}
	t.Logf("%d filters printed and parsed back, %d changed", n, bad)
}
