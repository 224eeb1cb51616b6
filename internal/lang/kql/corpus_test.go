package kql

import (
	"testing"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

// TestCorpus parses every kuery rule of the Elastic corpus; fewer than 0.5%
// may fail, and each failure is listed.
func TestCorpus(t *testing.T) {
	qs := sharedtest.ElasticQueries(t, "kuery")
	if len(qs) == 0 {
		t.Fatal("no kuery rules found in the corpus")
	}
	failed := 0
	for _, q := range qs {
		e, err := Parse(q.Query)
		if err != nil {
			failed++
			t.Logf("%s (%s): %v", q.Path, q.Name, err)
			continue
		}
		// The printed query parses back to the same tree.
		back, err := Parse(Print(e))
		if err != nil {
			t.Errorf("%s: printed query does not parse: %v\n%s", q.Path, err, Print(e))
			continue
		}
		if !sameTree(e, back) {
			t.Errorf("%s: printed query parses to another tree:\n%s", q.Path, Print(e))
		}
	}
	t.Logf("%d/%d kuery queries parse", len(qs)-failed, len(qs))
	if failed*200 >= len(qs) {
		t.Errorf("%d of %d kuery queries fail to parse (limit 0.5%%)", failed, len(qs))
	}
}

// BenchmarkCorpus parses every kuery query of the corpus; ns/op is per query.
func BenchmarkCorpus(b *testing.B) {
	qs := sharedtest.ElasticQueries(b, "kuery")
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, _ = Parse(qs[i%len(qs)].Query)
	}
}

// sameTree compares two trees ignoring line numbers.
func sameTree(a, b rule.Expr) bool {
	return jsonOf(a) == jsonOf(b)
}
