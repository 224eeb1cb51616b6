package site

import (
	"strings"

	"ruledex/internal/rule"
)

// exprTree writes an expression as nested lists: AND / OR / NOT nodes and
// leaves whose values link to their indicator pages.
func (s *Site) exprTree(w hw, e rule.Expr) {
	w.raw(`<ul class="tree">`)
	s.treeNode(w, e, 0)
	w.raw(`</ul>`)
}

func (s *Site) treeNode(w hw, e rule.Expr, nots int) {
	w.raw("<li>")
	switch e := e.(type) {
	case *rule.And:
		s.treeGroup(w, "all of", e.Args, nots)
	case *rule.Or:
		s.treeGroup(w, "any of", e.Args, nots)
	case *rule.Not:
		w.raw(`<span class="op neg">NOT</span><ul>`)
		s.treeNode(w, e.Arg, nots+1)
		w.raw("</ul>")
	case *rule.Opaque:
		w.el("code", "opaque", e.Text)
		if e.Reason != "" {
			w.raw(" ")
			w.el("span", "note", e.Reason)
		}
	case *rule.Predicate:
		s.treeLeaf(w, e, nots)
	}
	w.raw("</li>")
}

func (s *Site) treeGroup(w hw, label string, args []rule.Expr, nots int) {
	w.raw(`<span class="op">`, label, `</span><ul>`)
	for _, a := range args {
		s.treeNode(w, a, nots)
	}
	w.raw("</ul>")
}

func (s *Site) treeLeaf(w hw, p *rule.Predicate, nots int) {
	field := p.Field
	if p.Func != "" {
		field = p.Func + "(" + p.Field + ")"
	}
	negated := (nots%2 == 1) != p.Negated
	if p.Negated {
		w.raw(`<span class="neg">not</span> `)
	}
	w.el("code", "f", fieldLabel(field))
	w.raw(" ")
	if len(p.Values) > 1 {
		if p.All {
			w.raw(`<span class="op">all of</span> `)
		} else {
			w.raw(`<span class="op">any of</span> `)
		}
	}
	for i, v := range p.Values {
		if i > 0 {
			w.raw(`<span class="sep">, </span>`)
		}
		w.el("span", "k", string(v.Kind))
		if v.Kind == rule.Exists {
			continue
		}
		w.raw(" ")
		key := rule.Indicator{Field: field, Kind: v.Kind, Value: v.Value, Negated: negated}.Key()
		if in := s.c.Indicator(key); in != nil {
			w.raw(`<a href="`)
			w.text(indicatorHref(rootRule, in))
			w.raw(`">`)
			w.el("code", "v", shownValue(v.Kind, v.Value))
			w.raw(`</a>`)
		} else {
			w.el("code", "v", shownValue(v.Kind, v.Value))
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
		w.raw(" ")
		w.el("span", "note", strings.Join(flags, ", "))
	}
}
