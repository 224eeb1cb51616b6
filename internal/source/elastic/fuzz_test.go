package elastic

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseFile feeds arbitrary bytes to the per-file reader (TOML, the
// Kibana filter converter, every query parser): it must never panic, and
// every file yields a rule or a file problem.
func FuzzParseFile(f *testing.F) {
	filepath.WalkDir("testdata/ruleset", func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".toml") {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	f.Add([]byte("[rule]\nrule_id = \"x\"\ntype = \"query\"\nlanguage = \"kuery\"\nquery = \"a:b\"\n[[rule.filters]]\n[rule.filters.query.bool]\nshould = [{match_phrase = {f = \"v\"}}, {range = {n = {gte = 1}}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := parseFile("f.toml", data)
		if (fr.rule == nil) == (fr.problem == nil) {
			t.Fatalf("want exactly one of a rule and a problem: %+v", fr)
		}
		if r := fr.rule; r != nil {
			for i, s := range r.Stages {
				if s.Index != i+1 {
					t.Fatalf("stage %d has index %d", i+1, s.Index)
				}
			}
			r.DeriveIndicators()
			if _, err := json.Marshal(r); err != nil {
				t.Fatalf("rule does not marshal: %v", err)
			}
		}
	})
}
