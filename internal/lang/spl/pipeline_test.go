package spl

import (
	"strings"
	"testing"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

func TestSubsearch(t *testing.T) {
	q := "index=a user=x [search index=b EventCode=4624 | fields user] | join type=inner dest [| tstats count where host=h by dest] | stats count"
	res := Parse(q, nil)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	type stage struct {
		command, label string
		role           rule.Role
		expr           string
	}
	want := []stage{
		{"search", "", rule.RoleSource, `(and index eq:a user eq:x (opaque subsearch "[search index=b EventCode=4624 | fields user]"))`},
		{"search", "subsearch of stage 1", rule.RoleJoin, `(and index eq:b EventCode eq:4624)`},
		{"fields", "subsearch of stage 1", rule.RoleJoin, "nil"},
		{"join", "", rule.RoleJoin, "nil"},
		{"tstats", "subsearch of stage 4", rule.RoleJoin, "host eq:h"},
		{"stats", "", rule.RoleAggregate, "nil"},
	}
	if len(res.Stages) != len(want) {
		t.Fatalf("got %d stages: %+v", len(res.Stages), res.Stages)
	}
	for i, w := range want {
		s := res.Stages[i]
		if got := (stage{s.Command, s.Label, s.Role, sexpr(s.Expr)}); got != w {
			t.Errorf("stage %d:\n got %+v\nwant %+v", i+1, got, w)
		}
	}
	if got := attr(res.Stages[3], "type"); got != "inner" {
		t.Errorf("join type %q", got)
	}
	if got := attr(res.Stages[3], "fields"); got != "dest" {
		t.Errorf("join fields %q", got)
	}
}

func TestNestedSubsearchAndMap(t *testing.T) {
	q := `a=1 | appendpipe [| map search="search b=\"x y\" ` + "`sysmon`" + `" | fields - c]`
	res := Parse(q, testMacros)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	var got []string
	for _, s := range res.Stages {
		got = append(got, itoa(s.Index)+" "+s.Command+" "+s.Label+" "+sexpr(s.Expr))
	}
	want := []string{
		"1 search  a eq:1",
		"2 appendpipe  nil",
		"3 map subsearch of stage 2 nil",
		"4 search subsearch of stage 3 (and b eq:x y (or sourcetype eq:xmlsysmon source eq:sysmon))",
		"5 fields subsearch of stage 2 nil",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Macros) != 1 || res.Macros[0].Name != "sysmon" {
		t.Errorf("macros %+v", res.Macros)
	}
}

func TestTstatsAttrs(t *testing.T) {
	tests := []struct {
		query string
		want  map[string]string
	}{
		{"| tstats `summaries` count min(_time) as firstTime from datamodel=Endpoint.Processes where Processes.process_name=a by Processes.dest Processes.user",
			map[string]string{"datamodel": "Endpoint.Processes", "aggregations": "count, min(_time) as firstTime",
				"by": "Processes.dest, Processes.user", "summariesonly": "false", "allow_old_summaries": "true"}},
		{`| tstats count FROM datamodel Risk.All_Risk WHERE earliest=-7d BY "All_Risk.risk_object", All_Risk.src span=1h`,
			map[string]string{"datamodel": "Risk.All_Risk", "aggregations": "count", "by": "All_Risk.risk_object, All_Risk.src",
				"span": "1h", "earliest": "-7d"}},
		{`| mstats avg(cpu) as c where index=metrics by host span=5m`,
			map[string]string{"aggregations": "avg(cpu) as c", "by": "host", "span": "5m"}},
	}
	for _, tt := range tests {
		res := Parse(tt.query, testMacros)
		if len(res.Problems) > 0 {
			t.Errorf("%q: problems %+v", tt.query, res.Problems)
			continue
		}
		st := res.Stages[0]
		for k, v := range tt.want {
			if got := attr(st, k); got != v {
				t.Errorf("%q: attr %s = %q, want %q", tt.query, k, got, v)
			}
		}
	}
}

func TestCommandAttrs(t *testing.T) {
	tests := []struct {
		query, command string
		role           rule.Role
		attrs          map[string]string
	}{
		{`| stats count values(x) as y by a, b`, "stats", rule.RoleAggregate, map[string]string{"aggregations": "count, values(x) as y", "by": "a, b"}},
		{`| rename "Web".* AS *, a as b`, "rename", rule.RoleTransform, nil},
		{`| eval a=lower(b), 'c d'=if(x>1, "y", "z")`, "eval", rule.RoleTransform, map[string]string{"a": "lower(b)", "c d": `if(x>1, "y", "z")`}},
		{`| lookup update=true t field AS f OUTPUT out AS o`, "lookup", rule.RoleLookup, map[string]string{"lookup": "t", "match": "field AS f", "output": "out AS o", "update": "true"}},
		{`| inputlookup mylist where user=x`, "inputlookup", rule.RoleLookup, map[string]string{"lookup": "mylist", "where": "user=x"}},
		{`| rex field=process "(?<x>\d+)" max_match=0`, "rex", rule.RoleTransform, map[string]string{"field": "process", "max_match": "0", "args": `"(?<x>\d+)"`}},
		{`| foreach stdev_* [eval a=if('<<FIELD>>'>1, 1, 0)]`, "foreach", rule.RoleTransform, map[string]string{"template": "eval a=if('<<FIELD>>'>1, 1, 0)", "fields": "stdev_*"}},
		{`| table a b`, "table", rule.RoleOutput, map[string]string{"args": "a b"}},
		{`| fit DensityFunction count by user into model`, "fit", rule.RoleTransform, nil},
		{`| cyberchef infield=x operation=y`, "cyberchef", rule.RoleOther, map[string]string{"infield": "x"}},
		{`| from datamodel:Endpoint.Processes`, "from", rule.RoleSource, nil},
	}
	for _, tt := range tests {
		res := Parse(tt.query, nil)
		if len(res.Problems) > 0 || len(res.Stages) != 1 {
			t.Errorf("%q: problems %+v stages %d", tt.query, res.Problems, len(res.Stages))
			continue
		}
		st := res.Stages[0]
		if st.Command != tt.command || st.Role != tt.role || st.Expr != nil {
			t.Errorf("%q: command %q role %q expr %v", tt.query, st.Command, st.Role, st.Expr)
		}
		for k, v := range tt.attrs {
			if got := attr(st, k); got != v {
				t.Errorf("%q: attr %s = %q, want %q", tt.query, k, got, v)
			}
		}
	}
	res := Parse(`| rename "Web".* AS *, a as b`, nil)
	var renames []string
	for _, a := range res.Stages[0].Attrs {
		renames = append(renames, a.Value)
	}
	if got := strings.Join(renames, "; "); got != "Web.* AS *; a AS b" {
		t.Errorf("renames %q", got)
	}
}

func TestLinesAndComments(t *testing.T) {
	q := "`sysmon`\n  EventCode=1\n  ``` a comment | with a pipe ```\n  process_name=x.exe\n| ```only a comment```\n| where\n    len(process) > 10"
	res := Parse(q, testMacros)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	if len(res.Stages) != 2 {
		t.Fatalf("got %d stages: %+v", len(res.Stages), res.Stages)
	}
	lines := map[string]int{}
	for _, st := range res.Stages {
		for _, p := range rule.Predicates(st.Expr) {
			lines[p.Field] = p.Line
		}
	}
	want := map[string]int{"sourcetype": 1, "source": 1, "EventCode": 2, "process_name": 4, "process": 7}
	for f, l := range want {
		if lines[f] != l {
			t.Errorf("%s on line %d, want %d", f, lines[f], l)
		}
	}
	if res.Stages[1].Line != 6 || res.Stages[1].Command != "where" {
		t.Errorf("stage 2: %+v", res.Stages[1])
	}
	if !strings.Contains(res.Stages[0].Text, "a comment") || strings.Contains(res.Stages[0].Expanded, "comment") {
		t.Errorf("stage 1 text %q expanded %q", res.Stages[0].Text, res.Stages[0].Expanded)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, query string
		pos         lang.Pos
		contains    string
	}{
		{"unbalanced quote", "a=1\n| search b=\"x", lang.Pos{Line: 2, Col: 12}, `unterminated quoted string`},
		{"unclosed paren", "a=1 (b=2 OR c=3", lang.Pos{Line: 1, Col: 5}, "unclosed '('"},
		{"extra paren", "a=1 b=2)", lang.Pos{Line: 1, Col: 8}, "unexpected ')'"},
		{"unclosed bracket", "a=1\n  [search b=2", lang.Pos{Line: 2, Col: 3}, "unclosed '['"},
		{"extra bracket", "a=1 ]\n| stats count", lang.Pos{Line: 1, Col: 5}, "unexpected ']'"},
		{"where paren", "x=1\n| where (a=1", lang.Pos{Line: 2, Col: 9}, "unclosed '('"},
		{"where dangling and", "x=1 | where a=1 AND", lang.Pos{Line: 1, Col: 20}, "expected a value"},
		{"where junk", "x=1 | where a=1 b=2", lang.Pos{Line: 1, Col: 17}, "unexpected"},
		{"unterminated field quote", "x=1 | where 'a=1", lang.Pos{Line: 1, Col: 13}, "unterminated quoted field"},
		{"missing value", "a= | stats count", lang.Pos{Line: 1, Col: 2}, "expected a value after a="},
		{"dangling or", "a=1 OR", lang.Pos{Line: 1, Col: 5}, "OR needs a search term"},
		{"dangling not", "a=1 NOT", lang.Pos{Line: 1, Col: 5}, "NOT needs a search term"},
		{"empty in", "p IN ()", lang.Pos{Line: 1, Col: 6}, "empty IN list"},
		{"empty command", "a=1 | | stats count", lang.Pos{Line: 1, Col: 5}, "empty command"},
		{"rename without as", "| rename a b", lang.Pos{Line: 1, Col: 12}, "expected AS"},
		{"eval without assignment", "| eval x", lang.Pos{Line: 1, Col: 8}, "expected field=expression"},
		{"no command name", "a=1\n| (b=2)", lang.Pos{Line: 2, Col: 3}, "expected a command name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse(tt.query, nil)
			prefix := (&lang.Error{Pos: tt.pos}).Error()
			prefix = prefix[:len(prefix)-1] // "line L, column C:"
			for _, pr := range res.Problems {
				if pr.Kind == "parse" && strings.HasPrefix(pr.Message, prefix) && strings.Contains(pr.Message, tt.contains) {
					if pr.Line != tt.pos.Line {
						t.Errorf("Line %d, want %d", pr.Line, tt.pos.Line)
					}
					return
				}
			}
			t.Errorf("want %q … %q, got %+v", prefix, tt.contains, res.Problems)
		})
	}
}

