package catalog

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
	"ruledex/internal/source"
)

// fakeReader returns fixed rules, for tests of the join.
type fakeReader struct{ rules func() []*rule.Rule }

func (f fakeReader) Read(string) (*source.Result, error) {
	return &source.Result{Rules: f.rules()}, nil
}

func pred(field string, neg bool, kind rule.Kind, value string) *rule.Predicate {
	return &rule.Predicate{Field: field, Op: "=", Negated: neg, Values: []rule.Value{{Kind: kind, Value: value}}}
}

func stage(e rule.Expr) []rule.Stage {
	return []rule.Stage{{Index: 1, Command: "search", Expr: e, Role: rule.RoleFilter}}
}

func withReaders(t *testing.T, rs map[string]source.Reader) {
	old := readers
	readers = map[string]source.Reader{}
	for k, v := range old {
		readers[k] = v
	}
	for k, v := range rs {
		readers[k] = v
	}
	t.Cleanup(func() { readers = old })
}

func build(t *testing.T, sets ...Ruleset) *Catalog {
	t.Helper()
	c, err := Build(context.Background(), sets, Options{Attack: "none"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestJoin(t *testing.T) {
	withReaders(t, map[string]source.Reader{
		"alpha": fakeReader{func() []*rule.Rule {
			return []*rule.Rule{
				{ID: "a1", Name: "A one", Path: "x/Same Name.yml", Stages: stage(rule.NewAnd(pred("Image", false, rule.EndsWith, `\cmd.exe`), pred("User", true, rule.Eq, "SYSTEM")))},
				{ID: "a2", Name: "A two", Path: "y/same name.yml", Stages: stage(pred("Image", false, rule.EndsWith, `\CMD.EXE`))},
				{ID: "a1", Name: "A dup", Path: "z/dup.yml"},
			}
		}},
		"beta": fakeReader{func() []*rule.Rule {
			return []*rule.Rule{
				// The same id as an alpha rule: a different rule.
				{ID: "a1", Name: "B one", Path: "b.yml", Stages: stage(rule.NewNot(pred("User", false, rule.Eq, "system")))},
				{ID: "b2", Name: "B two", Path: "c.yml", Stages: stage(pred("User", false, rule.Eq, "System"))},
			}
		}},
	})
	c := build(t, Ruleset{"alpha", "."}, Ruleset{"beta", "."})
	if len(c.Rules) != 5 {
		t.Fatalf("%d rules, want 5", len(c.Rules))
	}
	slugs := []string{}
	for _, r := range c.Rules {
		slugs = append(slugs, r.Source+"/"+r.Slug)
	}
	if want := []string{"alpha/same-name", "alpha/same-name-2", "alpha/dup", "beta/b", "beta/c"}; !reflect.DeepEqual(slugs, want) {
		t.Errorf("slugs %v, want %v", slugs, want)
	}

	// Duplicate ids within a source are both kept, each naming the other.
	dups := 0
	for _, r := range c.Rules {
		for _, p := range r.Problems {
			if p.Kind == "duplicate-id" {
				dups++
				if r.Source != "alpha" || !strings.Contains(p.Message, ".yml") {
					t.Errorf("bad duplicate problem on %s: %s", r.Path, p.Message)
				}
			}
		}
	}
	if dups != 2 {
		t.Errorf("%d duplicate-id problems, want 2 (one per alpha a1 rule)", dups)
	}

	// Corpus counts: case-insensitive values, split by source, negation matters.
	a1 := c.BySlug("alpha", "same-name")
	got := map[string]rule.Count{}
	for _, in := range a1.Indicators {
		got[in.Field+" "+string(in.Kind)+" "+in.Value] = in.Corpus
	}
	if c := got[`Image ends_with \cmd.exe`]; c.Total != 2 || c.BySource["alpha"] != 2 {
		t.Errorf("Image count %+v, want 2 (alpha 2)", c)
	}
	if c := got["User eq SYSTEM"]; c.Total != 2 || c.BySource["alpha"] != 1 || c.BySource["beta"] != 1 {
		t.Errorf("negated User count %+v, want 2 (alpha 1, beta 1): a Not above and a != leaf are both negated", c)
	}

	// Lookups.
	if rs := c.Rule("a1"); len(rs) != 3 {
		t.Errorf("id a1 should name 3 rules across sources, got %d", len(rs))
	}
	if rs := c.Rule("beta/b"); len(rs) != 1 || rs[0].Name != "B one" {
		t.Errorf("source/slug lookup: %v", rs)
	}
	if rs := c.Rule("y/same name.yml"); len(rs) != 1 || rs[0].ID != "a2" {
		t.Errorf("path lookup: %v", rs)
	}
	if in := c.IndicatorOf(a1.Indicators[0]); in == nil || len(in.Rules) != 2 || !strings.HasPrefix(in.Slug, "image-ends_with-cmd.exe-") {
		t.Errorf("indicator entry: %+v", in)
	}

	// Variants: the same field and value under the other negation.
	user := c.Indicator(rule.IndicatorKey{Field: "User", Kind: rule.Eq, Value: "system", Negated: true})
	if user == nil {
		t.Fatal("no negated User indicator")
	}
	vs := c.Variants(user)
	if len(vs) != 1 || vs[0].Negated || vs[0].Field != "User" {
		t.Errorf("variants of negated User=system: %+v, want the plain one", vs)
	}
	if vs := c.Variants(c.IndicatorOf(a1.Indicators[0])); len(vs) != 0 {
		t.Errorf("Image has no variants, got %+v", vs)
	}
}

func TestSluggedHook(t *testing.T) {
	withReaders(t, map[string]source.Reader{
		"alpha": fakeReader{func() []*rule.Rule {
			return []*rule.Rule{{ID: "a", Name: "A", Path: "a.yml"}, {ID: "b", Name: "B", Path: "b.yml"}}
		}},
	})
	var seen []string
	c, err := Build(context.Background(), []Ruleset{{"alpha", "."}}, Options{Attack: "none", Slugged: func(rs []*rule.Rule) {
		for _, r := range rs {
			seen = append(seen, r.Source+"/"+r.Slug)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"alpha/a", "alpha/b"}; !reflect.DeepEqual(seen, want) || len(c.Rules) != 2 {
		t.Errorf("Slugged saw %v, want %v", seen, want)
	}
}

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"BITS_Job_Persistence":              "bits_job_persistence",
		"Proc Creation Win (Bitsadmin).yml": "proc-creation-win-bitsadmin-.yml",
		"../../etc/passwd":                  "etc-passwd",
		"..":                                "",
		"ünïcödé":                           "n-c-d",
		"a\x00b/c\\d":                       "a-b-c-d",
		strings.Repeat("x", 300):            strings.Repeat("x", 100),
		"<script>alert(1)</script>":         "script-alert-1-script",
		"already-fine.name_1":               "already-fine.name_1",
		"  spaces  and\ttabs ":              "spaces-and-tabs",
		"T1197":                             "t1197",
		"attack.t1036.003":                  "attack.t1036.003",
		"%2e%2e%2fetc":                      "2e-2e-2fetc",
		"CON":                               "con",
		"trailing dots...":                  "trailing-dots",
		"-leading-dash":                     "leading-dash",
		"mixed UPPER lower":                 "mixed-upper-lower",
		"emoji 🔥 rule":                      "emoji-rule",
		"x" + strings.Repeat("/", 10) + "y": "x-y",
		"":                                  "",
		".hidden":                           "hidden",
		"a..b":                              "a..b",
		"dir/":                              "dir",
		"version 1.2.3":                     "version-1.2.3",
		"quotes'and\"double":                "quotes-and-double",
		"semi;colon&amp":                    "semi-colon-amp",
		"tab\there":                         "tab-here",
		"newline\nhere":                     "newline-here",
		"under_score":                       "under_score",
		"MiXeD_CaSe-Name.YML":               "mixed_case-name.yml",
		"white space .yml":                  "white-space-.yml",
		"many     spaces":                   "many-spaces",
	}
	for in, want := range tests {
		got := Slugify(in)
		if got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
		if strings.ContainsAny(got, "/\\\x00 ") || got == "." || got == ".." {
			t.Errorf("Slugify(%q) = %q is not a safe file name", in, got)
		}
	}
}

// TestCorpusSplunk builds the ESCU corpus with the ATT&CK bundle and checks
// the BITS Job Persistence rule end to end.
func TestCorpusSplunk(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "splunk")
	bundle := sharedtest.Path(t, "attack", "enterprise-attack-18.1.json.gz")
	c, err := Build(context.Background(), []Ruleset{{"splunk", root}}, Options{Attack: bundle})
	if err != nil {
		t.Fatal(err)
	}
	if c.Attack == nil || c.Attack.Version != "18.1" {
		t.Fatalf("ATT&CK not loaded: %s", c.AttackNote)
	}
	rs := c.Rule(filepath.ToSlash("detections/endpoint/bits_job_persistence.yml"))
	if len(rs) != 1 {
		t.Fatalf("BITS Job Persistence: %d rules", len(rs))
	}
	r := rs[0]
	if len(r.Attack) != 1 || r.Attack[0].ID != "T1197" || r.Attack[0].Name != "BITS Jobs" ||
		!reflect.DeepEqual(r.Attack[0].Tactics, []string{"Persistence", "Defense Evasion"}) {
		t.Errorf("attack: %+v", r.Attack)
	}
	var events []string
	for _, e := range r.Events {
		events = append(events, e.Provider+" "+e.EventID+" "+e.Title)
	}
	if want := []string{"Sysmon 1 Process creation", "Security-Auditing 4688 A new process has been created."}; !reflect.DeepEqual(events, want) {
		t.Errorf("events %q, want %q", events, want)
	}
	for _, in := range r.Indicators {
		if in.Corpus.Total < 1 || in.Corpus.BySource["splunk"] != in.Corpus.Total {
			t.Errorf("indicator %+v has no corpus count", in)
		}
	}
	if n := len(r.Indicators); n != 9 {
		t.Errorf("%d indicators, want 9", n)
	}
}
