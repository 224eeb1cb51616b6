package spl

import (
	"ruledex/internal/rule"
)

// The commands that filter events: their conditions become the stage's
// expression tree.

// runSearch reads search terms (the search command and the implicit search
// that starts a query).
func runSearch(p *parser, st *rule.Stage) {
	st.Expr = p.parseSearch(nil)
}

// runWhere reads one eval expression and keeps its filtering logic.
func runWhere(p *parser, st *rule.Stage) {
	if p.atEOF() {
		p.errorf(p.peek().pos, "where needs an expression")
	}
	n := p.parseEval()
	if it := p.peek(); it.typ != itemEOF {
		p.errorf(it.pos, "unexpected %s after the where expression; join conditions with AND or OR", it)
	}
	st.Expr = p.filter(n)
}

// runRegex reads regex [field=|field!=]"re": a regex filter on the field
// (default _raw).
func runRegex(p *parser, st *rule.Stage) {
	field, op := "_raw", "="
	first := p.peek()
	if p.peekN(1).typ == itemOp {
		f := p.next()
		o := p.next()
		if o.val != "=" && o.val != "!=" {
			p.errorf(o.pos, "regex takes field=\"regex\" or field!=\"regex\"")
		}
		field, op = value(f), o.val
	}
	re := p.next()
	if re.typ != itemString && re.typ != itemWord {
		p.errorf(re.pos, "regex needs a regular expression; quote it with \"")
	}
	if it := p.peek(); it.typ != itemEOF {
		p.errorf(it.pos, "unexpected %s after the regular expression; quote it if it holds spaces", it)
	}
	st.Expr = &rule.Predicate{Field: field, Op: op, Negated: op == "!=", Cased: true, Line: p.line(first.pos),
		Values: []rule.Value{{Kind: rule.Regex, Value: value(re)}}}
}
