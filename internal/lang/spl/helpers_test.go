package spl

import (
	"strings"

	"ruledex/internal/rule"
)

// sexpr renders a tree compactly for table tests:
//
//	(and A B) (or A B) (not A) (opaque reason "text")
//	field kind:value|kind:value   prefixed by ! when negated,
//	                              suffixed by " cased", func(field) for Func
func sexpr(e rule.Expr) string {
	var b strings.Builder
	writeSexpr(&b, e)
	return b.String()
}

func writeSexpr(b *strings.Builder, e rule.Expr) {
	switch e := e.(type) {
	case nil:
		b.WriteString("nil")
	case *rule.And:
		b.WriteString("(and")
		for _, a := range e.Args {
			b.WriteByte(' ')
			writeSexpr(b, a)
		}
		b.WriteByte(')')
	case *rule.Or:
		b.WriteString("(or")
		for _, a := range e.Args {
			b.WriteByte(' ')
			writeSexpr(b, a)
		}
		b.WriteByte(')')
	case *rule.Not:
		b.WriteString("(not ")
		writeSexpr(b, e.Arg)
		b.WriteByte(')')
	case *rule.Opaque:
		b.WriteString("(opaque " + e.Reason + " " + quote(e.Text) + ")")
	case *rule.Predicate:
		if e.Negated {
			b.WriteByte('!')
		}
		f := e.Field
		if e.Func != "" {
			f = e.Func + "(" + f + ")"
		}
		b.WriteString(f + " ")
		for i, v := range e.Values {
			if i > 0 {
				b.WriteByte('|')
			}
			b.WriteString(string(v.Kind) + ":" + v.Value)
		}
		if e.Cased {
			b.WriteString(" cased")
		}
	}
}

// testMacros is a small macro table in ESCU's style.
var testMacros = NewMacros(testMacrosDefs())

func testMacrosDefs() []Macro {
	return []Macro{
		{Name: "sysmon", Definition: "sourcetype=xmlsysmon OR source=sysmon"},
		{Name: "proc_cmd", Definition: "(Processes.process_name=cmd.exe OR Processes.original_file_name=Cmd.Exe)"},
		{Name: "ctime", Args: []string{"field"}, Definition: `convert timeformat="%Y" ctime($field$)`},
		{Name: "pair(2)", Args: []string{"a", "b"}, Definition: `$a$=$b$`},
		{Name: "outer", Definition: "`inner(x)` extra=1"},
		{Name: "inner", Args: []string{"v"}, Definition: "inner_field=$v$"},
		{Name: "loop_a", Definition: "a=1 `loop_b`"},
		{Name: "loop_b", Definition: "b=1 `loop_a`"},
		{Name: "self", Definition: "`self`"},
		{Name: "summaries", Definition: "summariesonly=`cfg` allow_old_summaries=true"},
		{Name: "cfg", Definition: "false"},
		{Name: "two_stages", Definition: "eval x=1 | where x>0"},
		{Name: "literal_tick", Definition: `eval p=replace(process, "` + "`" + `", "")`},
		{Name: "quoted_value", Definition: `"-70m@m"`},
	}
}
