package eql

import (
	"errors"
	"strings"
	"testing"

	"ruledex/internal/lang"
)

// fuzzSeeds are whole queries beside the conditions of condTests.
var fuzzSeeds = []string{
	"sequence by host.id with maxspan=5m\n [process where a == 1] by x with runs=2\n ![file where b : \"*x*\"]\nuntil [process where true]",
	"sample by host.id [file where true] [process where a in (\"x\", \"y\")]",
	"join by u [a where true] [b where c == 1]",
	"process where true | head 5 | filter a == 1 | unique a, b",
	"\"my-cat\" where `f-1` == \"\"\"raw\\\"\"\" // comment\n",
}

// FuzzParse checks that no input panics, that errors are positioned, and
// that every parsed condition prints to one that parses to the same tree.
func FuzzParse(f *testing.F) {
	for _, tt := range condTests {
		f.Add("any where " + tt.in)
	}
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		stages, err := Parse(in)
		if err != nil {
			var le *lang.Error
			if !errors.As(err, &le) || le.Line < 1 || le.Col < 1 || strings.Contains(le.Msg, "internal error") {
				t.Fatalf("Parse(%q): bad error %v", in, err)
			}
			return
		}
		for _, st := range stages {
			if st.Expr == nil {
				continue
			}
			printed := Print(st.Expr)
			back, err := Parse("any where " + printed)
			if err != nil {
				t.Fatalf("Parse(%q): condition printed as %q, which does not parse: %v", in, printed, err)
			}
			if g, w := jsonOf(back[0].Expr), jsonOf(st.Expr); g != w {
				t.Fatalf("Parse(%q): condition printed as %q, which parses to\n%s\nnot\n%s", in, printed, g, w)
			}
		}
	})
}
