package kql

import (
	"errors"
	"strings"
	"testing"

	"ruledex/internal/lang"
)

// FuzzParse checks that no input panics, that errors are positioned, and
// that whatever parses prints to a query that parses to the same tree.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		e, err := Parse(in)
		if err != nil {
			var le *lang.Error
			if !errors.As(err, &le) || le.Line < 1 || le.Col < 1 || strings.Contains(le.Msg, "internal error") {
				t.Fatalf("Parse(%q): bad error %v", in, err)
			}
			return
		}
		printed := Print(e)
		back, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) printed as %q, which does not parse: %v", in, printed, err)
		}
		if g, w := jsonOf(back), jsonOf(e); g != w {
			t.Fatalf("Parse(%q) printed as %q, which parses to\n%s\nnot\n%s", in, printed, g, w)
		}
	})
}
