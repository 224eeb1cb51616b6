// Package lucene parses the common subset of the Lucene query string syntax
// (Elasticsearch query_string, Kibana's "lucene" language) into ruledex's
// expression tree: field:value, "phrases", wildcards, /regex/, ranges
// [a TO b] and {a TO b}, field:>n, _exists_:field, AND OR NOT && || ! + -,
// parentheses and field groups field:(a OR b), \ escapes, ^boost (which
// does not change what matches). Fuzzy terms and proximity (~) are
// outside the subset and are errors.
//
// Boolean logic follows Lucene's classic QueryParser with the default
// operator OR: each clause is required (+, or joined by AND), prohibited
// (-, !, NOT) or optional; a group with required clauses ignores its
// optional ones, a group without them needs one optional clause, and a
// group of only prohibited clauses matches everything else (as
// Elasticsearch does). Operators are upper case, as in Lucene: a lower-case
// "or" is a term.
//
// Values follow DESIGN.md: wildcard terms are classified (*x* contains x),
// phrases are eq with * literal, free text has field "" and kind keyword
// with its pattern in rule.Wildcard notation (as the KQL parser writes
// it); * and *:* are free text "*". Predicates are not Cased: whether a
// field is keyword (exact) or text (analyzed) is not known here.
package lucene

