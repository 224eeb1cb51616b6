package eql

import (
	"strings"
	"testing"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

// TestCorpus parses every eql rule of the Elastic corpus; fewer than 0.5%
// may fail, and each failure is listed.
func TestCorpus(t *testing.T) {
	qs := sharedtest.ElasticQueries(t, "eql")
	if len(qs) == 0 {
		t.Fatal("no eql rules found in the corpus")
	}
	failed := 0
	for _, q := range qs {
		stages, err := Parse(q.Query)
		if err != nil {
			failed++
			t.Logf("%s (%s): %v", q.Path, q.Name, err)
			continue
		}
		// Every printed condition parses back to the same tree.
		for _, st := range stages {
			if st.Expr == nil {
				continue
			}
			printed := Print(st.Expr)
			back, err := Parse("any where " + printed)
			if err != nil {
				t.Errorf("%s: printed condition does not parse: %v\n%s", q.Path, err, printed)
				continue
			}
			if !sameTree(st.Expr, back[0].Expr) {
				t.Errorf("%s: printed condition parses to another tree:\n%s\n%s\n%s", q.Path, printed, jsonOf(st.Expr), jsonOf(back[0].Expr))
			}
		}
	}
	t.Logf("%d/%d eql queries parse", len(qs)-failed, len(qs))
	if failed*200 >= len(qs) {
		t.Errorf("%d of %d eql queries fail to parse (limit 0.5%%)", failed, len(qs))
	}
}

// BenchmarkCorpus parses every eql query of the corpus; ns/op is per query.
func BenchmarkCorpus(b *testing.B) {
	qs := sharedtest.ElasticQueries(b, "eql")
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

func corpusRule(t *testing.T, name string) sharedtest.ElasticQuery {
	t.Helper()
	for _, q := range sharedtest.ElasticQueries(t, "eql") {
		if q.Name == name {
			return q
		}
	}
	t.Fatalf("rule %q is not in the corpus", name)
	return sharedtest.ElasticQuery{}
}

// TestBITSJobNotify checks the indicators of "Persistence via BITS Job
// Notify Cmdline": the parent tests and the four excluded executables as
// negated wildcards.
func TestBITSJobNotify(t *testing.T) {
	q := corpusRule(t, "Persistence via BITS Job Notify Cmdline")
	stages, err := Parse(q.Query)
	if err != nil {
		t.Fatal(err)
	}
	var got []rule.Indicator
	for _, st := range stages {
		got = append(got, rule.ExprIndicators(st.Expr)...)
	}
	want := []rule.Indicator{
		{Field: "process.parent.name", Kind: rule.Eq, Value: "svchost.exe"},
		{Field: "process.parent.args", Kind: rule.Eq, Value: "BITS"},
		{Field: "process.executable", Kind: rule.Wildcard, Value: `?:\Windows\System32\WerFaultSecure.exe`, Negated: true},
		{Field: "process.executable", Kind: rule.Wildcard, Value: `?:\Windows\System32\WerFault.exe`, Negated: true},
		{Field: "process.executable", Kind: rule.Wildcard, Value: `?:\Windows\System32\wermgr.exe`, Negated: true},
		{Field: "process.executable", Kind: rule.Wildcard, Value: `?:\WINDOWS\system32\directxdatabaseupdater.exe`, Negated: true},
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || (g.Field == w.Field && g.Kind == w.Kind && g.Value == w.Value && g.Negated == w.Negated)
		}
		if !found {
			t.Errorf("missing indicator %+v in %+v", w, got)
		}
	}
}

// TestCorpusSequences: every sequence rule shows a header stage and one
// stage per bracketed step.
func TestCorpusSequences(t *testing.T) {
	q := corpusRule(t, "Potential Successful SSH Brute Force Attack")
	stages, err := Parse(q.Query)
	if err != nil {
		t.Fatal(err)
	}
	var commands []string
	for _, st := range stages {
		commands = append(commands, st.Command)
	}
	if got := strings.Join(commands, ", "); got != "sequence, sequence step 1, sequence step 2" {
		t.Errorf("stages = %s", got)
	}
	if a := stages[1].Attrs; len(a) != 1 || a[0] != (rule.Attr{Name: "runs", Value: "25"}) {
		t.Errorf("step 1 attrs = %+v, want runs=25", a)
	}
	sequences := 0
	for _, q := range sharedtest.ElasticQueries(t, "eql") {
		if !strings.HasPrefix(strings.TrimSpace(q.Query), "sequence") {
			continue
		}
		sequences++
		stages, err := Parse(q.Query)
		if err != nil {
			continue // reported by TestCorpus
		}
		steps := 0
		for _, st := range stages {
			if strings.HasPrefix(st.Command, "sequence step ") {
				steps++
				if st.Expr == nil && !strings.Contains(st.Text, "where true") {
					t.Errorf("%s: step %q has no condition", q.Path, st.Text)
				}
			}
		}
		if stages[0].Command != "sequence" || steps < 1 {
			t.Errorf("%s: stages %+v", q.Path, stages)
		}
	}
	t.Logf("%d sequence rules", sequences)
}
