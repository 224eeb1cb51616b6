package lucene

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

func indicators(t *testing.T, q string) []string {
	t.Helper()
	e, err := Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	var out []string
	for _, in := range rule.ExprIndicators(e) {
		s := in.Field + " " + string(in.Kind) + " " + in.Value
		if in.Negated {
			s = "!" + s
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func TestIndicators(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{`process.name:cmd.exe`, []string{"process.name eq cmd.exe"}},
		{`process.name:"cmd.exe"`, []string{"process.name eq cmd.exe"}},
		{`f:"a \"quoted\" \\ phrase*"`, []string{`f eq a "quoted" \ phrase*`}},
		{`f:*create*`, []string{"f contains create"}},
		{`f:*.exe`, []string{"f ends_with .exe"}},
		{`f:cmd*`, []string{"f starts_with cmd"}},
		{`f:a*b`, []string{"f wildcard a*b"}},
		{`f:a?b`, []string{"f wildcard a?b"}},
		{`f:C\:\\Windows\\*`, []string{`f starts_with C:\Windows\`}},
		{`f:a\*b*`, []string{`f starts_with a*b`}},
		{`f:*a\?*`, []string{`f contains a?`}},
		{`f:\*x*y`, []string{`f wildcard \*x*y`}},
		{`f:*`, []string{"f exists"}},
		{`_exists_:user.id`, []string{"user.id exists"}},
		{`NOT _exists_:user.id`, []string{"!user.id exists"}},
		{`f:/ab[0-9]+\/x/`, []string{`f regex ab[0-9]+/x`}},
		{`f:/a\.b/`, []string{`f regex a\.b`}},
		{`f:[1 TO 5]`, []string{"f ge 1", "f le 5"}},
		{`f:{1 TO 5}`, []string{"f gt 1", "f lt 5"}},
		{`f:[1 TO *}`, []string{"f ge 1"}},
		{`f:[* TO *]`, []string{"f exists"}},
		{`f:["a b" TO "c d"]`, []string{"f ge a b", "f le c d"}},
		{`f:>10 AND g:>=2 AND h:<3 AND i:<=4`, []string{"f gt 10", "g ge 2", "h lt 3", "i le 4"}},
		{`f:g+s`, []string{"f eq g+s"}},
		{`f:a-b`, []string{"f eq a-b"}},
		{`mimikatz`, []string{"keyword mimikatz"}},
		{`"free text"`, []string{"keyword free text"}},
		{`*mimi*`, []string{"keyword mimi"}},
		{`f:(a OR b OR c)`, []string{"f eq a", "f eq b", "f eq c"}},
		{`f:(a b)`, []string{"f eq a", "f eq b"}},
		{`f:(a g:b)`, []string{"f eq a", "g eq b"}},
		{`f:(start or process_started)`, []string{"f eq start", "f eq or", "f eq process_started"}},
		{`a:1 AND NOT b:2`, []string{"a eq 1", "!b eq 2"}},
		{`a:1 && !b:2`, []string{"a eq 1", "!b eq 2"}},
		{`+a:1 -b:2 c:3`, []string{"a eq 1", "!b eq 2"}},
		{`a:1 OR b:2`, []string{"a eq 1", "b eq 2"}},
		{`a:1 || b:2`, []string{"a eq 1", "b eq 2"}},
		{`a:1 AND b:2 OR c:3`, []string{"a eq 1", "b eq 2"}},
		{`NOT a:1`, []string{"!a eq 1"}},
		{`a:1^2 AND (b:2)^3`, []string{"a eq 1", "b eq 2"}},
		{`\AND:x`, []string{"AND eq x"}},
	}
	for _, tt := range tests {
		if got := indicators(t, tt.q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.q, got, tt.want)
		}
	}
}

// TestBooleanSemantics checks Lucene's clause logic against the tree's shape.
func TestBooleanSemantics(t *testing.T) {
	tests := []struct{ q, want string }{
		{`a:1 b:2`, `a:1 OR b:2`},
		{`a:1 AND b:2`, `a:1 AND b:2`},
		{`a:1 AND b:2 OR c:3`, `a:1 AND b:2`}, // +a +b c: c only scores
		{`a:1 OR b:2 AND c:3`, `b:2 AND c:3`}, // a +b +c
		{`a:1 OR NOT b:2`, `a:1 AND NOT b:2`}, // Lucene's classic surprise
		{`NOT a:1 NOT b:2`, `NOT a:1 AND NOT b:2`},
		{`(a:1 OR b:2) AND NOT (c:3 OR d:4)`, `(a:1 OR b:2) AND NOT (c:3 OR d:4)`},
		{`a:1 OR (NOT b:2)`, `a:1 OR (NOT b:2)`},
		{`a:1 OR (b:2 AND c:3)`, `a:1 OR (b:2 AND c:3)`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.q)
		if err != nil {
			t.Fatalf("%s: %v", tt.q, err)
		}
		if got := Print(e); got != tt.want {
			t.Errorf("%s: tree prints as %s, want %s", tt.q, got, tt.want)
		}
	}
}

func TestWildcardNotation(t *testing.T) {
	tests := []struct {
		syntax   string // Lucene syntax
		kind     rule.Kind
		notation string // the value: text for eq…ends_with, notation for wildcard
	}{
		{`abc`, rule.Eq, `abc`},
		{`a\*b`, rule.Eq, `a*b`},
		{`*a\*b*`, rule.Contains, `a*b`},
		{`a?c`, rule.Wildcard, `a?c`},
		{`a*b`, rule.Wildcard, `a*b`},
		{`\*a*b`, rule.Wildcard, `\*a*b`},
		{`C:\\Win*\\x.exe`, rule.Wildcard, `C:\Win*\x.exe`},
		{`C:\\*\\x`, rule.Wildcard, `C:\\*\x`},
		{`a\\\*b*c`, rule.Wildcard, `a\\\*b*c`},
		{`a\\\\b*c`, rule.Wildcard, `a\\\b*c`},
		{`*\\`, rule.EndsWith, `\`},
		{`**`, rule.Wildcard, `**`},
		{`*`, rule.Exists, ``},
	}
	for _, tt := range tests {
		w := ParseWildcard(tt.syntax)
		v := w.Value()
		if v.Kind != tt.kind || v.Value != tt.notation {
			t.Errorf("%s: got %s %q, want %s %q", tt.syntax, v.Kind, v.Value, tt.kind, tt.notation)
		}
		if v.Kind == rule.Wildcard {
			back := WildcardNotation(v.Value)
			if !reflect.DeepEqual(back, w) || ParseWildcard(back.Syntax(nil)).Value() != v {
				t.Errorf("%s: notation %q does not read back", tt.syntax, v.Value)
			}
		}
	}
}

func TestPredicateLine(t *testing.T) {
	e, err := Parse("a:1 AND\n  b:2")
	if err != nil {
		t.Fatal(err)
	}
	ps := rule.Predicates(e)
	if len(ps) != 2 || ps[0].Line != 1 || ps[1].Line != 2 || ps[0].Cased {
		t.Errorf("predicates: %+v %+v", ps[0], ps[1])
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		q         string
		line, col int
		msg       string
	}{
		{``, 1, 1, "empty query"},
		{`f:roam~`, 1, 7, "fuzzy or proximity"},
		{`f:"a b"~2`, 1, 8, "fuzzy or proximity"},
		{`(a:1`, 1, 5, "expected ) to close"},
		{`a:1)`, 1, 4, "unbalanced )"},
		{`AND a:1`, 1, 1, "nothing on its left"},
		{`f:"open`, 1, 3, "phrase is never closed"},
		{`f:/open`, 1, 3, "regular expression is never closed"},
		{`f:[1 TO 2`, 1, 10, "range is never closed"},
		{`f:[1 2]`, 1, 6, "expected TO"},
		{"a:1 AND\nb:", 2, 3, "expected a term"},
		{`f:a\`, 1, 3, "lone \\"},
		{`[1 TO 2]`, 1, 1, "a range needs a field"},
		{`a:1 ]`, 1, 5, "outside a range"},
		{`NOT NOT a:1`, 1, 5, "expected a term"},
		{`a:b^`, 1, 4, "^ needs a number"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.q)
		var le *lang.Error
		if !errors.As(err, &le) {
			t.Errorf("Parse(%q) = %v, want a *lang.Error", tt.q, err)
			continue
		}
		if le.Line != tt.line || le.Col != tt.col || !strings.Contains(le.Msg, tt.msg) {
			t.Errorf("Parse(%q):\n got %d:%d %s\nwant %d:%d …%s…", tt.q, le.Line, le.Col, le.Msg, tt.line, tt.col, tt.msg)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	deep := strings.Repeat("(", lang.MaxDepth+1) + "a:1" + strings.Repeat(")", lang.MaxDepth+1)
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("deep parentheses: %v", err)
	}
	ok := strings.Repeat("(", 200) + "a:1" + strings.Repeat(")", 200)
	if _, err := Parse(ok); err != nil {
		t.Errorf("200 levels: %v", err)
	}
}

func TestPrintRoundTrip(t *testing.T) {
	for _, q := range fixtures(t) {
		e, err := Parse(q)
		if err != nil {
			t.Fatalf("fixture %q: %v", q, err)
		}
		printed := Print(e)
		again, err := Parse(printed)
		if err != nil {
			t.Errorf("printed query does not parse: %v\n%s", err, printed)
			continue
		}
		if a, b := rule.ExprIndicators(e), rule.ExprIndicators(again); !reflect.DeepEqual(a, b) {
			t.Errorf("round trip changed indicators:\n%s\n%s\n%v\n%v", q, printed, a, b)
		}
	}
}

func fixtures(tb testing.TB) []string {
	b, err := os.ReadFile("testdata/queries.txt")
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, q := range fixtures(f) {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		e, err := Parse(q)
		if err != nil {
			return
		}
		printed := Print(e)
		again, err := Parse(printed)
		if err != nil {
			t.Fatalf("printed query does not parse: %v\nquery:   %q\nprinted: %q", err, q, printed)
		}
		if a, b := rule.ExprIndicators(e), rule.ExprIndicators(again); !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip changed indicators\nquery:   %q\nprinted: %q\n%v\n%v", q, printed, a, b)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	qs := fixtures(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, q := range qs {
			Parse(q)
		}
	}
}
