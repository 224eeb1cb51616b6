package esql

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// ind writes an indicator compactly for table tests: "field kind value",
// with a leading "!" when negated.
func ind(in rule.Indicator) string {
	s := in.Field + " " + string(in.Kind) + " " + in.Value
	if in.Negated {
		s = "!" + s
	}
	return strings.TrimSpace(s)
}

func whereIndicators(t *testing.T, cond string) ([]string, rule.Expr) {
	t.Helper()
	stages, err := Parse("FROM logs-* | WHERE " + cond)
	if err != nil {
		t.Fatalf("Parse(%q): %v", cond, err)
	}
	e := stages[1].Expr
	var out []string
	for _, in := range rule.ExprIndicators(e) {
		out = append(out, ind(in))
	}
	return out, e
}

func TestWhereIndicators(t *testing.T) {
	tests := []struct {
		cond string
		want []string
	}{
		{`process.name == "cmd.exe"`, []string{"process.name eq cmd.exe"}},
		{`process.name != "cmd.exe"`, []string{"!process.name eq cmd.exe"}},
		{`NOT process.name == "a" AND NOT NOT b == "c"`, []string{"!process.name eq a", "b eq c"}},
		{`"cmd.exe" == process.name`, []string{"process.name eq cmd.exe"}},
		{`process.pid > 4 and 10 >= process.pid`, []string{"process.pid gt 4", "process.pid le 10"}},
		{`x < -1.5`, []string{"x lt -1.5"}},
		{`f IN ("a", "b") AND g NOT IN (1, 2)`, []string{"f eq a", "f eq b", "!g eq 1", "!g eq 2"}},
		{`f LIKE "*create*"`, []string{"f contains create"}},
		{`f LIKE "*.exe"`, []string{"f ends_with .exe"}},
		{`f LIKE "cmd*"`, []string{"f starts_with cmd"}},
		{`f LIKE "a*b"`, []string{"f wildcard a*b"}},
		{`f LIKE "a?c"`, []string{"f wildcard a?c"}},
		{`f LIKE "*"`, []string{"f exists"}},
		{`f LIKE "plain"`, []string{"f eq plain"}},
		{`f LIKE "C:\\\\Windows\\\\*"`, []string{`f starts_with C:\Windows\`}},
		{`f LIKE """C:\\Windows\\*"""`, []string{`f starts_with C:\Windows\`}},
		{`f LIKE "*\\**"`, []string{`f contains *`}},
		{`f LIKE "a\\*b*"`, []string{`f starts_with a*b`}},
		{`f LIKE "*a*b*"`, []string{`f wildcard *a*b*`}},
		{`f NOT LIKE ("*a*", "b*")`, []string{"!f contains a", "!f starts_with b"}},
		{`f RLIKE """.*\.exe"""`, []string{`f regex .*\.exe`}},
		{`f RLIKE "a\\.b"`, []string{`f regex a\.b`}},
		{`f IS NULL`, []string{"!f exists"}},
		{`f IS NOT NULL`, []string{"f exists"}},
		{`NOT f IS NULL`, []string{"f exists"}},
		{`TO_LOWER(process.name) == "cmd.exe"`, []string{"process.name eq cmd.exe"}},
		{`TO_LOWER(process.name) LIKE "*cmd*"`, []string{"process.name contains cmd"}},
		{`TO_STRING(user.id) == "0"`, []string{"user.id eq 0"}},
		{`LENGTH(user.name) <= 4`, []string{"length(user.name) le 4"}},
		{`length(TO_STRING(user.id)) <= 4`, []string{"length(user.id) le 4"}},
		{`STARTS_WITH(f, "ab") AND ENDS_WITH(g, ".exe") AND CONTAINS(h, "x")`, []string{"f starts_with ab", "g ends_with .exe", "h contains x"}},
		{`CIDR_MATCH(source.ip, "10.0.0.0/8", "::1/128")`, []string{"source.ip cidr 10.0.0.0/8", "source.ip cidr ::1/128"}},
		{`NOT CIDR_MATCH(source.ip, "10.0.0.0/8")`, []string{"!source.ip cidr 10.0.0.0/8"}},
		{`MV_CONTAINS(process.args, "-c")`, []string{"process.args eq -c"}},
		{`source.ip == destination.ip`, []string{"source.ip fieldref destination.ip"}},
		{`user.name != user.target.name`, []string{"!user.name fieldref user.target.name"}},
		{"`odd-field`.x == true", []string{"odd-field.x eq true"}},
		{`Esql.is_admin`, []string{"Esql.is_admin eq true"}},
		{`message : "failed login"`, []string{"message eq failed login"}},
		{`MATCH(url.domain, "example.com", {"fuzziness": 1})`, []string{"url.domain eq example.com"}},
		{`f::STRING == "1"`, []string{"f eq 1"}},
		{`KQL("event.action: creation and not file.extension: exe")`, []string{"event.action eq creation", "!file.extension eq exe"}},
		{`QSTR("process.name:cmd.exe AND NOT user.name:root")`, []string{"process.name eq cmd.exe", "!user.name eq root"}},
		{`true IN (STARTS_WITH(a, "Get"), b == "x")`, []string{"a starts_with Get", "b eq x"}},
		{`false NOT IN (a == "1")`, []string{"a eq 1"}},
		{`@timestamp > now() - 7 day`, nil},
		{`a + b > 3`, nil},
		{`f == null`, nil},
		{`LOCATE(f, "x") > 0`, nil},
		{`(a == "1" OR b == "2") AND c == "3"`, []string{"a eq 1", "b eq 2", "c eq 3"}},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			got, _ := whereIndicators(t, tt.cond)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("indicators of %q:\n got %q\nwant %q", tt.cond, got, tt.want)
			}
		})
	}
}

func TestWherePredicateFlags(t *testing.T) {
	tests := []struct {
		cond  string
		cased bool
		fn    string
		op    string
	}{
		{`f == "A"`, true, "", "=="},
		{`TO_LOWER(f) == "a"`, false, "", "=="},
		{`TO_UPPER(f) LIKE "A*"`, false, "", "LIKE"},
		{`f =~ "a"`, false, "", "=~"},
		{`f LIKE "a*"`, true, "", "LIKE"},
		{`LENGTH(f) > 3`, true, "length", ">"},
		{`f NOT IN ("a")`, true, "", "NOT IN"},
		{`message : "x"`, false, "", ":"},
	}
	for _, tt := range tests {
		_, e := whereIndicators(t, tt.cond)
		p, ok := e.(*rule.Predicate)
		if !ok {
			t.Errorf("%q: got %T, want a predicate", tt.cond, e)
			continue
		}
		if p.Cased != tt.cased || p.Func != tt.fn || p.Op != tt.op || p.Line != 1 {
			t.Errorf("%q: got cased=%v func=%q op=%q line=%d, want cased=%v func=%q op=%q line=1", tt.cond, p.Cased, p.Func, p.Op, p.Line, tt.cased, tt.fn, tt.op)
		}
	}
}

func TestOpaqueKeepsText(t *testing.T) {
	_, e := whereIndicators(t, `a == "x" AND @timestamp > now()   - 7 day`)
	and, ok := e.(*rule.And)
	if !ok || len(and.Args) != 2 {
		t.Fatalf("got %#v", e)
	}
	o, ok := and.Args[1].(*rule.Opaque)
	if !ok || o.Text != "@timestamp > now() - 7 day" || o.Reason == "" {
		t.Errorf("opaque: %#v", and.Args[1])
	}
}

func TestStages(t *testing.T) {
	src := "FROM a-*, \"b\", remote:c METADATA _id\n" +
		"// a comment\n" +
		"| WHERE x == 1 /* inline */\n" +
		"| EVAL y = x + 1, z = TO_LOWER(name)\n" +
		"| STATS n = COUNT(*), VALUES(host.name) BY user.name, bucket = DATE_TRUNC(1 hour, @timestamp)\n" +
		"| KEEP user.*, n\n" +
		"| RENAME n AS count, total = count\n" +
		"| SORT count DESC, user.name\n" +
		"| LIMIT 10"
	stages, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		cmd   string
		role  rule.Role
		line  int
		text  string
		attrs []rule.Attr
	}
	wants := []want{
		{"FROM", rule.RoleSource, 1, `FROM a-*, "b", remote:c METADATA _id`, []rule.Attr{attr("index", "a-*, b, remote:c"), attr("metadata", "_id")}},
		{"WHERE", rule.RoleFilter, 3, "WHERE x == 1", nil},
		{"EVAL", rule.RoleTransform, 4, "EVAL y = x + 1, z = TO_LOWER(name)", []rule.Attr{attr("y", "x + 1"), attr("z", "TO_LOWER(name)")}},
		{"STATS", rule.RoleAggregate, 5, "STATS n = COUNT(*), VALUES(host.name) BY user.name, bucket = DATE_TRUNC(1 hour, @timestamp)",
			[]rule.Attr{attr("n", "COUNT(*)"), attr("VALUES(host.name)", "VALUES(host.name)"), attr("by", "user.name, bucket")}},
		{"KEEP", rule.RoleTransform, 6, "KEEP user.*, n", []rule.Attr{attr("fields", "user.*, n")}},
		{"RENAME", rule.RoleTransform, 7, "RENAME n AS count, total = count", []rule.Attr{attr("n", "count"), attr("count", "total")}},
		{"SORT", rule.RoleOutput, 8, "SORT count DESC, user.name", []rule.Attr{attr("sort", "count DESC, user.name")}},
		{"LIMIT", rule.RoleOutput, 9, "LIMIT 10", []rule.Attr{attr("limit", "10")}},
	}
	if len(stages) != len(wants) {
		t.Fatalf("got %d stages, want %d", len(stages), len(wants))
	}
	for i, w := range wants {
		s := stages[i]
		if s.Index != i+1 || s.Command != w.cmd || s.Role != w.role || s.Line != w.line || s.Text != w.text || !reflect.DeepEqual(s.Attrs, w.attrs) {
			t.Errorf("stage %d:\n got %d %s %s L%d %q %v\nwant %d %s %s L%d %q %v", i+1, s.Index, s.Command, s.Role, s.Line, s.Text, s.Attrs,
				i+1, w.cmd, w.role, w.line, w.text, w.attrs)
		}
		if (s.Expr != nil) != (w.cmd == "WHERE") {
			t.Errorf("stage %d (%s): Expr %v; only WHERE yields predicates", i+1, s.Command, s.Expr)
		}
	}
}

func TestMoreCommands(t *testing.T) {
	tests := []struct {
		src   string
		cmd   string
		role  rule.Role
		attrs []rule.Attr
	}{
		{`FROM x | ENRICH libs-policy ON dll.name WITH known = dll.known, other`, "ENRICH", rule.RoleLookup,
			[]rule.Attr{attr("policy", "libs-policy"), attr("on", "dll.name"), attr("with", "known = dll.known, other")}},
		{`FROM x | LOOKUP JOIN threat_index ON source.ip`, "LOOKUP JOIN", rule.RoleLookup, []rule.Attr{attr("index", "threat_index"), attr("on", "source.ip")}},
		{`FROM x | INLINE STATS c = COUNT(*) WHERE a != "null" BY b`, "INLINE STATS", rule.RoleAggregate,
			[]rule.Attr{attr("c", `COUNT(*) WHERE a != "null"`), attr("by", "b")}},
		{`FROM x | INLINESTATS c = MAX(y)`, "INLINE STATS", rule.RoleAggregate, []rule.Attr{attr("c", "MAX(y)")}},
		{`FROM x | MV_EXPAND process.args`, "MV_EXPAND", rule.RoleTransform, []rule.Attr{attr("field", "process.args")}},
		{`FROM x | DISSECT msg "%{a} %{b}" APPEND_SEPARATOR=","`, "DISSECT", rule.RoleTransform,
			[]rule.Attr{attr("field", "msg"), attr("pattern", "%{a} %{b}"), attr("APPEND_SEPARATOR", `","`)}},
		{`FROM x | COMPLETION t = prompt WITH {"inference_id": "llm"}`, "COMPLETION", rule.RoleTransform,
			[]rule.Attr{attr("target", "t"), attr("prompt", "prompt"), attr("with", `{"inference_id": "llm"}`)}},
		{`FROM x | CHANGE_POINT n ON @timestamp AS type, pvalue`, "CHANGE_POINT", rule.RoleAggregate,
			[]rule.Attr{attr("value", "n"), attr("on", "@timestamp"), attr("as", "type, pvalue")}},
		{`FROM x | SAMPLE 0.1`, "SAMPLE", rule.RoleOther, []rule.Attr{attr("probability", "0.1")}},
		{`FROM x | DROP a, b.*`, "DROP", rule.RoleTransform, []rule.Attr{attr("fields", "a, b.*")}},
		{`ROW a = 1`, "ROW", rule.RoleSource, []rule.Attr{attr("a", "1")}},
		{`SHOW INFO`, "SHOW", rule.RoleSource, []rule.Attr{attr("show", "INFO")}},
		{`TS metrics-* | LIMIT 1`, "TS", rule.RoleSource, []rule.Attr{attr("index", "metrics-*")}},
		{`FROM x | FUSE rrf SCORE BY s KEY BY a, b WITH {"k": 1}`, "FUSE", rule.RoleAggregate,
			[]rule.Attr{attr("method", "rrf"), attr("score by", "s"), attr("key by", "a, b"), attr("with", `{"k": 1}`)}},
	}
	for _, tt := range tests {
		stages, err := Parse(tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		var s rule.Stage
		for _, st := range stages {
			if st.Command == tt.cmd {
				s = st
			}
		}
		if s.Command != tt.cmd || s.Role != tt.role || !reflect.DeepEqual(s.Attrs, tt.attrs) {
			t.Errorf("%s:\n got %s %s %q\nwant %s %s %q", tt.src, s.Command, s.Role, s.Attrs, tt.cmd, tt.role, tt.attrs)
		}
	}
}

func TestFork(t *testing.T) {
	stages, err := Parse(`FROM x | FORK (WHERE a == "1" | LIMIT 5) (WHERE b == "2") | KEEP a`)
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 3 || stages[1].Command != "FORK" {
		t.Fatalf("stages: %+v", stages)
	}
	var got []string
	for _, in := range rule.ExprIndicators(stages[1].Expr) {
		got = append(got, ind(in))
	}
	if want := []string{"a eq 1", "b eq 2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FORK indicators %q, want %q", got, want)
	}
	if _, ok := stages[1].Expr.(*rule.Or); !ok {
		t.Errorf("FORK Expr is %T, want an Or of its branches", stages[1].Expr)
	}
}

func TestLexing(t *testing.T) {
	tests := []struct {
		cond string
		want []string
	}{
		{`f == """a "quoted" \ text"""`, []string{`f eq a "quoted" \ text`}},
		{`f == """ends in quote""""`, []string{`f eq ends in quote"`}},
		{`f == "tab\there\"q\\"`, []string{"f eq tab\there\"q\\"}},
		{"f == \"x\" // trailing comment | not a pipe", []string{"f eq x"}},
		{"f == /* a /* nested */ comment */ \"x\"", []string{"f eq x"}},
		{"`a``b` == 1", []string{"a`b eq 1"}},
		{`f == ?name OR g == ?1`, nil},
		{`x == 1e3 AND y == .5`, []string{"x eq 1e3", "y eq .5"}},
	}
	for _, tt := range tests {
		got, _ := whereIndicators(t, tt.cond)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.cond, got, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		{"", 1, 1, "empty query"},
		{"WHERE a == 1", 1, 1, "starts with a source command"},
		{"FROM x\n| FROBNICATE y", 2, 3, "unknown ES|QL command `FROBNICATE`"},
		{"FROM x | FROM y", 1, 10, "can only start the query"},
		{"FROM x\n| WHERE a = 1", 2, 11, "compare with =="},
		{"FROM x | WHERE a == \"open", 1, 21, "string is never closed"},
		{"FROM x | WHERE a == \"open\n| LIMIT 1", 1, 21, "string is not closed on its line"},
		{"FROM x | WHERE a == \"bad \\d escape\"", 1, 26, `unknown escape "\\d"`},
		{"FROM x | WHERE (a == 1", 1, 23, "expected ) to close ("},
		{"FROM x | WHERE a == 1 or )", 1, 26, "unexpected `)`"},
		{"FROM x | WHERE a by b", 1, 18, "unexpected `by` after the WHERE command"},
		{"FROM x | WHERE by == 1", 1, 16, "keyword BY"},
		{"FROM x | WHERE a < b < c", 1, 22, "cannot be chained"},
		{"FROM x |", 1, 9, "query ends after |"},
		{"FROM x | WHERE a ! b", 1, 18, `"!" is not an ES|QL operator`},
		{"FROM x | WHERE a /* open", 1, 18, "comment /* is never closed"},
		{"FROM x | WHERE a == \"\"\"two\nlines\"\"\"", 1, 21, "cannot span lines"},
		{"FROM x | WHERE a NOT b", 1, 18, "unexpected `NOT` after"},
		{"FROM x | WHERE a IS b", 1, 21, "expected NULL after IS"},
		{"FROM x | LIMIT many", 1, 16, "expected a number of rows"},
		{"FROM x | STATS", 1, 15, "needs aggregations or BY fields"},
		{"FROM x METADATA", 1, 16, "expected a metadata field"},
		{"FROM x | WHERE `unclosed == 1", 1, 16, "quoted identifier is never closed"},
		{"FROM x | FORK (WHERE a == 1)", 1, 29, "at least two branches"},
		{"FROM x | RENAME a b", 1, 19, "expected AS"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		var le *lang.Error
		if !errors.As(err, &le) {
			t.Errorf("Parse(%q) = %v, want a *lang.Error", tt.src, err)
			continue
		}
		if le.Line != tt.line || le.Col != tt.col || !strings.Contains(le.Msg, tt.msg) {
			t.Errorf("Parse(%q):\n got %d:%d %s\nwant %d:%d …%s…", tt.src, le.Line, le.Col, le.Msg, tt.line, tt.col, tt.msg)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	deep := "FROM x | WHERE " + strings.Repeat("(", lang.MaxDepth+5) + "a == 1" + strings.Repeat(")", lang.MaxDepth+5)
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("deep parentheses: %v", err)
	}
	nots := "FROM x | WHERE " + strings.Repeat("NOT ", lang.MaxDepth+5) + "a == 1"
	if _, err := Parse(nots); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("deep NOT: %v", err)
	}
	calls := "FROM x | WHERE " + strings.Repeat("f(", lang.MaxDepth+5) + "a" + strings.Repeat(")", lang.MaxDepth+5)
	if _, err := Parse(calls); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("deep calls: %v", err)
	}
	ok := "FROM x | WHERE " + strings.Repeat("(", 100) + "a == 1" + strings.Repeat(")", 100)
	if _, err := Parse(ok); err != nil {
		t.Errorf("100 levels: %v", err)
	}
}

// TestPrintRoundTrip prints every WHERE of the fixtures and parses the
// result again: the indicators must not change.
func TestPrintRoundTrip(t *testing.T) {
	for _, q := range fixtures(t) {
		stages, err := Parse(q)
		if err != nil {
			t.Fatalf("fixture does not parse: %v\n%s", err, q)
		}
		for _, s := range stages {
			if s.Expr == nil {
				continue
			}
			printed := Print(s.Expr)
			again, err := Parse("FROM x | WHERE " + printed)
			if err != nil {
				t.Errorf("printed condition does not parse: %v\n%s", err, printed)
				continue
			}
			a, b := rule.ExprIndicators(s.Expr), rule.ExprIndicators(again[1].Expr)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("round trip changed indicators:\n%s\n%v\n%v", printed, a, b)
			}
		}
	}
}

func TestPrint(t *testing.T) {
	tests := []struct{ cond, want string }{
		{`a == "x" AND (b == "y" OR c != "z")`, `a == "x" AND (b == "y" OR c != "z")`},
		{`TO_LOWER(a) IN ("x", "y")`, `TO_LOWER(a) IN ("x", "y")`},
		{`a NOT LIKE ("*x*", "y*")`, `a NOT LIKE ("*x*", "y*")`},
		{`a IS NULL OR b IS NOT NULL`, `a IS NULL OR b IS NOT NULL`},
		{`NOT (a == "1" OR b == "2")`, `NOT (a == "1" OR b == "2")`},
		{`f RLIKE """a\.b"""`, `f RLIKE """a\.b"""`},
		{`LENGTH(f) > 3 AND x == 2`, `LENGTH(f) > 3 AND x == "2"`},
		{"`a b` == \"1\"", "`a b` == \"1\""},
	}
	for _, tt := range tests {
		_, e := whereIndicators(t, tt.cond)
		if got := Print(e); got != tt.want {
			t.Errorf("Print(%s) = %s, want %s", tt.cond, got, tt.want)
		}
	}
}

// fixtures are the queries of testdata/queries.esql.
func fixtures(tb testing.TB) []string {
	b, err := os.ReadFile("testdata/queries.esql")
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, q := range strings.Split(string(b), "\n====\n") {
		if strings.TrimSpace(q) != "" {
			out = append(out, q)
		}
	}
	return out
}
