package kql

import (
	"fmt"
	"sort"
	"strconv"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// Parse parses a KQL query into an expression tree. An empty query (only
// whitespace) matches everything and yields a nil Expr. Errors are
// *lang.Error with the line and column in src.
func Parse(src string) (e rule.Expr, err error) {
	defer func() {
		// Last guard for untrusted input: the parser is written not to
		// panic, but a bug must not take the whole build down.
		if r := recover(); r != nil {
			e, err = nil, &lang.Error{Pos: lang.Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error parsing KQL: %v", r)}
		}
	}()
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	if p.peek().typ == tokEOF {
		return nil, nil
	}
	e, err = p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.typ != tokEOF {
		return nil, p.unexpected(t, "join terms with and / or")
	}
	return e, nil
}

// parser is a recursive-descent parser over the token slice.
type parser struct {
	src    string
	toks   []token
	i      int
	depth  int
	prefix string // field prefix inside nested queries "f:{ … }"
	lines  []int  // offsets of '\n', built on first use
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) errorf(off int, format string, args ...any) error {
	return lang.Errorf(p.src, off, format, args...)
}

func (p *parser) unexpected(t token, hint string) error {
	what := t.typ.String()
	if t.typ != tokEOF {
		what = fmt.Sprintf("%s %q", what, p.src[t.pos:t.end])
	}
	return p.errorf(t.pos, "unexpected %s: %s", what, hint)
}

// enter and leave bound the nesting depth of parentheses, braces and nots.
func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > lang.MaxDepth {
		return p.errorf(t.pos, "query nests deeper than %d levels; simplify the parentheses", lang.MaxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// expect consumes a closing token, naming the opening one when it is missing.
func (p *parser) expect(typ tokenType, open token) error {
	t := p.peek()
	if t.typ == typ {
		p.next()
		return nil
	}
	op := lang.PosAt(p.src, open.pos)
	return p.errorf(t.pos, "missing %s to close the %s at line %d, column %d (found %s)",
		typ, open.typ, op.Line, op.Col, p.describe(t))
}

func (p *parser) describe(t token) string {
	if t.typ == tokEOF {
		return t.typ.String()
	}
	return fmt.Sprintf("%q", p.src[t.pos:t.end])
}

// line returns the 1-based line of offset off.
func (p *parser) line(off int) int {
	if p.lines == nil {
		p.lines = []int{}
		for i := 0; i < len(p.src); i++ {
			if p.src[i] == '\n' {
				p.lines = append(p.lines, i)
			}
		}
	}
	return sort.SearchInts(p.lines, off) + 1
}

func (p *parser) parseOr() (rule.Expr, error) {
	first, err := p.parseAnd()
	if err != nil || p.peek().typ != tokOr {
		return first, err
	}
	terms := []rule.Expr{first}
	for p.peek().typ == tokOr {
		p.next()
		t, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return rule.NewOr(terms...), nil
}

func (p *parser) parseAnd() (rule.Expr, error) {
	first, err := p.parseNot()
	if err != nil || p.peek().typ != tokAnd {
		return first, err
	}
	terms := []rule.Expr{first}
	for p.peek().typ == tokAnd {
		p.next()
		t, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return rule.NewAnd(terms...), nil
}

func (p *parser) parseNot() (rule.Expr, error) {
	t := p.peek()
	if t.typ != tokNot {
		return p.parseSub()
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	arg, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	return rule.NewNot(arg), nil
}

func (p *parser) parseSub() (rule.Expr, error) {
	t := p.peek()
	if t.typ != tokLParen {
		return p.parseExpression()
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	return e, p.expect(tokRParen, t)
}

// parseExpression parses "field: values", "field: { query }",
// "field <op> value" or free text.
func (p *parser) parseExpression() (rule.Expr, error) {
	lit, err := p.parseLiteral("a field or a value")
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); t.typ {
	case tokColon, tokRange:
		if lit.text() == "" {
			return nil, p.errorf(lit.pos, "empty field name: write the field before %q", t.val)
		}
	}
	switch t := p.peek(); t.typ {
	case tokColon:
		p.next()
		field := p.prefix + lit.text()
		if b := p.peek(); b.typ == tokLBrace {
			return p.parseNested(field, b)
		}
		return p.parseValues(field, lit.pos)
	case tokRange:
		p.next()
		v, err := p.parseLiteral("a value after " + t.val)
		if err != nil {
			return nil, err
		}
		return &rule.Predicate{Field: p.prefix + lit.text(), Op: t.val,
			Values: []rule.Value{{Kind: rangeKind(t.val), Value: v.text()}}, Line: p.line(lit.pos)}, nil
	}
	return &rule.Predicate{Values: []rule.Value{lit.keyword()}, Line: p.line(lit.pos)}, nil
}

func rangeKind(op string) rule.Kind {
	switch op {
	case "<":
		return rule.Lt
	case "<=":
		return rule.Le
	case ">":
		return rule.Gt
	}
	return rule.Ge
}

// parseNested parses "{ query }" after "field:"; the inner fields are
// relative to field.
func (p *parser) parseNested(field string, open token) (rule.Expr, error) {
	p.next()
	if err := p.enter(open); err != nil {
		return nil, err
	}
	defer p.leave()
	saved := p.prefix
	p.prefix = field + "."
	e, err := p.parseOr()
	p.prefix = saved
	if err != nil {
		return nil, err
	}
	return e, p.expect(tokRBrace, open)
}

// parseValues parses the right side of "field:": one value or a
// parenthesised boolean list of values.
func (p *parser) parseValues(field string, at int) (rule.Expr, error) {
	t := p.peek()
	if t.typ != tokLParen {
		lit, err := p.parseLiteral("a value after " + strconv.Quote(field) + ":")
		if err != nil {
			return nil, err
		}
		return lit.predicate(field, p.line(at)), nil
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	e, err := p.parseValueOr(field, at)
	if err != nil {
		return nil, err
	}
	return e, p.expect(tokRParen, t)
}

func (p *parser) parseValueOr(field string, at int) (rule.Expr, error) {
	first, err := p.parseValueAnd(field, at)
	if err != nil || p.peek().typ != tokOr {
		return first, err
	}
	terms := []rule.Expr{first}
	for p.peek().typ == tokOr {
		p.next()
		t, err := p.parseValueAnd(field, at)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return mergeValues(terms, false), nil
}

func (p *parser) parseValueAnd(field string, at int) (rule.Expr, error) {
	first, err := p.parseValueNot(field, at)
	if err != nil || p.peek().typ != tokAnd {
		return first, err
	}
	terms := []rule.Expr{first}
	for p.peek().typ == tokAnd {
		p.next()
		t, err := p.parseValueNot(field, at)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return mergeValues(terms, true), nil
}

func (p *parser) parseValueNot(field string, at int) (rule.Expr, error) {
	t := p.peek()
	if t.typ != tokNot {
		return p.parseValues(field, at)
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	arg, err := p.parseValueNot(field, at)
	if err != nil {
		return nil, err
	}
	return rule.NewNot(arg), nil
}

// mergeValues joins the value predicates of one list into a single
// Predicate with several values (OR), or with All set (AND); negated or
// nested terms stay separate nodes.
func mergeValues(terms []rule.Expr, all bool) rule.Expr {
	var merged *rule.Predicate
	out := terms[:0:0]
	for _, t := range terms {
		if v, ok := t.(*rule.Predicate); ok && mergeable(v, all) {
			if merged == nil {
				merged = v
				out = append(out, v)
			} else {
				merged.Values = append(merged.Values, v.Values...)
			}
			continue
		}
		out = append(out, t)
	}
	if merged != nil && all && len(merged.Values) > 1 {
		merged.All = true
	}
	if all {
		return rule.NewAnd(out...)
	}
	return rule.NewOr(out...)
}

func mergeable(v *rule.Predicate, all bool) bool {
	if v.Negated || v.Values[0].Kind == rule.Exists {
		return false
	}
	if all {
		return v.All || len(v.Values) == 1
	}
	return !v.All
}
