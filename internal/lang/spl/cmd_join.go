package spl

import (
	"strings"

	"ruledex/internal/rule"
)

// Commands that combine searches: join, map, foreach (whose bracket is a
// template, not a subsearch).

// runJoin reads [options] fields… [subsearch].
func runJoin(p *parser, st *rule.Stage) {
	var fields []string
	for !p.atEOF() {
		it := p.peek()
		switch {
		case it.typ == itemComma:
			p.next()
		case p.isOption():
			p.attr(p.option())
		case it.typ == itemSubsearch:
			p.next()
			p.subs = append(p.subs, it)
		case it.typ == itemWord || it.typ == itemString:
			f, _ := p.term()
			fields = append(fields, f)
		default:
			p.errorf(it.pos, "unexpected %s in join", it)
		}
	}
	st.Attrs = appendList(st.Attrs, "fields", fields)
}

// runMap reads map [options] search="…" | [subsearch]: the search string
// is parsed as a query of its own.
func runMap(p *parser, st *rule.Stage) {
	for !p.atEOF() {
		it := p.peek()
		switch {
		case isWord(it, "search") && isOp(p.peekN(1), "="):
			p.next()
			p.next()
			v := p.next()
			if v.typ != itemString && v.typ != itemWord {
				p.errorf(it.pos, "map search= needs a quoted search")
			}
			p.nested = append(p.nested, nestedSearch{text: value(v), at: v.pos})
		case p.isOption():
			p.attr(p.option())
		case it.typ == itemSubsearch:
			p.next()
			p.subs = append(p.subs, it)
		default:
			p.next()
		}
	}
}

// runForeach reads foreach fields… [template]; the template is eval text
// with <<FIELD>> placeholders, not a subsearch.
func runForeach(p *parser, st *rule.Stage) {
	var fields []string
	for !p.atEOF() {
		it := p.next()
		switch {
		case it.typ == itemSubsearch:
			p.attr("template", strings.TrimSpace(it.val[1:len(it.val)-1]))
		case it.typ == itemWord && isOp(p.peek(), "="):
			p.next()
			v := p.next()
			p.attr(strings.ToLower(it.val), value(v))
		case it.typ == itemWord || it.typ == itemString:
			fields = append(fields, value(it))
		}
	}
	st.Attrs = appendList(st.Attrs, "fields", fields)
}
