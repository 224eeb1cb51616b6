package sigma

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

// TestCorpus loads the SigmaHQ corpus: every rule file under rules*,
// deprecated and unsupported gives at least one rule, fewer than 0.5% of
// the rules have a parse problem, and every problem is listed in -v output.
func TestCorpus(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "sigma")
	res, err := Reader{}.Read(root)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		top, _, _ := strings.Cut(rel, "/")
		if !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) &&
			(strings.HasPrefix(top, "rules") || top == "deprecated" || top == "unsupported") {
			files[rel] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	loaded := map[string]bool{}
	withProblems := 0
	kinds := map[string]int{}
	ids := map[string]int{}
	for _, r := range res.Rules {
		loaded[r.Path] = true
		ids[r.ID]++
		kinds[r.Type]++
		if r.Language != "sigma" || r.Name == "" || r.ID == "" || r.Path == "" || r.Sigma == nil {
			t.Errorf("%s: incomplete rule %q %q", r.Path, r.ID, r.Name)
		}
		if len(r.Stages) == 0 && len(r.Problems) == 0 {
			t.Errorf("%s: no stages and no problem", r.Path)
		}
		if len(r.Problems) > 0 {
			withProblems++
			for _, p := range r.Problems {
				t.Logf("problem %s:%d [%s] %s", r.Path, p.Line, p.Kind, p.Message)
			}
		}
	}
	for f := range files {
		if !loaded[f] {
			t.Errorf("%s: no rule loaded", f)
		}
	}
	t.Logf("%d files, %d rules (%v), %d with problems (%.2f%%); notes: %v", len(files), len(res.Rules), kinds,
		withProblems, 100*float64(withProblems)/float64(len(res.Rules)), res.Notes)
	if limit := len(res.Rules) / 200; withProblems >= limit {
		t.Errorf("%d rules have problems, want fewer than %d (0.5%%)", withProblems, limit)
	}
}

// TestCorpusBitsadmin checks the rule the seed page shows.
func TestCorpusBitsadmin(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "sigma")
	file := filepath.Join(root, "rules", "windows", "process_creation", "proc_creation_win_bitsadmin_download.yml")
	res, err := Reader{}.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rules) != 1 {
		t.Fatalf("%d rules", len(res.Rules))
	}
	r := res.Rules[0]
	if r.Name != "File Download Via Bitsadmin" || len(r.Problems) > 0 {
		t.Fatalf("rule %q, problems %v", r.Name, r.Problems)
	}
	var labels []string
	for _, s := range r.Stages {
		labels = append(labels, s.Label)
	}
	if want := "selection_img|selection_cmd or all of selection_cli_*"; strings.Join(labels, "|") != want {
		t.Errorf("stages %q, want %q", labels, want)
	}
	r.DeriveIndicators()
	var got []string
	for _, in := range r.Indicators {
		got = append(got, fmt.Sprintf("%s %s %s %v", in.Field, in.Kind, in.Value, in.Negated))
	}
	want := []string{
		`Image ends_with \bitsadmin.exe false`,
		`OriginalFileName eq bitsadmin.exe false`,
		`CommandLine contains  /transfer  false`,
		`CommandLine contains  /create  false`,
		`CommandLine contains  /addfile  false`,
		`CommandLine contains http false`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	refs := map[string]string{}
	for _, a := range r.AttackRefs {
		refs[a.ID] = a.Kind
	}
	for id, kind := range map[string]string{"T1197": "technique", "T1036.003": "technique", "S0190": "software",
		"stealth": "tactic", "command-and-control": "tactic"} {
		if refs[id] != kind {
			t.Errorf("attack ref %s = %q, want %s (refs %v)", id, refs[id], kind, r.AttackRefs)
		}
	}
	if r.Path != "proc_creation_win_bitsadmin_download.yml" || r.DataSources[0] != "windows/process_creation" ||
		r.Created != "2017-03-09" || r.Severity != "medium" || !strings.HasPrefix(r.Query, "detection:\n    selection_img:") ||
		!strings.HasSuffix(r.Query, "all of selection_cli_*)") {
		t.Errorf("metadata: path %q data sources %v created %q severity %q query %q", r.Path, r.DataSources, r.Created, r.Severity, r.Query)
	}
}

// BenchmarkCorpus reads the whole Sigma corpus.
func BenchmarkCorpus(b *testing.B) {
	root := sharedtest.Path(b, "corpus", "sigma")
	b.ReportAllocs()
	var n int
	for b.Loop() {
		res, err := Reader{}.Read(root)
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.Rules)
	}
	b.ReportMetric(float64(n), "rules")
}

// indicatorsOf lists a rule's indicators as "field kind value", " !" when negated.
func indicatorsOf(r *rule.Rule) []string {
	r.DeriveIndicators()
	var out []string
	for _, in := range r.Indicators {
		s := in.Field + " " + string(in.Kind) + " " + in.Value
		if in.Negated {
			s += " !"
		}
		out = append(out, s)
	}
	return out
}
