package esql

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

type corpusQuery struct {
	file, query string
}

// corpusQueries reads every ES|QL query of the shared Elastic corpus:
// rules with language = "esql" and the ES|QL queries of hunts.
func corpusQueries(tb testing.TB) []corpusQuery {
	root := sharedtest.Path(tb, "corpus", "elastic")
	var out []corpusQuery
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".toml") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var f struct {
			Rule struct{ Language, Query string }
			Hunt struct{ Query []string }
		}
		if err := toml.Unmarshal(b, &f); err != nil {
			return nil // the reader's tests cover broken files
		}
		rel, _ := filepath.Rel(root, p)
		if f.Rule.Language == "esql" {
			out = append(out, corpusQuery{rel, f.Rule.Query})
		}
		for _, q := range f.Hunt.Query {
			if w := strings.ToLower(strings.Fields(q + " x")[0]); w == "from" || w == "row" {
				out = append(out, corpusQuery{rel, q})
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// knownBroken are corpus queries that are not valid ES|QL as published;
// Elasticsearch rejects them too.
var knownBroken = map[string]string{
	"hunting/aws/queries/servicequotas_discovery_multi_region_get_service_quota_calls.toml":           "= instead of == in WHERE",
	"hunting/azure/queries/aks_kubelet_proxy_command_execution_from_external_source.toml":             `"\?" is not an ES|QL string escape`,
	"hunting/azure/queries/entra_authentication_attempts_behind_rare_user_agents.toml":                "a trailing `or` before )",
	"hunting/okta/queries/credential_access_rapid_reset_password_requests_for_different_users.toml":   "`reset_counts = by …`: the aggregation is missing",
	"hunting/windows/queries/execution_via_windows_scheduled_task_with_low_occurrence_frequency.toml": "now(-) has a stray minus",
}

func TestCorpus(t *testing.T) {
	qs := corpusQueries(t)
	ok, preds, opaque := 0, 0, 0
	for _, q := range qs {
		stages, err := Parse(q.query)
		if err != nil {
			if why, known := knownBroken[filepath.ToSlash(q.file)]; known {
				t.Logf("%s: %v (known: %s)", q.file, err, why)
			} else {
				t.Errorf("%s: %v", q.file, err)
			}
			continue
		}
		ok++
		for _, s := range stages {
			rule.Walk(s.Expr, func(e rule.Expr, _ int) bool {
				switch e.(type) {
				case *rule.Predicate:
					preds++
				case *rule.Opaque:
					opaque++
				}
				return true
			})
		}
	}
	t.Logf("%d/%d ES|QL queries parse; %d predicates, %d opaque conditions", ok, len(qs), preds, opaque)
	if len(qs) < 300 {
		t.Errorf("found only %d ES|QL queries in the corpus", len(qs))
	}
}

func BenchmarkCorpus(b *testing.B) {
	qs := corpusQueries(b)
	size := 0
	for _, q := range qs {
		size += len(q.query)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range qs {
			Parse(q.query)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(qs))/1000, "µs/query")
}
