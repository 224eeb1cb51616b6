package site

import (
	"html/template"
	"strings"

	"ruledex/internal/rule"
)

// exprTree renders an expression as nested lists: AND / OR / NOT nodes and
// leaves whose values link to their indicator pages. Every piece of rule
// text is escaped here.
func (s *Site) exprTree(e rule.Expr) template.HTML {
	var b strings.Builder
	b.WriteString(`<ul class="tree">`)
	s.treeNode(&b, e, 0)
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

func (s *Site) treeNode(b *strings.Builder, e rule.Expr, nots int) {
	b.WriteString("<li>")
	switch e := e.(type) {
	case *rule.And:
		s.treeGroup(b, "all of", e.Args, nots)
	case *rule.Or:
		s.treeGroup(b, "any of", e.Args, nots)
	case *rule.Not:
		b.WriteString(`<span class="op neg">NOT</span><ul>`)
		s.treeNode(b, e.Arg, nots+1)
		b.WriteString("</ul>")
	case *rule.Opaque:
		b.WriteString(`<code class="opaque">`)
		esc(b, e.Text)
		b.WriteString(`</code>`)
		if e.Reason != "" {
			b.WriteString(` <span class="note">`)
			esc(b, e.Reason)
			b.WriteString(`</span>`)
		}
	case *rule.Predicate:
		s.treeLeaf(b, e, nots)
	}
	b.WriteString("</li>")
}

func (s *Site) treeGroup(b *strings.Builder, label string, args []rule.Expr, nots int) {
	b.WriteString(`<span class="op">`)
	b.WriteString(label)
	b.WriteString(`</span><ul>`)
	for _, a := range args {
		s.treeNode(b, a, nots)
	}
	b.WriteString("</ul>")
}

func (s *Site) treeLeaf(b *strings.Builder, p *rule.Predicate, nots int) {
	field := p.Field
	if p.Func != "" {
		field = p.Func + "(" + p.Field + ")"
	}
	negated := (nots%2 == 1) != p.Negated
	if p.Negated {
		b.WriteString(`<span class="neg">not</span> `)
	}
	b.WriteString(`<code class="f">`)
	if field == "" {
		b.WriteString("(any field)")
	} else {
		esc(b, field)
	}
	b.WriteString(`</code> `)
	if len(p.Values) > 1 {
		if p.All {
			b.WriteString(`<span class="op">all of</span> `)
		} else {
			b.WriteString(`<span class="op">any of</span> `)
		}
	}
	for i, v := range p.Values {
		if i > 0 {
			b.WriteString(`<span class="sep">, </span>`)
		}
		b.WriteString(`<span class="k">`)
		b.WriteString(string(v.Kind))
		b.WriteString(`</span>`)
		if v.Kind == rule.Exists {
			continue
		}
		b.WriteByte(' ')
		key := rule.Indicator{Field: field, Kind: v.Kind, Value: v.Value, Negated: negated}.Key()
		in := s.c.Indicator(key)
		if in != nil {
			b.WriteString(`<a href="`)
			b.WriteString(indicatorHref(rootRule, in))
			b.WriteString(`">`)
		}
		b.WriteString(`<code class="v">`)
		esc(b, shownValue(v.Kind, v.Value))
		b.WriteString(`</code>`)
		if in != nil {
			b.WriteString(`</a>`)
		}
	}
	var flags []string
	if p.Cased {
		flags = append(flags, "case-sensitive")
	}
	if p.Flags != "" {
		flags = append(flags, "flags "+p.Flags)
	}
	flags = append(flags, p.Modifiers...)
	if len(flags) > 0 {
		b.WriteString(` <span class="note">`)
		esc(b, strings.Join(flags, ", "))
		b.WriteString(`</span>`)
	}
}

func esc(b *strings.Builder, s string) {
	b.WriteString(template.HTMLEscapeString(s))
}
