package match

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{`*\cmd.exe`, `c:\windows\cmd.exe`, true},
		{`*\cmd.exe`, `c:\windows\xcmd.exe`, false},
		{`c:\*\cmd.exe`, `c:\a\b\cmd.exe`, false}, // \* is a literal star
		{`c:\*\cmd.exe`, `c:*\cmd.exe`, true},
		{`c:\\*\cmd.exe`, `c:\a\b\cmd.exe`, true},
		{`a?c`, `abc`, true},
		{`a?c`, `ac`, false},
		{`a?c`, `aéc`, true},
		{`a\*c`, `a*c`, true},
		{`a\*c`, `abc`, false},
		{`a\?c`, `a?c`, true},
		{`a\\*`, `a\xyz`, true},
		{`*a*b*`, `xxaxxbxx`, true},
		{`*a*b*`, `xxbxxaxx`, false},
		{`*`, ``, true},
		{`?*`, ``, false},
		{`a*a*a*a*b`, strings.Repeat("a", 50), false},
		{`*ab?d*`, `xxabcdxx`, true},
	}
	for _, tc := range tests {
		g := compileGlob(tc.pat, func(s string) string { return s })
		if got := g.match(tc.s); got != tc.want {
			t.Errorf("glob %q on %q = %v, want %v", tc.pat, tc.s, got, tc.want)
		}
	}
}

// FuzzGlob compares the glob matcher with the regular expression the
// pattern stands for.
func FuzzGlob(f *testing.F) {
	for _, s := range []string{`*\cmd.exe|c:\cmd.exe`, `a?c|abc`, `a\*c|a*c`, `*a*b?|xaxbc`, `\\\*|\*`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		pat, s, ok := strings.Cut(in, "|")
		if !ok || len(pat) > 64 || len(s) > 256 || !utf8.ValidString(in) {
			return
		}
		var re strings.Builder
		re.WriteString(`(?s)^`)
		rs := []rune(pat)
		for i := 0; i < len(rs); i++ {
			switch c := rs[i]; {
			case c == '\\' && i+1 < len(rs) && strings.ContainsRune(`*?\`, rs[i+1]):
				re.WriteString(regexp.QuoteMeta(string(rs[i+1])))
				i++
			case c == '*':
				re.WriteString(`.*`)
			case c == '?':
				re.WriteString(`.`)
			default:
				re.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		re.WriteString(`$`)
		want := regexp.MustCompile(re.String()).MatchString(s)
		if got := compileGlob(pat, func(s string) string { return s }).match(s); got != want {
			t.Errorf("glob %q on %q = %v, regexp %s says %v", pat, s, got, re.String(), want)
		}
	})
}