func TestDepthLimits(t *testing.T) {
	deep := lang.MaxDepth + 50
	queries := []string{
		strings.Repeat("(", deep) + "a=1" + strings.Repeat(")", deep),
		strings.Repeat("NOT ", deep) + "a=1",
		"x=1 | where " + strings.Repeat("(", deep) + "a=1" + strings.Repeat(")", deep),
		"x=1 | where " + strings.Repeat("NOT ", deep) + "a=1",
		"x=1 | eval y=" + strings.Repeat("-", deep) + "1",
		"x=1 | eval y=" + strings.Repeat("f(", deep) + "1" + strings.Repeat(")", deep),
		strings.Repeat("[search ", deep) + "a=1" + strings.Repeat("]", deep),
	}
	for i, q := range queries {
		res := Parse(q, nil)
		found := false
		for _, pr := range res.Problems {
			found = found || strings.Contains(pr.Message, "deeper than")
		}
		if !found {
			t.Errorf("query %d: no depth problem: %+v", i, res.Problems)
		}
	}
	// Within the limit, nesting is fine.
	ok := strings.Repeat("(", 100) + "a=1" + strings.Repeat(")", 100)
	if res := Parse(ok, nil); len(res.Problems) > 0 || sexpr(res.Stages[0].Expr) != "a eq:1" {
		t.Errorf("100 parentheses: %+v", res.Problems)
	}
}

func TestBuiltinMacros(t *testing.T) {
	res := Parse("| tstats count from datamodel=DNS where NOT (`cim_corporate_web_domain_search(\"DNS.query\")`) by DNS.src | `drop_dm_object_name(\"DNS\")` | `get_asset(src)`", nil)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	var cmds []string
	for _, s := range res.Stages {
		cmds = append(cmds, s.Command)
	}
	if got := strings.Join(cmds, " "); got != "tstats inputlookup rename table rename lookup lookup" {
		t.Errorf("commands %q", got)
	}
	if got := sexpr(res.Stages[0].Expr); !strings.HasPrefix(got, "(not (opaque subsearch") {
		t.Errorf("tstats expr %s", got)
	}
	for _, u := range res.Macros {
		if u.Status != "builtin" {
			t.Errorf("macro %s status %s", u.Name, u.Status)
		}
	}
}
