package rule

import (
	"strconv"
	"strings"
)

// Format renders an expression in a neutral notation for terminals and as
// the fallback for languages without a printer of their own:
//
//	(Image ends_with "\bitsadmin.exe" or OriginalFileName eq "bitsadmin.exe") and not CommandLine contains "x"
func Format(e Expr) string {
	var b strings.Builder
	format(&b, e, 0)
	return b.String()
}

// precedence: or 1, and 2, not/leaf 3.
func format(b *strings.Builder, e Expr, outer int) {
	switch e := e.(type) {
	case nil:
		b.WriteString("true")
	case *And:
		group(b, outer > 2, func() { join(b, e.Args, " and ", 2) })
	case *Or:
		group(b, outer > 1, func() { join(b, e.Args, " or ", 1) })
	case *Not:
		b.WriteString("not ")
		format(b, e.Arg, 3)
	case *Opaque:
		b.WriteString("{")
		b.WriteString(e.Text)
		b.WriteString("}")
	case *Predicate:
		formatPredicate(b, e)
	}
}

func group(b *strings.Builder, paren bool, body func()) {
	if paren {
		b.WriteByte('(')
	}
	body()
	if paren {
		b.WriteByte(')')
	}
}

func join(b *strings.Builder, args []Expr, sep string, prec int) {
	for i, a := range args {
		if i > 0 {
			b.WriteString(sep)
		}
		format(b, a, prec+1)
	}
}

func formatPredicate(b *strings.Builder, p *Predicate) {
	if p.Negated {
		b.WriteString("not ")
	}
	field := p.Field
	if p.Func != "" {
		field = p.Func + "(" + field + ")"
	}
	if len(p.Values) == 1 {
		formatLeaf(b, field, p.Values[0])
		return
	}
	sep := " or "
	if p.All {
		sep = " and "
	}
	group(b, true, func() {
		for i, v := range p.Values {
			if i > 0 {
				b.WriteString(sep)
			}
			formatLeaf(b, field, v)
		}
	})
}

func formatLeaf(b *strings.Builder, field string, v Value) {
	switch v.Kind {
	case Exists:
		b.WriteString(field)
		b.WriteString(" exists")
		return
	case Keyword:
		b.WriteString(strconv.Quote(v.Value))
		return
	}
	if field != "" {
		b.WriteString(field)
		b.WriteByte(' ')
	}
	b.WriteString(string(v.Kind))
	b.WriteByte(' ')
	if v.Kind == FieldRef {
		b.WriteString(v.Value)
		return
	}
	b.WriteString(strconv.Quote(v.Value))
}
