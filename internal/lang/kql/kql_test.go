package kql

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// Helpers that build expected trees.

func v(kind rule.Kind, val string) rule.Value { return rule.Value{Kind: kind, Value: val} }

func p(field string, vals ...rule.Value) *rule.Predicate {
	return &rule.Predicate{Field: field, Op: ":", Values: vals}
}

func all(pr *rule.Predicate) *rule.Predicate { pr.All = true; return pr }

func rng(field, op string, kind rule.Kind, val string) *rule.Predicate {
	return &rule.Predicate{Field: field, Op: op, Values: []rule.Value{v(kind, val)}}
}

func kw(val string) *rule.Predicate {
	return &rule.Predicate{Values: []rule.Value{v(rule.Keyword, val)}}
}

func and(args ...rule.Expr) rule.Expr { return rule.NewAnd(args...) }
func or(args ...rule.Expr) rule.Expr  { return rule.NewOr(args...) }
func not(arg rule.Expr) rule.Expr     { return rule.NewNot(arg) }

// parseTests are the fixtures of the table tests, the round-trip test and
// the fuzz seeds.
var parseTests = []struct {
	name, in string
	want     rule.Expr
}{
	// values and wildcards
	{"field value", `process.name: cmd.exe`, p("process.name", v(rule.Eq, "cmd.exe"))},
	{"no spaces", `process.name:cmd.exe`, p("process.name", v(rule.Eq, "cmd.exe"))},
	{"quoted", `process.name : "cmd.exe"`, p("process.name", v(rule.Eq, "cmd.exe"))},
	{"contains", `f:*create*`, p("f", v(rule.Contains, "create"))},
	{"starts with", `f:cmd*`, p("f", v(rule.StartsWith, "cmd"))},
	{"ends with", `f:*.exe`, p("f", v(rule.EndsWith, ".exe"))},
	{"wildcard", `f:google.iam.v*.SetIAMPolicy`, p("f", v(rule.Wildcard, "google.iam.v*.SetIAMPolicy"))},
	{"two wildcards inside", `f:*a*b*`, p("f", v(rule.Wildcard, "*a*b*"))},
	{"exists", `f:*`, p("f", v(rule.Exists, ""))},
	{"exists spaced", `f : *`, p("f", v(rule.Exists, ""))},
	{"quoted star is literal", `f:"*create*"`, p("f", v(rule.Eq, "*create*"))},
	{"escaped star is literal", `f:a\*b`, p("f", v(rule.Eq, "a*b"))},
	{"escaped star in prefix", `f:a\*b*`, p("f", v(rule.StartsWith, "a*b"))},
	{"escaped star in pattern", `f:*a\*b*c`, p("f", v(rule.Wildcard, `*a\*b*c`))},
	{"question mark is literal", `f:a?b*c`, p("f", v(rule.Wildcard, `a\?b*c`))},
	{"escaped colon and backslash", `f:C\:\\Windows\\*`, p("f", v(rule.StartsWith, `C:\Windows\`))},
	{"backslash before wildcard doubled", `f:C\:\\*\\x.exe`, p("f", v(rule.Wildcard, `C:\\*\x.exe`))},
	{"escaped specials", `f:\(a\)\<\>\{\}\"`, p("f", v(rule.Eq, `(a)<>{}"`))},
	{"escaped whitespace", `f:a\tb\nc\rd`, p("f", v(rule.Eq, "a\tb\nc\rd"))},
	{"unicode escape", `f:\u0041b`, p("f", v(rule.Eq, "Ab"))},
	{"escaped keyword", `f:\and`, p("f", v(rule.Eq, "and"))},
	{"keyword word as value", `f:not`, p("f", v(rule.Eq, "not"))},
	{"keyword inside word", `f:notepad.exe or g:order`, or(p("f", v(rule.Eq, "notepad.exe")), p("g", v(rule.Eq, "order")))},
	{"multi-word value", `f: quick brown fox`, p("f", v(rule.Eq, "quick brown fox"))},
	{"multi-word wildcard", `f: *quick  fox*`, p("f", v(rule.Contains, "quick  fox"))},
	{"quoted escapes", `f:"say \"hi\" \\ now"`, p("f", v(rule.Eq, `say "hi" \ now`))},
	{"quoted lone backslash kept", `f:"C:\Windows\System32"`, p("f", v(rule.Eq, `C:\Windows\System32`))},
	{"quoted \t is a tab", `f:"C:\temp"`, p("f", v(rule.Eq, "C:\temp"))},
	{"quoted unicode", `f:"\u0000x"`, p("f", v(rule.Eq, "\x00x"))},
	{"quoted newline", "f:\"a\nb\"", p("f", v(rule.Eq, "a\nb"))},
	{"number", `event.code:4624`, p("event.code", v(rule.Eq, "4624"))},
	{"boolean", `process.interactive:true`, p("process.interactive", v(rule.Eq, "true"))},
	{"cidr", `source.ip:10.0.0.0/8`, p("source.ip", v(rule.CIDR, "10.0.0.0/8"))},
	{"cidr quoted v6", `source.ip:"fe80::/10"`, p("source.ip", v(rule.CIDR, "fe80::/10"))},
	{"quoted field", `"my field":x`, p("my field", v(rule.Eq, "x"))},
	{"wildcard field", `process.*:x`, p("process.*", v(rule.Eq, "x"))},
	{"no-break space", "f:a\u00a0and\u00a0g:b", and(p("f", v(rule.Eq, "a")), p("g", v(rule.Eq, "b")))},

	// ranges
	{"range ge", `f >= 10`, rng("f", ">=", rule.Ge, "10")},
	{"range gt", `f>10`, rng("f", ">", rule.Gt, "10")},
	{"range lt", `f < 1.5`, rng("f", "<", rule.Lt, "1.5")},
	{"range le quoted", `@timestamp <= "2020-01-01"`, rng("@timestamp", "<=", rule.Le, "2020-01-01")},
	{"range pair", `p >= 5800 and p <= 5810`, and(rng("p", ">=", rule.Ge, "5800"), rng("p", "<=", rule.Le, "5810"))},

	// boolean operators and precedence
	{"and", `a:1 and b:2`, and(p("a", v(rule.Eq, "1")), p("b", v(rule.Eq, "2")))},
	{"or", `a:1 or b:2`, or(p("a", v(rule.Eq, "1")), p("b", v(rule.Eq, "2")))},
	{"and binds tighter than or", `a:1 or b:2 and c:3`,
		or(p("a", v(rule.Eq, "1")), and(p("b", v(rule.Eq, "2")), p("c", v(rule.Eq, "3"))))},
	{"not binds tighter than and", `not a:1 and b:2`, and(not(p("a", v(rule.Eq, "1"))), p("b", v(rule.Eq, "2")))},
	{"parentheses", `(a:1 or b:2) and c:3`,
		and(or(p("a", v(rule.Eq, "1")), p("b", v(rule.Eq, "2"))), p("c", v(rule.Eq, "3")))},
	{"not group", `not (a:1 or b:2)`, not(or(p("a", v(rule.Eq, "1")), p("b", v(rule.Eq, "2"))))},
	{"not without space", `not(a:1)`, not(p("a", v(rule.Eq, "1")))},
	{"double not", `not not a:1`, not(not(p("a", v(rule.Eq, "1"))))},
	{"keywords any case", `a:1 AND NOT b:2 Or c:3`,
		or(and(p("a", v(rule.Eq, "1")), not(p("b", v(rule.Eq, "2")))), p("c", v(rule.Eq, "3")))},
	{"exists negated", `not f:*`, not(p("f", v(rule.Exists, "")))},
	{"multi-line", "a:1\n  and b:2\n  or c:3",
		or(and(p("a", v(rule.Eq, "1")), p("b", v(rule.Eq, "2"))), p("c", v(rule.Eq, "3")))},

	// value lists
	{"value list or", `f:(a or b)`, p("f", v(rule.Eq, "a"), v(rule.Eq, "b"))},
	{"value list and", `f:(a and b)`, all(p("f", v(rule.Eq, "a"), v(rule.Eq, "b")))},
	{"value list mixed", `f:("x" or y* or *z)`, p("f", v(rule.Eq, "x"), v(rule.StartsWith, "y"), v(rule.EndsWith, "z"))},
	{"value list spaced", `f : ( a or b )`, p("f", v(rule.Eq, "a"), v(rule.Eq, "b"))},
	{"value list with not", `f:(a or not b)`, or(p("f", v(rule.Eq, "a")), not(p("f", v(rule.Eq, "b"))))},
	{"value list exists and not", `f:(* and not x*)`, and(p("f", v(rule.Exists, "")), not(p("f", v(rule.StartsWith, "x"))))},
	{"value list nested", `f:((a or b) and c)`, and(p("f", v(rule.Eq, "a"), v(rule.Eq, "b")), p("f", v(rule.Eq, "c")))},
	{"value list then field", `f:(a or b) and g:c`, and(p("f", v(rule.Eq, "a"), v(rule.Eq, "b")), p("g", v(rule.Eq, "c")))},
	{"value list keyword value", `f:(a or \or)`, p("f", v(rule.Eq, "a"), v(rule.Eq, "or"))},

	// nested fields
	{"nested", `user:{ first: "John" and last: Smith* }`,
		and(p("user.first", v(rule.Eq, "John")), p("user.last", v(rule.StartsWith, "Smith")))},
	{"nested in nested", `a:{ b:{ c:1 } }`, p("a.b.c", v(rule.Eq, "1"))},
	{"nested range", `a:{ n > 3 }`, rng("a.n", ">", rule.Gt, "3")},

	// free text
	{"free text", `hello`, kw("hello")},
	{"free text quoted", `"hello world"`, kw("hello world")},
	{"free text quoted star", `"a*b"`, kw(`a\*b`)},
	{"free text wildcard", `powershell*`, kw("powershell")},
	{"free text and field", `error and f:x`, and(kw("error"), p("f", v(rule.Eq, "x")))},
	{"keyword at the end is a word", `a:1 and`, p("a", v(rule.Eq, "1 and"))},
	{"lone not is a word", `not`, kw("not")},

	// empty
	{"empty", "  \n ", nil},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if g, w := jsonOf(got), jsonOf(tt.want); g != w {
				t.Errorf("Parse(%q)\n got %s\nwant %s", tt.in, g, w)
			}
		})
	}
}

// TestPrintRoundTrip: Print(Parse(x)) parses back to the same tree.
func TestPrintRoundTrip(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			printed := Print(e)
			back, err := Parse(printed)
			if err != nil {
				t.Fatalf("Print gave %q, which does not parse: %v", printed, err)
			}
			if g, w := jsonOf(back), jsonOf(e); g != w {
				t.Errorf("Print gave %q\n which parses to %s\n           not %s", printed, g, w)
			}
		})
	}
}

func TestPrint(t *testing.T) {
	tests := []struct{ in, want string }{
		{`f:a and (g:b or h:c)`, `f:a and (g:b or h:c)`},
		{`f:a or g:b and h:c`, `f:a or (g:b and h:c)`},
		{`not (f:a and g:b)`, `not (f:a and g:b)`},
		{`f:(a or "b c" or *d*)`, `f:(a or "b c" or *d*)`},
		{`f:(a and b)`, `f:(a and b)`},
		{`f : C\:\\Windows\\*`, `f:C\:\\Windows\\*`},
		{`f:* and not g:*`, `f:* and not g:*`},
		{`f >= 3`, `f >= 3`},
		{`u:{ a:1 }`, `u.a:1`},
		{`"free text"`, `"free text"`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if got := Print(e); got != tt.want {
			t.Errorf("Print(Parse(%q)) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A contains value holding a keyword between spaces is escaped.
	e := p("f", v(rule.Contains, "a or b"), v(rule.StartsWith, "not x"))
	printed := Print(e)
	back, err := Parse(printed)
	if err != nil || jsonOf(back) != jsonOf(e) {
		t.Errorf("Print = %q, parses to %s (%v)", printed, jsonOf(back), err)
	}
}

func TestIndicators(t *testing.T) {
	e, err := Parse(`event.category:process and process.name:(cmd.exe or *powershell*) and not process.args:"-enc" and not f:*`)
	if err != nil {
		t.Fatal(err)
	}
	got := rule.ExprIndicators(e)
	want := []rule.Indicator{
		{Field: "event.category", Kind: rule.Eq, Value: "process"},
		{Field: "process.name", Kind: rule.Eq, Value: "cmd.exe"},
		{Field: "process.name", Kind: rule.Contains, Value: "powershell"},
		{Field: "process.args", Kind: rule.Eq, Value: "-enc", Negated: true},
		{Field: "f", Kind: rule.Exists, Negated: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Field != want[i].Field || got[i].Kind != want[i].Kind || got[i].Value != want[i].Value || got[i].Negated != want[i].Negated {
			t.Errorf("indicator %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestPredicateFlags(t *testing.T) {
	e, err := Parse("a:1 and\n  b:2")
	if err != nil {
		t.Fatal(err)
	}
	preds := rule.Predicates(e)
	if preds[0].Line != 1 || preds[1].Line != 2 {
		t.Errorf("lines = %d, %d, want 1, 2", preds[0].Line, preds[1].Line)
	}
	for _, pr := range preds {
		if pr.Cased {
			t.Errorf("KQL predicates are matched case-insensitively, got Cased on %+v", pr)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
		msg       string
	}{
		{"unclosed paren", `(a:1 or b:2`, 1, 12, `missing ")" to close the "(" at line 1, column 1`},
		{"unclosed value list", "f:(a or\n b", 2, 3, `missing ")" to close the "(" at line 1, column 3`},
		{"unclosed nested", `u:{ a:1`, 1, 8, `missing "}" to close the "{"`},
		{"stray close", `a:1)`, 1, 4, `unexpected ")"`},
		{"unterminated quote", `f:"abc`, 1, 3, "unterminated quoted string"},
		{"unterminated quote line 2", "a:1 and\nf:\"abc", 2, 3, "unterminated quoted string"},
		{"missing value", `f:`, 1, 3, "expected a value"},
		{"dangling and", "a:1 and ", 1, 9, "expected a field or a value"},
		{"unknown escape", `f:a\qb`, 1, 4, `unknown escape`},
		{"trailing backslash", `f:a\`, 1, 4, `unknown escape`},
		{"two terms without operator", `a:1 (b:2)`, 1, 5, "join terms with and / or"},
		{"range without value", `f >=`, 1, 5, "expected a value after >="},
		{"dangling not", "a:1 or not ", 1, 12, "expected a field or a value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			var le *lang.Error
			if !errors.As(err, &le) {
				t.Fatalf("Parse(%q) = %v, want a *lang.Error", tt.in, err)
			}
			if le.Line != tt.line || le.Col != tt.col || !strings.Contains(le.Msg, tt.msg) {
				t.Errorf("Parse(%q) = %v, want line %d, column %d: …%s…", tt.in, err, tt.line, tt.col, tt.msg)
			}
		})
	}
}

func TestNestingLimit(t *testing.T) {
	deep := func(n int) string {
		return strings.Repeat("(", n) + "a:1" + strings.Repeat(")", n)
	}
	if _, err := Parse(deep(lang.MaxDepth)); err != nil {
		t.Errorf("%d levels should parse: %v", lang.MaxDepth, err)
	}
	for _, in := range []string{deep(lang.MaxDepth + 1), strings.Repeat("not ", lang.MaxDepth+1) + "a:1",
		"f:" + strings.Repeat("(", lang.MaxDepth+1) + "a" + strings.Repeat(")", lang.MaxDepth+1),
		strings.Repeat("a:{", lang.MaxDepth+1) + "b:1" + strings.Repeat("}", lang.MaxDepth+1)} {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), "deeper than") {
			t.Errorf("Parse(%.20q…) = %v, want the nesting error", in, err)
		}
	}
}

// TestLargeInputIsLinear guards against quadratic behaviour on huge input:
// each input is a few hundred kilobytes, which a quadratic step would take
// minutes over (the limit is generous because tests share the machine).
func TestLargeInputIsLinear(t *testing.T) {
	inputs := []string{
		strings.Repeat("field.name:value* or ", 10000) + "x:1",
		"f: " + strings.Repeat("word ", 40000),
		"f:(" + strings.Repeat("a or ", 40000) + "b)",
		"f:" + strings.Repeat("a*", 100000),
		strings.Repeat(`"quoted \" string" and `, 10000) + "x",
	}
	for _, in := range inputs {
		start := time.Now()
		if _, err := Parse(in); err != nil {
			t.Fatalf("Parse(%.30q…): %v", in, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Parse(%.30q…) of %d bytes took %v", in, len(in), d)
		}
	}
}
