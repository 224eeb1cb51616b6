package match

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"ruledex/internal/lang/eql"
	"ruledex/internal/lang/kql"
	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
	"ruledex/internal/source"
	"ruledex/internal/source/elastic"
	"ruledex/internal/source/escu"
	"ruledex/internal/source/sigma"
)

// sigmaRules reads Sigma YAML (one or more documents) with the real reader.
func sigmaRules(t *testing.T, src string) []*rule.Rule {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rule.yml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := sigma.Reader{}.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rules {
		r.Source = "sigma"
		for _, p := range r.Problems {
			if p.Kind == "parse" || p.Kind == "unknown-modifier" {
				t.Fatalf("rule %s: %s", r.ID, p.Message)
			}
		}
	}
	return res.Rules
}

// run matches events (one JSON text) and returns the hits.
func run(t *testing.T, e *Engine, events string) ([]Hit, Summary) {
	t.Helper()
	var hits []Hit
	sum, err := e.Run(context.Background(), []Input{{Name: "events", R: strings.NewReader(events)}}, RunOptions{}, func(h Hit) error {
		hits = append(hits, h)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits, sum
}

// hitIDs lists "ruleid@event" for each hit.
func hitIDs(hits []Hit) string {
	var s []string
	for _, h := range hits {
		s = append(s, h.Rule.ID+"@"+itoa(h.Event))
	}
	return strings.Join(s, " ")
}

// sysmon1 is a flat Sysmon process creation event with extra fields.
func sysmon1(fields string) string {
	s := `{"Channel":"Microsoft-Windows-Sysmon/Operational","Provider_Name":"Microsoft-Windows-Sysmon","EventID":1`
	if fields != "" {
		s += "," + fields
	}
	return s + "}"
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func utf16le(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

func kqlTestRule(t *testing.T, q string) *rule.Rule {
	t.Helper()
	e, err := kql.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return &rule.Rule{ID: "e", Source: "elastic", Language: "kql", Elastic: &rule.ElasticMeta{RuleType: "query"},
		Stages: []rule.Stage{{Command: "query", Role: rule.RoleFilter, Expr: e}}}
}

func eqlTestRule(t *testing.T, q string) *rule.Rule {
	t.Helper()
	st, err := eql.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return &rule.Rule{ID: "e", Source: "elastic", Language: "eql", Stages: st, Elastic: &rule.ElasticMeta{RuleType: "eql"}}
}

var (
	corporaOnce  sync.Once
	corporaRules []*rule.Rule
	corporaErr   error
)

// loadCorpora reads the three shared rulesets once per test binary.
func loadCorpora(t *testing.T) []*rule.Rule {
	t.Helper()
	paths := map[string]string{}
	for _, k := range []string{"splunk", "sigma", "elastic"} {
		paths[k] = sharedtest.Path(t, "corpus", k)
	}
	corporaOnce.Do(func() {
		for _, s := range []struct {
			kind string
			rd   source.Reader
		}{{"splunk", escu.Reader{}}, {"sigma", sigma.Reader{}}, {"elastic", elastic.Reader{}}} {
			res, err := s.rd.Read(paths[s.kind])
			if err != nil {
				corporaErr = err
				return
			}
			for _, r := range res.Rules {
				r.Source = s.kind
			}
			corporaRules = append(corporaRules, res.Rules...)
		}
	})
	if corporaErr != nil {
		t.Fatal(corporaErr)
	}
	return corporaRules
}
