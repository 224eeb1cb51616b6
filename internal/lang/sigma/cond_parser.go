package sigma

import (
	"strings"

	"ruledex/internal/lang"
)

// ParseCondition parses a Sigma condition. Precedence, least binding first
// (Sigma rules specification, "Condition"): | (deprecated aggregation), or,
// and, not, "x of", parentheses. Keywords are lowercase as in the
// specification. Errors are *lang.Error with the line and column in s.
func ParseCondition(s string) (c Cond, err error) {
	defer func() {
		// Last guard: the parser is written not to panic; if it ever does on
		// some input, report it as an error of that condition.
		if r := recover(); r != nil {
			c, err = nil, lang.Errorf(s, 0, "internal error parsing the condition (%v); please report it", r)
		}
	}()
	items := lex(s)
	if last := items[len(items)-1]; last.typ == itemError {
		return nil, lang.Errorf(s, last.pos, "%s", last.val)
	}
	p := &parser{src: s, items: items}
	return p.parseCondition()
}

// parser is a recursive-descent parser over the token slice.
type parser struct {
	src   string
	items []item
	pos   int
	depth int
}

func (p *parser) peek() item { return p.items[p.pos] }

func (p *parser) next() item {
	it := p.items[p.pos]
	if it.typ != itemEOF {
		p.pos++
	}
	return it
}

// isWord reports whether it is the keyword kw.
func isWord(it item, kw string) bool { return it.typ == itemWord && it.val == kw }

func (p *parser) errorf(it item, format string, args ...any) error {
	return lang.Errorf(p.src, it.pos, format, args...)
}

func (p *parser) parseCondition() (Cond, error) {
	if p.peek().typ == itemEOF {
		return nil, p.errorf(p.peek(), "the condition is empty; write which search identifiers must match, e.g. `selection and not filter`")
	}
	search, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	it := p.peek()
	switch {
	case it.typ == itemEOF:
		return search, nil
	case it.typ == itemPipe:
		p.next()
		agg, err := p.parseAggregation()
		if err != nil {
			return nil, err
		}
		if end := p.peek(); end.typ != itemEOF {
			return nil, p.errorf(end, "unexpected %s after the aggregation; a condition has at most one `| …` part", end)
		}
		return &PipeExpr{Search: search, Agg: agg, Pipe: it.pos}, nil
	case it.typ == itemRParen:
		return nil, p.errorf(it, "unexpected `)` without a matching `(`")
	case it.typ == itemLParen && p.pos > 0 && p.items[p.pos-1].typ == itemWord && isAggFunc(p.items[p.pos-1].val):
		return nil, p.errorf(it, "unexpected `(` after `%s`: an aggregation goes after a `|` (`selection | count(field) by group > 10`, deprecated); prefer a Sigma correlation rule", p.items[p.pos-1].val)
	case it.typ == itemWord && !isKeyword(it.val):
		return nil, p.errorf(it, "unexpected %s: join search identifiers with `and` or `or`", it)
	}
	return nil, p.errorf(it, "unexpected %s", it)
}