import (
	"fmt"
	"strings"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// Parse parses a Lucene query string. Errors are *lang.Error.
func Parse(src string) (e rule.Expr, err error) {
	p := &parser{src: src, items: lex(src)}
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(failure)
			if !ok {
				f = failure{&lang.Error{Pos: lang.Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error parsing Lucene: %v", r)}}
			}
			e, err = nil, f.err
		}
	}()
	if p.peek().typ == itemEOF {
		p.errorf(p.peek(), "empty query; write field:value")
	}
	e = p.query("")
	if it := p.peek(); it.typ != itemEOF {
		if it.typ == itemRParen {
			p.errorf(it, "unbalanced ); remove it or add the ( it closes")
		}
		p.errorf(it, "unexpected %s", it.describe(src))
	}
	return e, nil
}

type failure struct{ err *lang.Error }

type parser struct {
	src   string
	items []item
	i     int
	depth int
}

func (p *parser) errorf(it item, format string, args ...any) {
	panic(failure{lang.Errorf(p.src, it.pos, format, args...)})
}

func (p *parser) peek() item {
	it := p.items[p.i]
	if it.typ == itemError {
		p.errorf(it, "%s", it.val)
	}
	return it
}

func (p *parser) next() item {
	it := p.peek()
	if it.typ != itemEOF {
		p.i++
	}
	return it
}

// occur is how a clause takes part in its group.
type occur int

const (
	should occur = iota
	must
	mustNot
)

type clause struct {
	occur occur
	expr  rule.Expr
}

// startsClause reports whether t can begin a clause.
func startsClause(t itemType) bool {
	switch t {
	case itemAnd, itemOr, itemNot, itemPlus, itemMinus, itemLParen, itemStar, itemTerm,
		itemQuoted, itemRegex, itemRangeStart:
		return true
	}
	return false
}

// query parses clauses until ) or the end, with field as the default field
// (a field group field:( … ) sets it).
func (p *parser) query(field string) rule.Expr {
	var clauses []clause
	first := true
	for startsClause(p.peek().typ) {
		conj := itemEOF
		if t := p.peek().typ; t == itemAnd || t == itemOr {
			conj = p.next().typ
			if first {
				p.errorf(p.items[p.i-1], "%s has nothing on its left; remove it or add a term before it", p.src[p.items[p.i-1].pos:p.items[p.i-1].end])
			}
		}
		mod := itemEOF
		if t := p.peek().typ; t == itemPlus || t == itemMinus || t == itemNot {
			mod = p.next().typ
		}
		e := p.clause(field)
		// Lucene's addClause with the default operator OR.
		if len(clauses) > 0 && conj == itemAnd && clauses[len(clauses)-1].occur != mustNot {
			clauses[len(clauses)-1].occur = must
		}
		oc := should
		switch {
		case mod == itemMinus || mod == itemNot:
			oc = mustNot
		case mod == itemPlus || conj == itemAnd:
			oc = must
		}
		clauses = append(clauses, clause{oc, e})
		first = false
	}
	if len(clauses) == 0 {
		it := p.peek()
		p.errorf(it, "expected a term, phrase or ( … ), found %s", it.describe(p.src))
	}
	return combine(clauses)
}

// combine turns a group's clauses into the tree, in the order written:
// required AND not prohibited; without required clauses, any optional one
// (at the place of the first).
func combine(cs []clause) rule.Expr {
	hasMust := false
	var shoulds []rule.Expr
	for _, c := range cs {
		switch c.occur {
		case must:
			hasMust = true
		case should:
			shoulds = append(shoulds, c.expr)
		}
	}
	var terms []rule.Expr
	placed := false
	for _, c := range cs {
		switch c.occur {
		case must:
			terms = append(terms, c.expr)
		case mustNot:
			terms = append(terms, rule.NewNot(c.expr))
		case should:
			if !hasMust && !placed {
				terms = append(terms, rule.NewOr(shoulds...))
				placed = true
			}
		}
	}
	return rule.NewAnd(terms...)
}

// clause parses [field:] ( term | ( query ) ) [^boost].
func (p *parser) clause(field string) rule.Expr {
	it := p.peek()
	if (it.typ == itemTerm || it.typ == itemStar) && p.items[p.i+1].typ == itemColon {
		p.next()
		p.next()
		field = it.val
		if it.typ == itemStar {
			field = "*"
		}
		if field == "" {
			p.errorf(it, "empty field name before :")
		}
	}
	if p.peek().typ == itemLParen {
		open := p.next()
		p.depth++
		if p.depth > lang.MaxDepth {
			p.errorf(open, "query nests deeper than %d levels; simplify it", lang.MaxDepth)
		}
		e := p.query(field)
		p.depth--
		if c := p.next(); c.typ != itemRParen {
			p.errorf(c, "expected ) to close the ( at column %d, found %s", lang.PosAt(p.src, open.pos).Col, c.describe(p.src))
		}
		p.boost()
		return e
	}
	return p.term(field)
}

// boost takes an optional ^n, which weighs scores but not matches.
func (p *parser) boost() {
	if it := p.peek(); it.typ == itemCaret {
		p.next()
		if it.val == "" {
			p.errorf(it, "^ needs a number after it (a boost such as ^2)")
		}
	}
}

// noFuzz refuses ~: fuzzy and proximity matches are outside the subset.
func (p *parser) noFuzz(what string) {
	if it := p.peek(); it.typ == itemTilde {
		p.errorf(it, "%s~ (fuzzy or proximity search) is outside the supported Lucene subset; match exact terms or use wildcards", what)
	}
}

func (p *parser) term(field string) rule.Expr {
	it := p.next()
	line := lang.PosAt(p.src, it.pos).Line
	pred := func(op string, vals ...rule.Value) *rule.Predicate {
		f := field
		if f == "*" {
			f = ""
		}
		return &rule.Predicate{Field: f, Op: op, Values: vals, Line: line}
	}
	switch it.typ {
	case itemStar:
		p.noFuzz("*")
		p.boost()
		if field == "" || field == "*" {
			// *, *:*: every event; free text "*" as KQL writes it.
			return pred("", rule.Value{Kind: rule.Keyword, Value: "*"})
		}
		return pred(":", rule.Value{Kind: rule.Exists})
	case itemTerm:
		p.noFuzz(p.src[it.pos:it.end])
		p.boost()
		raw := p.src[it.pos:it.end]
		if field == "_exists_" {
			return &rule.Predicate{Field: it.val, Op: "_exists_", Values: []rule.Value{{Kind: rule.Exists}}, Line: line}
		}
		if field == "" || field == "*" {
			return pred("", rule.Value{Kind: rule.Keyword, Value: rule.KeywordPattern(keywordPattern(raw))})
		}
		if op, rest, ok := comparison(raw); ok {
			return pred(":"+op, rule.Value{Kind: compareKinds[op], Value: unescape(rest)})
		}
		if it.wild {
			return pred(":", termValue(raw))
		}
		return pred(":", rule.Value{Kind: rule.Eq, Value: it.val})
	case itemQuoted:
		p.noFuzz("a phrase ")
		p.boost()
		if field == "" || field == "*" {
			return pred("", rule.Value{Kind: rule.Keyword, Value: rule.KeywordPattern(escapeWild(it.val))})
		}
		return pred(":", rule.Value{Kind: rule.Eq, Value: it.val})
	case itemRegex:
		p.boost()
		pr := pred(":/", rule.Value{Kind: rule.Regex, Value: it.val})
		pr.Anchored = true // Lucene regexes match the whole term
		return pr
	case itemRangeStart:
		return p.rangeQuery(it, field, pred)
	}
	p.errorf(it, "expected a term, phrase or ( … ), found %s", it.describe(p.src))
	return nil
}

var compareKinds = map[string]rule.Kind{">": rule.Gt, ">=": rule.Ge, "<": rule.Lt, "<=": rule.Le}

// comparison recognises Elasticsearch's field:>n, field:>=n, field:<n, field:<=n.
func comparison(raw string) (op, rest string, ok bool) {
	for _, op := range []string{">=", "<=", ">", "<"} {
		if strings.HasPrefix(raw, op) && len(raw) > len(op) {
			return op, raw[len(op):], true
		}
	}
	return "", "", false
}

// rangeQuery parses [a TO b], {a TO b} and the mixed forms; * is an open end.
func (p *parser) rangeQuery(open item, field string, pred func(string, ...rule.Value) *rule.Predicate) rule.Expr {
	bound := func() (string, bool) {
		it := p.next()
		if it.typ != itemRangeTerm {
			p.errorf(it, "expected a range bound, found %s; write [a TO b]", it.describe(p.src))
		}
		raw := p.src[it.pos:it.end]
		if raw == "*" {
			return "", false
		}
		if strings.HasPrefix(raw, "\"") {
			return it.val, true
		}
		return unescape(raw), true
	}
	lo, hasLo := bound()
	if it := p.next(); it.typ != itemRangeTo {
		p.errorf(it, "expected TO between the range bounds, found %s", it.describe(p.src))
	}
	hi, hasHi := bound()
	end := p.next()
	if end.typ != itemRangeEnd {
		p.errorf(end, "expected ] or } to close the range, found %s", end.describe(p.src))
	}
	p.boost()
	if field == "" || field == "*" {
		p.errorf(open, "a range needs a field: field:[a TO b]")
	}
	var vals []rule.Value
	if hasLo {
		k := rule.Ge
		if open.val == "{" {
			k = rule.Gt
		}
		vals = append(vals, rule.Value{Kind: k, Value: lo})
	}
	if hasHi {
		k := rule.Le
		if end.val == "}" {
			k = rule.Lt
		}
		vals = append(vals, rule.Value{Kind: k, Value: hi})
	}
	if len(vals) == 0 {
		return pred(":[* TO *]", rule.Value{Kind: rule.Exists})
	}
	pr := pred(":"+open.val+"TO"+end.val, vals...)
	pr.All = true
	return pr
}

// unescape resolves \x to x.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
