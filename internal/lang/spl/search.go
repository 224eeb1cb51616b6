package spl

import (
	"net/netip"
	"strings"

	"ruledex/internal/rule"
)

// Search terms (the search command, the implicit search that starts a
// query, tstats and mstats where clauses):
//
//	and  := or { [AND] or }        implicit AND between terms
//	or   := not { OR not }         OR binds tighter than AND in search
//	not  := NOT not | primary      NOT binds tightest
//	primary := ( and ) | [subsearch] | field op value | field IN ( values )
//	        | TERM(…) | CASE(…) | keyword
//
// Time modifiers (earliest=-24h) are stage attributes, not predicates.

// timeModifiers are the search's time bounds; they select a time range, not
// events by their content.
var timeModifiers = map[string]bool{
	"earliest": true, "latest": true, "_index_earliest": true, "_index_latest": true,
	"starttime": true, "endtime": true, "starttimeu": true, "endtimeu": true,
	"daysago": true, "hoursago": true, "minutesago": true, "monthsago": true,
	"searchtimespandays": true, "searchtimespanhours": true, "searchtimespanminutes": true,
	"timeformat": true,
}

// stopFunc ends a search expression at a word that belongs to the
// enclosing command (tstats' BY).
type stopFunc func(item) bool

func stopAtBy(it item) bool { return isWord(it, "by") }

// parseSearch parses search terms up to the end of the tokens or a stop
// word outside parentheses.
func (p *parser) parseSearch(stop stopFunc) rule.Expr {
	e := p.searchAnd(stop, 0)
	if it := p.peek(); it.typ == itemRParen {
		p.errorf(it.pos, "unexpected ')': remove it or add the matching '('")
	}
	return e
}

func (p *parser) searchEnd(it item, stop stopFunc, parens int) bool {
	return it.typ == itemEOF || it.typ == itemRParen || (parens == 0 && stop != nil && stop(it))
}

func (p *parser) searchAnd(stop stopFunc, parens int) rule.Expr {
	var terms []rule.Expr
	for {
		it := p.peek()
		if p.searchEnd(it, stop, parens) {
			break
		}
		if isKeyword(it, "AND") {
			p.next()
			if len(terms) == 0 || p.searchEnd(p.peek(), stop, parens) {
				p.errorf(it.pos, "AND needs a search term on each side")
			}
			continue
		}
		terms = append(terms, p.searchOr(stop, parens))
	}
	return rule.NewAnd(terms...)
}

func (p *parser) searchOr(stop stopFunc, parens int) rule.Expr {
	terms := []rule.Expr{p.searchNot(stop, parens)}
	for isKeyword(p.peek(), "OR") {
		or := p.next()
		if it := p.peek(); p.searchEnd(it, stop, parens) || isKeyword(it, "OR") || isKeyword(it, "AND") {
			p.errorf(or.pos, "OR needs a search term on each side")
		}
		terms = append(terms, p.searchNot(stop, parens))
	}
	return rule.NewOr(terms...)
}

func (p *parser) searchNot(stop stopFunc, parens int) rule.Expr {
	it := p.peek()
	if !isKeyword(it, "NOT") {
		return p.searchPrimary(stop, parens)
	}
	p.next()
	if n := p.peek(); p.searchEnd(n, stop, parens) || isKeyword(n, "OR") || isKeyword(n, "AND") {
		p.errorf(it.pos, "NOT needs a search term after it")
	}
	p.enter(it.pos)
	defer p.leave()
	return rule.NewNot(p.searchNot(stop, parens))
}

func (p *parser) searchPrimary(stop stopFunc, parens int) rule.Expr {
	it := p.peek()
	switch it.typ {
	case itemLParen:
		p.next()
		p.enter(it.pos)
		e := p.searchAnd(stop, parens+1)
		p.leave()
		if c := p.next(); c.typ != itemRParen {
			p.errorf(it.pos, "unclosed '(': add the matching ')'")
		}
		return e
	case itemSubsearch:
		p.next()
		p.subs = append(p.subs, it)
		return &rule.Opaque{Text: it.val, Reason: "subsearch"}
	case itemWord, itemString:
		if isKeyword(it, "OR") || isKeyword(it, "AND") {
			p.errorf(it.pos, "%s needs a search term on each side", it.val)
		}
		return p.searchTerm()
	case itemComma:
		// Splunk treats a lone comma as a breaker between terms.
		p.next()
		return nil
	case itemOp:
		p.errorf(it.pos, "expected a field name before %s", it.val)
	}
	p.errorf(it.pos, "expected a search term, found %s", it)
	return nil
}

