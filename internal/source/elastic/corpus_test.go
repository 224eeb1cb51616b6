package elastic

import (
	"sort"
	"strings"
	"testing"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

// TestCorpus loads the whole shared Elastic corpus: every TOML file is a
// rule or a hunt, and fewer than 0.5% of rules have a parse problem.
func TestCorpus(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "elastic")
	res, err := Reader{}.Read(root)
	if err != nil {
		t.Fatal(err)
	}
	byLang, byType := map[string]int{}, map[string]int{}
	parseFailures := 0
	for _, r := range res.Rules {
		byLang[r.Language]++
		byType[r.Type]++
		for _, p := range r.Problems {
			if p.Kind == "parse" || p.Kind == "load" {
				parseFailures++
				t.Logf("%s: %s (line %d): %s", r.Path, p.Kind, p.Line, p.Message)
				break
			}
		}
	}
	t.Logf("%d rules; by language %v; by type %v; %s", len(res.Rules), byLang, byType, strings.Join(res.Notes, "; "))
	for _, p := range res.Problems {
		t.Errorf("file problem %s: %s", p.File, p.Message)
	}
	if got := len(res.Rules); got < 2300 {
		t.Errorf("loaded %d rules, want every TOML file (2332 in the corpus this was written for)", got)
	}
	if rate := float64(parseFailures) / float64(len(res.Rules)); rate >= 0.005 {
		t.Errorf("%d of %d rules (%.2f%%) have a parse or load problem, want under 0.5%%", parseFailures, len(res.Rules), 100*rate)
	}
	t.Logf("%d rules with a parse or load problem", parseFailures)
	ids := map[rule.Key]string{}
	var dups []string
	for _, r := range res.Rules {
		if other, ok := ids[r.Key()]; ok {
			dups = append(dups, r.Path+" = "+other)
		}
		ids[r.Key()] = r.Path
	}
	sort.Strings(dups)
	t.Logf("duplicate ids (the catalog reports them): %v", dups)
}

// BenchmarkRead reads the whole shared Elastic corpus: TOML decoding and
// every query parsed (KQL, EQL, ES|QL, Lucene).
func BenchmarkRead(b *testing.B) {
	root := sharedtest.Path(b, "corpus", "elastic")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := (Reader{}).Read(root); err != nil {
			b.Fatal(err)
		}
	}
}
