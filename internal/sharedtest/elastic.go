package sharedtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// ElasticQuery is one detection rule's query from the shared Elastic corpus.
type ElasticQuery struct {
	Path     string // relative to the corpus' elastic folder
	Name     string
	Language string // as written: kuery, eql, esql, lucene
	Query    string
}

var (
	elasticOnce  sync.Once
	elasticCache []ElasticQuery
	elasticErr   error
)

// ElasticQueries returns the query of every rule with the given language
// under the Elastic corpus' rules and rules_building_block folders, read
// once per test binary. It skips the test when the corpus is absent.
func ElasticQueries(tb testing.TB, language string) []ElasticQuery {
	tb.Helper()
	root := Path(tb, "corpus", "elastic")
	elasticOnce.Do(func() { elasticCache, elasticErr = readElastic(root) })
	if elasticErr != nil {
		tb.Fatal(elasticErr)
	}
	var out []ElasticQuery
	for _, q := range elasticCache {
		if q.Language == language {
			out = append(out, q)
		}
	}
	return out
}

func readElastic(root string) ([]ElasticQuery, error) {
	var out []ElasticQuery
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
					Name     string `toml:"name"`
					Language string `toml:"language"`
					Query    string `toml:"query"`
				} `toml:"rule"`
			}
			if err := toml.Unmarshal(b, &doc); err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			out = append(out, ElasticQuery{filepath.ToSlash(rel), doc.Rule.Name, doc.Rule.Language, doc.Rule.Query})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
