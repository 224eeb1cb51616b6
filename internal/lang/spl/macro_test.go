package spl

import (
	"strings"
	"testing"

	"ruledex/internal/rule"
)

func TestMacroExpansion(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		expanded string // expanded text of stage 1
		want     string // sexpr of stage 1
	}{
		{"arguments", "`pair(user, admin)`", "user=admin", "user eq:admin"},
		{"nested with arguments", "`outer`", "inner_field=x extra=1", "(and inner_field eq:x extra eq:1)"},
		{"part of a token", "| tstats `summaries` count where a=1", "tstats summariesonly=false allow_old_summaries=true count where a=1", "a eq:1"},
		{"quoted argument with comma", "`pair(\"a,b\", c)`", `"a,b"=c`, "a,b eq:c"},
		{"backticks in quotes are literal", `p="a` + "`b`" + `"`, "", "p eq:a`b`"},
		{"comment removed", "a=1 ```note | not a pipe``` b=2", "a=1  b=2", "(and a eq:1 b eq:2)"},
		{"builtin drop_dm_object_name", "a=1 | `drop_dm_object_name(Processes)`", "", "a eq:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse(tt.query, testMacros)
			for _, pr := range res.Problems {
				t.Errorf("problem: %s", pr.Message)
			}
			if len(res.Stages) == 0 {
				t.Fatal("no stages")
			}
			st := res.Stages[0]
			if st.Expanded != tt.expanded {
				t.Errorf("expanded %q, want %q", st.Expanded, tt.expanded)
			}
			if got := sexpr(st.Expr); got != tt.want {
				t.Errorf("expr %s, want %s", got, tt.want)
			}
		})
	}
}

func TestMacroStagesAndUses(t *testing.T) {
	q := "`sysmon` EventCode=1\n| `two_stages`\n| `drop_dm_object_name(Processes)`\n| `ctime(firstTime)`\n| `my_detection_filter`"
	res := Parse(q, testMacros)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	type stage struct {
		command, text, expanded, label string
		role                           rule.Role
		line                           int
	}
	want := []stage{
		{"search", "`sysmon` EventCode=1", "sourcetype=xmlsysmon OR source=sysmon EventCode=1", "", rule.RoleSource, 1},
		{"eval", "`two_stages`", "eval x=1", "", rule.RoleTransform, 2},
		{"where", "`two_stages`", "where x>0", "", rule.RoleFilter, 2},
		{"rename", "`drop_dm_object_name(Processes)`", "rename Processes.* AS *", "", rule.RoleTransform, 3},
		{"convert", "`ctime(firstTime)`", `convert timeformat="%Y" ctime(firstTime)`, "", rule.RoleTransform, 4},
		{"search", "`my_detection_filter`", "", "empty filter macro", rule.RoleFilter, 5},
	}
	if len(res.Stages) != len(want) {
		t.Fatalf("got %d stages, want %d: %+v", len(res.Stages), len(want), res.Stages)
	}
	for i, w := range want {
		s := res.Stages[i]
		got := stage{s.Command, s.Text, s.Expanded, s.Label, s.Role, s.Line}
		if got != w {
			t.Errorf("stage %d:\n got %+v\nwant %+v", i+1, got, w)
		}
		if s.Index != i+1 {
			t.Errorf("stage %d has index %d", i+1, s.Index)
		}
	}
	if got := attr(res.Stages[3], "rename"); got != "Processes.* AS *" {
		t.Errorf("rename attr %q", got)
	}
	uses := map[string]string{}
	for _, u := range res.Macros {
		uses[u.Name+"("+strings.Join(u.Args, ",")+")"] = u.Status
	}
	wantUses := map[string]string{"sysmon()": "defined", "two_stages()": "defined", "drop_dm_object_name(Processes)": "builtin",
		"ctime(firstTime)": "defined", "my_detection_filter()": "empty-filter"}
	if len(uses) != len(wantUses) {
		t.Errorf("uses %v, want %v", uses, wantUses)
	}
	for k, v := range wantUses {
		if uses[k] != v {
			t.Errorf("macro %s: status %q, want %q", k, uses[k], v)
		}
	}
}

func attr(s rule.Stage, name string) string {
	for _, a := range s.Attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

func TestMacroProblems(t *testing.T) {
	tests := []struct {
		name, query, kind, contains string
		line                        int
	}{
		{"undefined", "a=1\n| `nowhere`", "undefined-macro", "`nowhere` with 0 argument(s) is not defined", 2},
		{"wrong arity", "`ctime(a, b)`", "undefined-macro", "defined with 1 argument(s)", 1},
		{"recursive", "x=1 `loop_a`", "recursive-macro", "loop_a(0) → loop_b(0) → loop_a(0)", 1},
		{"self", "`self`", "recursive-macro", "self(0) → self(0)", 1},
		{"unterminated", "a=1 `sysmon", "parse", "column 5: unterminated macro call", 1},
		{"unterminated comment", "a=1\n```oops", "parse", "line 2, column 1: unterminated ``` comment", 2},
		{"filter with arguments is not the empty filter", "`x_filter(a)`", "undefined-macro", "x_filter", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse(tt.query, testMacros)
			for _, pr := range res.Problems {
				if pr.Kind == tt.kind && strings.Contains(pr.Message, tt.contains) {
					if pr.Line != tt.line {
						t.Errorf("line %d, want %d", pr.Line, tt.line)
					}
					return
				}
			}
			t.Errorf("no %s problem containing %q in %+v", tt.kind, tt.contains, res.Problems)
		})
	}
}

func TestMacroTableArity(t *testing.T) {
	m := NewMacros([]Macro{
		{Name: "f", Definition: "zero=1"},
		{Name: "f(1)", Args: []string{"x"}, Definition: "one=$x$"},
	})
	res := Parse("`f` `f(2)`", m)
	if got := sexpr(res.Stages[0].Expr); got != "(and zero eq:1 one eq:2)" {
		t.Errorf("got %s", got)
	}
	if m.Len() != 2 {
		t.Errorf("Len %d", m.Len())
	}
}

func TestMacroExpansionBounded(t *testing.T) {
	// Each level doubles: 2^40 bytes if nothing stopped it.
	var defs []Macro
	for i := 0; i < 40; i++ {
		defs = append(defs, Macro{Name: "m" + itoa(i), Definition: "`m" + itoa(i+1) + "` `m" + itoa(i+1) + "`"})
	}
	defs = append(defs, Macro{Name: "m40", Definition: "x"})
	res := Parse("`m0`", NewMacros(defs))
	found := false
	for _, pr := range res.Problems {
		found = found || strings.Contains(pr.Message, "macro calls") || strings.Contains(pr.Message, "macro expansion exceeds")
	}
	if !found {
		t.Errorf("no size problem: %+v", res.Problems)
	}
}

func TestSubstituteOnePass(t *testing.T) {
	got := substitute("$a$ $b$ $c$ $$", []string{"a", "b"}, []string{"$b$", "B"})
	if want := "$b$ B $c$ $$"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