// parseOr parses and-terms joined by or.
func (p *parser) parseOr() (Cond, error) {
	first, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	if !isWord(p.peek(), "or") {
		return first, nil
	}
	terms := []Cond{first}
	for isWord(p.peek(), "or") {
		p.next()
		t, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return &OrExpr{Terms: terms}, nil
}

// parseAnd parses not-terms joined by and.
func (p *parser) parseAnd() (Cond, error) {
	first, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	if !isWord(p.peek(), "and") {
		return first, nil
	}
	terms := []Cond{first}
	for isWord(p.peek(), "and") {
		p.next()
		t, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return &AndExpr{Terms: terms}, nil
}

// parseNot parses "not X" and the primaries. Nesting (not chains and
// parentheses) is limited to lang.MaxDepth.
func (p *parser) parseNot() (Cond, error) {
	it := p.peek()
	if isWord(it, "not") {
		p.next()
		if err := p.enter(it); err != nil {
			return nil, err
		}
		x, err := p.parseNot()
		p.depth--
		if err != nil {
			return nil, err
		}
		return &NotExpr{X: x, Start: it.pos}, nil
	}
	return p.parsePrimary()
}

func (p *parser) enter(it item) error {
	p.depth++
	if p.depth > lang.MaxDepth {
		return p.errorf(it, "the condition nests deeper than %d levels; simplify it", lang.MaxDepth)
	}
	return nil
}

// parsePrimary parses ( X ), "1 of …", "all of …" and identifiers.
func (p *parser) parsePrimary() (Cond, error) {
	it := p.next()
	switch it.typ {
	case itemLParen:
		if err := p.enter(it); err != nil {
			return nil, err
		}
		x, err := p.parseOr()
		p.depth--
		if err != nil {
			return nil, err
		}
		end := p.next()
		if end.typ != itemRParen {
			return nil, p.errorf(end, "expected `)` to close the `(` at column %d, found %s", lang.PosAt(p.src, it.pos).Col, end)
		}
		return &ParenExpr{X: x, Start: it.pos, End: end.pos + 1}, nil
	case itemWord:
		if isWord(p.peek(), "of") {
			return p.parseOf(it)
		}
		if isKeyword(it.val) {
			return nil, p.errorf(it, "expected a search identifier, `1 of`, `all of`, `not` or `(`, found the keyword %s", it)
		}
		return &Ident{Name: it.val, Start: it.pos, End: it.pos + len(it.val)}, nil
	case itemEOF:
		return nil, p.errorf(it, "the condition ends where a search identifier, `1 of`, `all of`, `not` or `(` is expected")
	}
	return nil, p.errorf(it, "expected a search identifier, `1 of`, `all of`, `not` or `(`, found %s", it)
}

// parseOf parses "1 of X" / "all of X"; quant is the already-read 1 or all.
func (p *parser) parseOf(quant item) (Cond, error) {
	var all bool
	switch quant.val {
	case "1":
		all = false
	case "all":
		all = true
	default:
		return nil, p.errorf(quant, "`%s of` is not Sigma: only `1 of` (any) and `all of` (every) are defined", quant.val)
	}
	p.next() // of
	target := p.next()
	if target.typ != itemWord || (isKeyword(target.val) && target.val != "them") {
		return nil, p.errorf(target, "expected `them` or a search identifier pattern such as `selection_*` after `%s of`, found %s", quant.val, target)
	}
	n := &OfExpr{All: all, Start: quant.pos, End: target.pos + len(target.val)}
	if target.val == "them" {
		n.Them = true
	} else {
		n.Pattern = target.val
	}
	return n, nil
}

// parseAggregation parses the deprecated Sigma 1 aggregation after "|":
// func([field]) [by group] op value, or near search-expression.
func (p *parser) parseAggregation() (Cond, error) {
	it := p.next()
	if isWord(it, "near") {
		x, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		return &NearExpr{X: x, Start: it.pos}, nil
	}
	if it.typ != itemWord || !isAggFunc(it.val) {
		return nil, p.errorf(it, "expected an aggregation (count, min, max, avg, sum) or `near` after `|`, found %s; aggregations in the condition are deprecated, prefer a Sigma correlation rule", it)
	}
	agg := &AggExpr{Func: it.val, Start: it.pos}
	if lp := p.next(); lp.typ != itemLParen {
		return nil, p.errorf(lp, "expected `(` after `%s`, found %s", it.val, lp)
	}
	if f := p.peek(); f.typ == itemWord {
		agg.Field = f.val
		p.next()
	}
	if rp := p.next(); rp.typ != itemRParen {
		return nil, p.errorf(rp, "expected `)` to close `%s(`, found %s", it.val, rp)
	}
	if agg.Field == "" && agg.Func != "count" {
		return nil, p.errorf(it, "`%s()` needs a field: `%s(field)`", it.val, it.val)
	}
	if isWord(p.peek(), "by") {
		p.next()
		g := p.next()
		if g.typ != itemWord {
			return nil, p.errorf(g, "expected a field after `by`, found %s", g)
		}
		agg.GroupBy = g.val
	}
	op := p.next()
	if op.typ != itemCompare || op.val == "!=" {
		return nil, p.errorf(op, "expected a comparison (>, >=, <, <=, =) after the aggregation, found %s", op)
	}
	agg.Op = op.val
	v := p.next()
	if v.typ != itemWord {
		return nil, p.errorf(v, "expected a number after `%s`, found %s", op.val, v)
	}
	agg.Value = v.val
	agg.End = v.pos + len(v.val)
	return agg, nil
}

func isAggFunc(s string) bool {
	switch s {
	case "count", "min", "max", "avg", "sum":
		return true
	}
	return false
}

// isKeyword reports whether s is a word of the condition grammar that
// cannot be a search identifier.
func isKeyword(s string) bool {
	switch s {
	case "and", "or", "not", "of", "them":
		return true
	}
	return false
}

// keywordHint suggests the lowercase keyword when an identifier looks like
// an uppercase one.
func keywordHint(name string) string {
	switch strings.ToLower(name) {
	case "and", "or", "not", "of", "them", "all":
		return "; condition keywords are lowercase: write `" + strings.ToLower(name) + "`"
	}
	return ""
}
