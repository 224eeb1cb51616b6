package eql

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// Helpers that build expected trees.

func v(kind rule.Kind, val string) rule.Value { return rule.Value{Kind: kind, Value: val} }

func pr(field, op string, vals ...rule.Value) *rule.Predicate {
	return &rule.Predicate{Field: field, Op: op, Values: vals}
}

// cased marks a predicate case-sensitive.
func cased(p *rule.Predicate) *rule.Predicate { p.Cased = true; return p }

func neg(p *rule.Predicate) *rule.Predicate { p.Negated = true; return p }

func fn(f string, p *rule.Predicate) *rule.Predicate { p.Func = f; return p }

func flags(f string, p *rule.Predicate) *rule.Predicate { p.Flags = f; return p }

func anchored(p *rule.Predicate) *rule.Predicate { p.Anchored = true; return p }

func eq(field, val string) *rule.Predicate { return cased(pr(field, "==", v(rule.Eq, val))) }

func opaque(text, reason string) *rule.Opaque { return &rule.Opaque{Text: text, Reason: reason} }

func and(args ...rule.Expr) rule.Expr { return rule.NewAnd(args...) }
func or(args ...rule.Expr) rule.Expr  { return rule.NewOr(args...) }
func not(arg rule.Expr) rule.Expr     { return rule.NewNot(arg) }