// searchTerm reads a keyword, a comparison, an IN list or TERM()/CASE().
func (p *parser) searchTerm() rule.Expr {
	tok := p.next()
	nx := p.peek()
	switch {
	case tok.typ == itemWord && (tok.val == "TERM" || tok.val == "CASE") && nx.typ == itemLParen && nx.pos == tok.end:
		inner := p.rawGroup()
		return &rule.Predicate{Op: tok.val, Values: []rule.Value{{Kind: rule.Keyword, Value: searchPattern(unescape(inner)).glob()}},
			Cased: tok.val == "CASE", Line: p.line(tok.pos)}
	case nx.typ == itemOp:
		if value(tok) == "" {
			p.errorf(tok.pos, "empty field name before %s", nx.val)
		}
		op := p.next()
		val := p.peek()
		if val.typ != itemWord && val.typ != itemString {
			p.errorf(op.pos, "expected a value after %s%s; quote values that hold spaces or parentheses", value(tok), op.val)
		}
		p.next()
		if n := p.peek(); val.typ == itemWord && (val.val == "TERM" || val.val == "CASE") && n.typ == itemLParen && n.pos == val.end {
			return p.termValue(tok, op, val)
		}
		return p.compare(tok, op, val)
	case isWord(nx, "IN") && p.peekN(1).typ == itemLParen:
		p.next()
		return p.inList(tok)
	}
	v := value(tok)
	if v != "" && strings.Trim(v, "*") == "" {
		return nil // * matches every event: no condition
	}
	// Free text: * is SPL's only wildcard; the value is in the wildcard
	// notation every language shares (rule.Keyword).
	return &rule.Predicate{Values: []rule.Value{{Kind: rule.Keyword, Value: rule.KeywordPattern(searchPattern(v).glob())}}, Line: p.line(tok.pos)}
}

// termValue reads field=TERM(x) or field=CASE(x): the value taken
// verbatim, CASE making it case-sensitive.
func (p *parser) termValue(field, op, fn item) rule.Expr {
	inner := p.rawGroup()
	pr := &rule.Predicate{Field: value(field), Op: op.val, Cased: fn.val == "CASE", Line: p.line(field.pos),
		Values: []rule.Value{searchPattern(unescape(inner)).classify()}}
	if op.val != "=" && op.val != "!=" {
		p.errorf(op.pos, "%s(…) compares with = or != only", fn.val)
	}
	pr.Negated = op.val == "!="
	return pr
}

// rawGroup consumes ( … ) and returns the text between the parentheses as
// written (TERM and CASE take their argument verbatim).
func (p *parser) rawGroup() string {
	open := p.peek()
	end := p.skipGroup()
	return p.text(open.end, end-1)
}

// compare builds the predicate of field op value in search syntax: = is
// case-insensitive and * is always a wildcard.
func (p *parser) compare(field, op, val item) rule.Expr {
	name := value(field)
	if op.val == "=" && timeModifiers[strings.ToLower(name)] {
		p.attr(strings.ToLower(name), value(val))
		return nil
	}
	v := value(val)
	if isToken(v) {
		return &rule.Opaque{Text: p.text(field.pos, val.end), Reason: "token"}
	}
	pr := &rule.Predicate{Field: name, Op: op.val, Line: p.line(field.pos)}
	switch op.val {
	case "=", "==":
		pr.Op = "=" // search has no ==; read it as =
		pr.Values = []rule.Value{classifySearchValue(v)}
	case "!=":
		pr.Values = []rule.Value{classifySearchValue(v)}
		pr.Negated = true
	case "<":
		pr.Values = []rule.Value{{Kind: rule.Lt, Value: v}}
	case "<=":
		pr.Values = []rule.Value{{Kind: rule.Le, Value: v}}
	case ">":
		pr.Values = []rule.Value{{Kind: rule.Gt, Value: v}}
	case ">=":
		pr.Values = []rule.Value{{Kind: rule.Ge, Value: v}}
	default:
		p.errorf(op.pos, "unknown operator %s in a search; use =, !=, <, <=, > or >=", op.val)
	}
	return pr
}

// classifySearchValue classifies the value of a search comparison. Splunk's
// search matches an address range written in CIDR notation (dest=10.0.0.0/8)
// as a range, so such a value is a cidr test.
func classifySearchValue(v string) rule.Value {
	if strings.IndexByte(v, '/') > 0 && strings.IndexByte(v, '*') < 0 {
		if _, err := netip.ParsePrefix(v); err == nil {
			return rule.Value{Kind: rule.CIDR, Value: v}
		}
	}
	return searchPattern(v).classify()
}

// inList reads ( v1, v2 … ) after field IN: one predicate, one value each.
func (p *parser) inList(field item) rule.Expr {
	open := p.next()
	tokens := false
	pr := &rule.Predicate{Field: value(field), Op: "IN", Line: p.line(field.pos)}
	for {
		it := p.next()
		switch it.typ {
		case itemRParen:
			if len(pr.Values) == 0 {
				if tokens {
					return &rule.Opaque{Text: p.text(field.pos, it.end), Reason: "token"}
				}
				p.errorf(open.pos, "empty IN list; give at least one value")
			}
			return pr
		case itemComma:
		case itemWord, itemString:
			if v := value(it); !isToken(v) {
				pr.Values = append(pr.Values, classifySearchValue(v))
			} else {
				tokens = true
			}
		case itemEOF:
			p.errorf(open.pos, "unclosed IN list: add ')'")
		default:
			p.errorf(it.pos, "unexpected %s in an IN list; quote values that hold special characters", it)
		}
	}
}

// isToken reports whether v is a $name$ placeholder (map and drilldown
// searches substitute it at run time), which is no indicator.
func isToken(v string) bool {
	return len(v) > 2 && v[0] == '$' && v[len(v)-1] == '$' && strings.IndexByte(v[1:len(v)-1], '$') < 0
}
