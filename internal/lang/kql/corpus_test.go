package kql

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

// corpusQuery is one kuery rule of the shared Elastic corpus.
type corpusQuery struct {
	path, name, query string
}

// corpusQueries reads every rule with language "kuery" under the Elastic
// corpus' rules and rules_building_block folders.
func corpusQueries(tb testing.TB) []corpusQuery {
	tb.Helper()
	root := sharedtest.Path(tb, "corpus", "elastic")
	corpusOnce.Do(func() { corpusCache = readCorpus(tb, root) })
	return corpusCache
}

// The corpus is read once per test binary.
var (
	corpusOnce  sync.Once
	corpusCache []corpusQuery
)

func readCorpus(tb testing.TB, root string) []corpusQuery {
	var out []corpusQuery
	for _, dir := range []string{"rules", "rules_building_block"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".toml") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var doc struct {
				Rule struct {
					Name, Language, Query string
				}
			}
			if _, err := toml.Decode(string(b), &doc); err != nil {
				tb.Errorf("%s: %v", path, err)
				return nil
			}
			if doc.Rule.Language == "kuery" {
				rel, _ := filepath.Rel(root, path)
				out = append(out, corpusQuery{rel, doc.Rule.Name, doc.Rule.Query})
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// TestCorpus parses every kuery rule of the Elastic corpus; fewer than 0.5%
// may fail, and each failure is listed.
func TestCorpus(t *testing.T) {
	qs := corpusQueries(t)
	if len(qs) == 0 {
		t.Fatal("no kuery rules found in the corpus")
	}
	failed := 0
	for _, q := range qs {
		e, err := Parse(q.query)
		if err != nil {
			failed++
			t.Logf("%s (%s): %v", q.path, q.name, err)
			continue
		}
		// The printed query parses back to the same tree.
		back, err := Parse(Print(e))
		if err != nil {
			t.Errorf("%s: printed query does not parse: %v\n%s", q.path, err, Print(e))
			continue
		}
		if !sameTree(e, back) {
			t.Errorf("%s: printed query parses to another tree:\n%s", q.path, Print(e))
		}
	}
	t.Logf("%d/%d kuery queries parse", len(qs)-failed, len(qs))
	if failed*200 >= len(qs) {
		t.Errorf("%d of %d kuery queries fail to parse (limit 0.5%%)", failed, len(qs))
	}
}

// BenchmarkCorpus parses every kuery query of the corpus; ns/op is per query.
func BenchmarkCorpus(b *testing.B) {
	qs := corpusQueries(b)
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, _ = Parse(qs[i%len(qs)].query)
	}
}

// sameTree compares two trees ignoring line numbers.
func sameTree(a, b rule.Expr) bool {
	return jsonOf(a) == jsonOf(b)
}