// condTests are conditions (after "any where"): the fixtures of the table
// test, the round-trip test and the fuzz seeds.
var condTests = []struct {
	name, in string
	want     rule.Expr
}{
	// comparisons
	{"eq is case-sensitive", `process.name == "cmd.exe"`, eq("process.name", "cmd.exe")},
	{"not eq", `process.name != "cmd.exe"`, neg(cased(pr("process.name", "!=", v(rule.Eq, "cmd.exe"))))},
	{"eq keeps wildcards literal", `f == "a*b"`, eq("f", "a*b")},
	{"number", `event.code == 4624`, eq("event.code", "4624")},
	{"boolean", `process.interactive == true`, eq("process.interactive", "true")},
	{"greater", `process.args_count > 3`, cased(pr("process.args_count", ">", v(rule.Gt, "3")))},
	{"less equal", `f <= 1.5`, cased(pr("f", "<=", v(rule.Le, "1.5")))},
	{"negative number", `f >= -1`, cased(pr("f", ">=", v(rule.Ge, "-1")))},
	{"constant first is flipped", `3 < f`, cased(pr("f", ">", v(rule.Gt, "3")))},
	{"eq null is exists negated", `f == null`, neg(pr("f", "==", v(rule.Exists, "")))},
	{"not eq null is exists", `?user.id != null`, pr("user.id", "!=", v(rule.Exists, ""))},
	{"optional field", `?process.parent.name == "x"`, eq("process.parent.name", "x")},
	{"backquoted field", "`my-field` == 1", eq("my-field", "1")},
	{"backquoted segment", "a.`b c`.d == 1", eq("a.b c.d", "1")},
	{"backquote escape", "`a``b` == 1", eq("a`b", "1")},
	{"array index", `process.args[0] == "x"`, eq("process.args[0]", "x")},
	{"field ref", `source.ip == destination.ip`, cased(pr("source.ip", "==", v(rule.FieldRef, "destination.ip")))},
	{"field ref negated", `a != ?b`, neg(cased(pr("a", "!=", v(rule.FieldRef, "b"))))},

	// : like regex
	{"colon eq", `process.name : "cmd.exe"`, pr("process.name", ":", v(rule.Eq, "cmd.exe"))},
	{"colon contains", `f : "*create*"`, pr("f", ":", v(rule.Contains, "create"))},
	{"colon starts", `f : "cmd*"`, pr("f", ":", v(rule.StartsWith, "cmd"))},
	{"colon ends", `f : "*.exe"`, pr("f", ":", v(rule.EndsWith, ".exe"))},
	{"colon question wildcard", `f : "?:\\Windows\\*.exe"`, pr("f", ":", v(rule.Wildcard, `?:\Windows\\*.exe`))},
	{"colon list", `f : ("a", "b*", "*c")`, pr("f", ":", v(rule.Eq, "a"), v(rule.StartsWith, "b"), v(rule.EndsWith, "c"))},
	{"colon number", `event.code : 4624`, pr("event.code", ":", v(rule.Eq, "4624"))},
	{"like", `f like "Doc*"`, cased(pr("f", "like", v(rule.StartsWith, "Doc")))},
	{"like insensitive list", `f like~ ("d*c", "x")`, pr("f", "like~", v(rule.Wildcard, "d*c"), v(rule.Eq, "x"))},
	{"regex", `f regex "VAL[0-9]+"`, anchored(cased(pr("f", "regex", v(rule.Regex, "VAL[0-9]+"))))},
	{"regex insensitive", `f regex~ ("a\\d", "b.*")`, anchored(flags("i", pr("f", "regex~", v(rule.Regex, `a\d`), v(rule.Regex, "b.*"))))},

	// in
	{"in", `process.name in ("a.exe", "B.exe")`, cased(pr("process.name", "in", v(rule.Eq, "a.exe"), v(rule.Eq, "B.exe")))},
	{"in insensitive", `f in~ ("a", "b")`, pr("f", "in~", v(rule.Eq, "a"), v(rule.Eq, "b"))},
	{"not in", `f not in ("a", 1)`, neg(cased(pr("f", "not in", v(rule.Eq, "a"), v(rule.Eq, "1"))))},
	{"not in insensitive", `f not in~ ("a")`, neg(pr("f", "not in~", v(rule.Eq, "a")))},
	{"in keeps wildcards literal", `f in ("*a*")`, cased(pr("f", "in", v(rule.Eq, "*a*")))},
	{"in with field", `f in ("a", g)`, cased(pr("f", "in", v(rule.Eq, "a"), v(rule.FieldRef, "g")))},

	// functions
	{"startsWith", `startsWith(f, "C:\\")`, cased(pr("f", "startsWith", v(rule.StartsWith, `C:\`)))},
	{"endsWith insensitive", `endsWith~(f, ".exe")`, pr("f", "endsWith~", v(rule.EndsWith, ".exe"))},
	{"stringContains", `stringContains(f, "a*b")`, cased(pr("f", "stringContains", v(rule.Contains, "a*b")))},
	{"lowercase name", `stringcontains~(f, "x")`, pr("f", "stringcontains~", v(rule.Contains, "x"))},
	{"cidrMatch", `cidrMatch(destination.ip, "10.0.0.0/8", "::1")`,
		pr("destination.ip", "cidrMatch", v(rule.CIDR, "10.0.0.0/8"), v(rule.CIDR, "::1"))},
	{"cidrmatch negated", `not cidrmatch(ip, "127.0.0.0/8")`, not(pr("ip", "cidrmatch", v(rule.CIDR, "127.0.0.0/8")))},
	{"length", `length(f) > 3`, fn("length", cased(pr("f", ">", v(rule.Gt, "3"))))},
	{"function of field in test", `startsWith~(string(destination.ip), "10.")`,
		fn("string", pr("destination.ip", "startsWith~", v(rule.StartsWith, "10.")))},
	{"wildcard function", `wildcard(f, "*a*", "b?")`, pr("f", "wildcard", v(rule.Contains, "a"), v(rule.Wildcard, "b?"))},
	{"arithmetic is opaque", `add(a, 1) == 3`, opaque("add(a, 1) == 3", "a comparison of computed values")},
	{"operator arithmetic is opaque", `(a + 1) * 2 > b`, opaque("(a + 1) * 2 > b", "a comparison of computed values")},
	{"between is opaque", `between(f, "a", "b") == "x"`, opaque(`between(f, "a", "b") == "x"`, "a comparison of computed values")},
	{"unknown function is opaque", `isWeird(f)`, opaque("isWeird(f)", "the function isWeird is not a field test")},
	{"function of two fields is opaque", `endsWith(a, b)`, opaque("endsWith(a, b)", "endsWith with a computed value")},
	{"substring compare is opaque", `substring(f, 0, 3) : "abc"`, opaque(`substring(f, 0, 3) : "abc"`, "a lookup on a computed value")},
	{"lineage is opaque", `descendant of [process where process.name == "cmd.exe"]`,
		opaque(`descendant of [process where process.name == "cmd.exe"]`,
			"process lineage (descendant of) is Endgame EQL, which Elasticsearch does not run")},

	// logic and precedence
	{"and", `a == 1 and b == 2`, and(eq("a", "1"), eq("b", "2"))},
	{"and binds tighter than or", `a == 1 or b == 2 and c == 3`, or(eq("a", "1"), and(eq("b", "2"), eq("c", "3")))},
	{"not binds tighter than and", `not a == 1 and b == 2`, and(not(eq("a", "1")), eq("b", "2"))},
	{"not group", `not (a == 1 or b == 2)`, not(or(eq("a", "1"), eq("b", "2")))},
	{"parentheses", `(a == 1 or b == 2) and c : "x"`, and(or(eq("a", "1"), eq("b", "2")), pr("c", ":", v(rule.Eq, "x")))},
	{"not colon", `not f : "*x*"`, not(pr("f", ":", v(rule.Contains, "x")))},
	{"double not", `not not a == 1`, not(not(eq("a", "1")))},

	// strings
	{"escapes", `f == "a\"b\\c\n\t\r"`, eq("f", "a\"b\\c\n\t\r")},
	{"single quote escape", `f == "it\'s"`, eq("f", "it's")},
	{"unicode escape", `f == "\u{41}\u{200f}\u{0001F600}"`, eq("f", "A\u200f\U0001F600")},
	{"raw string", `f : """C:\Windows\*"""`, pr("f", ":", v(rule.StartsWith, `C:\Windows\`))},
	{"raw string with quotes", `f == """say "hi" """`, eq("f", `say "hi" `)},
	{"raw string ending in quote", `f == """a""""`, eq("f", `a"`)},
	{"single-quoted string", `f == 'x'`, eq("f", "x")},
	{"comments", "a == 1 /* block /* nested */ */ and // line\n b == 2", and(eq("a", "1"), eq("b", "2"))},
}

func TestConditions(t *testing.T) {
	for _, tt := range condTests {
		t.Run(tt.name, func(t *testing.T) {
			stages, err := Parse("any where " + tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if g, w := jsonOf(stages[0].Expr), jsonOf(tt.want); g != w {
				t.Errorf("Parse(%q)\n got %s\nwant %s", tt.in, g, w)
			}
		})
	}
}

// TestPrintRoundTrip: Print of a parsed condition parses to the same tree.
func TestPrintRoundTrip(t *testing.T) {
	for _, tt := range condTests {
		t.Run(tt.name, func(t *testing.T) {
			stages, err := Parse("any where " + tt.in)
			if err != nil {
				t.Fatal(err)
			}
			printed := Print(stages[0].Expr)
			back, err := Parse("any where " + printed)
			if err != nil {
				t.Fatalf("Print gave %q, which does not parse: %v", printed, err)
			}
			if g, w := jsonOf(back[0].Expr), jsonOf(stages[0].Expr); g != w {
				t.Errorf("Print gave %q\n which parses to %s\n           not %s", printed, g, w)
			}
		})
	}
}

func TestPrint(t *testing.T) {
	tests := []struct{ in, want string }{
		{`a == 1 or b == 2 and c == 3`, `a == 1 or (b == 2 and c == 3)`},
		{`not (a : "x" and b : "y")`, `not (a : "x" and b : "y")`},
		{`f in ("a", "b") and g not in~ ("c")`, `f in ("a", "b") and g not in~ ("c")`},
		{`f : ("*a*", "b*")`, `f : ("*a*", "b*")`},
		{`f == null or g != null`, `f == null or g != null`},
		{"`a-b` == \"x\\\\y\"", "`a-b` == \"x\\\\y\""},
		{`length(f) >= 2`, `length(f) >= 2`},
		{`cidrmatch(ip, "10.0.0.0/8")`, `cidrmatch(ip, "10.0.0.0/8")`},
		{`a + 1 == 2`, `a + 1 == 2`},
	}
	for _, tt := range tests {
		stages, err := Parse("any where " + tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if got := Print(stages[0].Expr); got != tt.want {
			t.Errorf("Print(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Print(nil); got != "true" {
		t.Errorf("Print(nil) = %q, want true", got)
	}
}

func TestStages(t *testing.T) {
	type stage struct {
		command, label string
		role           rule.Role
		attrs          []rule.Attr
		hasExpr        bool
		line           int
	}
	tests := []struct {
		name, in string
		want     []stage
	}{
		{"event query", `process where process.name == "x"`,
			[]stage{{"process where", "process", rule.RoleSource, nil, true, 1}}},
		{"where true does not filter", `file where true`,
			[]stage{{"file where", "file", rule.RoleSource, nil, false, 1}}},
		{"quoted category", `"my-category" where true`,
			[]stage{{`"my-category" where`, "my-category", rule.RoleSource, nil, false, 1}}},
		{"sequence", "sequence by host.id, user.name with maxspan=5m\n" +
			"  [process where event.type == \"start\"] by process.entity_id\n" +
			"  [network where true] by process.entity_id with runs=3\n" +
			"  ![file where file.name : \"x\"]\n" +
			"until [process where event.type == \"end\"]",
			[]stage{
				{"sequence", "", rule.RoleAggregate, []rule.Attr{{Name: "by", Value: "host.id, user.name"}, {Name: "maxspan", Value: "5m"}}, false, 1},
				{"sequence step 1", "process", rule.RoleSource, []rule.Attr{{Name: "by", Value: "process.entity_id"}}, true, 2},
				{"sequence step 2", "network", rule.RoleSource, []rule.Attr{{Name: "by", Value: "process.entity_id"}, {Name: "runs", Value: "3"}}, false, 3},
				{"sequence step 3", "file", rule.RoleSource, []rule.Attr{{Name: "missing", Value: "true"}}, true, 4},
				{"until", "process", rule.RoleFilter, nil, true, 5},
			}},
		{"sequence with runs before by", "sequence [a where true] with runs=2 by x [b where true]",
			[]stage{
				{"sequence", "", rule.RoleAggregate, nil, false, 1},
				{"sequence step 1", "a", rule.RoleSource, []rule.Attr{{Name: "runs", Value: "2"}, {Name: "by", Value: "x"}}, false, 1},
				{"sequence step 2", "b", rule.RoleSource, nil, false, 1},
			}},
		{"sequence maxspan only", "sequence with maxspan=1h [a where true] [b where true]",
			[]stage{
				{"sequence", "", rule.RoleAggregate, []rule.Attr{{Name: "maxspan", Value: "1h"}}, false, 1},
				{"sequence step 1", "a", rule.RoleSource, nil, false, 1},
				{"sequence step 2", "b", rule.RoleSource, nil, false, 1},
			}},
		{"sample", "sample by host.id, ?process.pid\n [file where true]\n [process where a == 1]",
			[]stage{
				{"sample", "", rule.RoleAggregate, []rule.Attr{{Name: "by", Value: "host.id, ?process.pid"}}, false, 1},
				{"sample step 1", "file", rule.RoleSource, nil, false, 2},
				{"sample step 2", "process", rule.RoleSource, nil, true, 3},
			}},
		{"join", "join by user.name [a where true] [b where true] until [c where true]",
			[]stage{
				{"join", "", rule.RoleAggregate, []rule.Attr{{Name: "by", Value: "user.name"}}, false, 1},
				{"join step 1", "a", rule.RoleSource, nil, false, 1},
				{"join step 2", "b", rule.RoleSource, nil, false, 1},
				{"until", "c", rule.RoleFilter, nil, false, 1},
			}},
		{"pipes", "process where true\n| head 5 | tail 2\n| filter a == 1 | unique a, b | unique_count c | count | sort d",
			[]stage{
				{"process where", "process", rule.RoleSource, nil, false, 1},
				{"head", "", rule.RoleOutput, []rule.Attr{{Name: "args", Value: "5"}}, false, 2},
				{"tail", "", rule.RoleOutput, []rule.Attr{{Name: "args", Value: "2"}}, false, 2},
				{"filter", "", rule.RoleFilter, []rule.Attr{{Name: "args", Value: "a == 1"}}, true, 3},
				{"unique", "", rule.RoleAggregate, []rule.Attr{{Name: "args", Value: "a, b"}}, false, 3},
				{"unique_count", "", rule.RoleAggregate, []rule.Attr{{Name: "args", Value: "c"}}, false, 3},
				{"count", "", rule.RoleAggregate, nil, false, 3},
				{"sort", "", rule.RoleOutput, []rule.Attr{{Name: "args", Value: "d"}}, false, 3},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stages, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var got []stage
			for i, s := range stages {
				if s.Index != i+1 {
					t.Errorf("stage %d has Index %d", i+1, s.Index)
				}
				got = append(got, stage{s.Command, s.Label, s.Role, s.Attrs, s.Expr != nil, s.Line})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("stages\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestStageText(t *testing.T) {
	in := "sequence by a with maxspan=30s\n  [process where b == 1] by c\n  [file where true]\n| head 3"
	stages, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"sequence by a with maxspan=30s", "[process where b == 1] by c", "[file where true]", "| head 3"}
	for i, w := range want {
		if stages[i].Text != w {
			t.Errorf("stage %d text %q, want %q", i+1, stages[i].Text, w)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
		msg       string
	}{
		{"unclosed paren", `any where (a == 1 or b == 2`, 1, 28, `missing ")" to close the "(" at line 1, column 11`},
		{"unclosed list", "any where f in (\"a\",\n \"b\"", 2, 5, `missing ")" to close the "("`},
		{"unclosed step", "sequence\n [a where true\n [b where true]", 3, 2, `missing "]" to close the "[" at line 2, column 2`},
		{"stray paren", `any where a == 1)`, 1, 17, `unexpected ")"`},
		{"unterminated string", `any where a == "x`, 1, 16, "unterminated string"},
		{"unterminated string line 2", "any where a == 1 and\n b == \"x", 2, 7, "unterminated string"},
		{"unterminated raw string", `any where a == """x`, 1, 16, "unterminated raw string"},
		{"unterminated comment", `any where a == 1 /* x`, 1, 18, "unterminated comment"},
		{"unknown escape", `any where a == "C:\W"`, 1, 19, `unknown escape \W`},
		{"single equals", `any where a = 1`, 1, 13, "use =="},
		{"chained comparison", `any where a < b < c`, 1, 17, "cannot be chained"},
		{"missing where", `process a == 1`, 1, 9, "expected where"},
		{"missing condition", `process where`, 1, 14, "expected a field"},
		{"uppercase keyword", `any where a == 1 AND b == 2`, 1, 18, "keywords are lowercase"},
		{"unknown pipe", `any where true | bogus 1`, 1, 18, "unknown pipe"},
		{"by after with", `sequence with maxspan=1m by a [x where true]`, 1, 26, "by must come before with"},
		{"sequence without steps", `sequence by a`, 1, 14, "steps"},
		{"bad maxspan", `sequence with maxspan=x [a where true]`, 1, 23, "expected a number"},
		{"old raw string", `any where a : ?"x"`, 1, 15, `raw string as """`},
		{"in without list", `any where a in "x"`, 1, 16, "( after in"},
		{"empty", "  // nothing\n", 2, 1, "empty query"},
		{"stray character", "any where a == #", 1, 16, "unexpected character"},
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
		return "any where " + strings.Repeat("(", n) + "a == 1" + strings.Repeat(")", n)
	}
	if _, err := Parse(deep(lang.MaxDepth - 1)); err != nil {
		t.Errorf("%d levels should parse: %v", lang.MaxDepth-1, err)
	}
	for _, in := range []string{
		deep(lang.MaxDepth + 1),
		"any where " + strings.Repeat("not ", lang.MaxDepth+1) + "a == 1",
		"any where a == " + strings.Repeat("-", lang.MaxDepth+1) + "1",
		"any where " + strings.Repeat("f(", lang.MaxDepth+1) + "a" + strings.Repeat(")", lang.MaxDepth+1),
		"any where a in " + strings.Repeat("(", lang.MaxDepth+1) + "1" + strings.Repeat(")", lang.MaxDepth+1),
	} {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), "deeper than") {
			t.Errorf("Parse(%.40q…) = %v, want the nesting error", in, err)
		}
	}
}

// TestLargeInputIsLinear guards against quadratic behaviour on huge input
// (the limit is generous because tests share the machine).
func TestLargeInputIsLinear(t *testing.T) {
	inputs := []string{
		"any where " + strings.Repeat(`f : "*x*" or `, 20000) + "g == 1",
		"any where f in (" + strings.Repeat(`"a", `, 40000) + `"b")`,
		"sequence " + strings.Repeat("[a where b == 1]\n", 10000),
		"any where a == 1 " + strings.Repeat("/* comment */ ", 20000),
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
