package sigma

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/rule"
)

// FuzzParseDetection parses arbitrary YAML as a detection section: no
// panics, stages and trees that the rest of ruledex can walk, print and
// marshal.
func FuzzParseDetection(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.yml"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"sel:\n  A|contains|all|windash: [' -a', '/b']\ncondition: sel",
		"sel:\n  A|wide|base64offset|contains: x\n  B|re|i: '^x'\ncondition: 1 of them",
		"k: [a, b]\nf: {X: null}\ncondition: k and not f | count(x) by y > 3",
		"a: &x {B: 1}\nb: *x\ncondition: all of them",
		"sel:\n  A|exists: false\n  B|cidr: 10.0.0.0/8\n  C|fieldref: D\ncondition: [sel, sel]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(src), &n); err != nil {
			return
		}
		d, problems := ParseDetection(&n)
		for _, p := range problems {
			if p.Message == "" || p.Kind == "" || p.Line < 0 {
				t.Fatalf("bad problem %+v", p)
			}
		}
		r := rule.Rule{Stages: d.Stages()}
		r.DeriveIndicators()
		for _, s := range r.Stages {
			_ = Print(s.Expr)
			for _, p := range rule.Predicates(s.Expr) {
				if len(p.Values) == 0 {
					t.Fatalf("predicate without values: %+v", p)
				}
			}
		}
		if _, err := json.Marshal(r.Stages); err != nil {
			t.Fatal(err)
		}
	})
}
