package esql

import (
	"reflect"
	"testing"

	"ruledex/internal/rule"
)

// FuzzParse checks that no input panics or hangs the parser, and that a
// parse either fails with a positioned error or yields stages whose
// conditions print back to ES|QL with the same indicators.
func FuzzParse(f *testing.F) {
	for _, q := range fixtures(f) {
		f.Add(q)
	}
	for _, s := range []string{"FROM x | WHERE a LIKE \"*\\\\*\"", "ROW a = [1, 2]", "FROM x | FORK (WHERE a == 1) (LIMIT 1)", `FROM x | WHERE KQL("a:b")`, `FROM x | WHERE QSTR("a:(b OR c*)")`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		stages, err := Parse(src)
		if err != nil {
			if stages != nil {
				t.Fatalf("stages with an error")
			}
			return
		}
		for _, s := range stages {
			if s.Expr == nil {
				continue
			}
			printed := Print(s.Expr)
			again, err := Parse("FROM x | WHERE " + printed)
			if err != nil {
				t.Fatalf("printed condition does not parse: %v\nquery:   %q\nprinted: %q", err, src, printed)
			}
			if a, b := rule.ExprIndicators(s.Expr), rule.ExprIndicators(again[1].Expr); !reflect.DeepEqual(a, b) {
				t.Fatalf("round trip changed indicators\nquery:   %q\nprinted: %q\n%v\n%v", src, printed, a, b)
			}
		}
	})
}
