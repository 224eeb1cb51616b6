package eql

// Conditions, from loosest to tightest binding, as in Elasticsearch's
// EqlBase grammar:
//
//	or          = and { "or" and }
//	and         = not { "and" not }
//	not         = "not" not | lineage | comparison
//	comparison  = additive [ (== != < <= > >=) additive ]      (no chaining)
//	additive    = multiplicative { (+ -) multiplicative }
//	multiplicative = unary { (* / %) unary }
//	unary       = (- +) unary | predicated
//	predicated  = primary [ ["not"] in[~] "(" expr {, expr} ")"
//	                      | (: like like~ regex regex~) (value | "(" value {, value} ")") ]
//	primary     = literal | name[~] "(" [expr {, expr}] ")" | ["?"] field | "(" or ")"

func (p *parser) parseExpr() (node, error) { return p.parseOr() }

func (p *parser) parseOr() (node, error)  { return p.parseLogic("or", p.parseAnd) }
func (p *parser) parseAnd() (node, error) { return p.parseLogic("and", p.parseNot) }

func (p *parser) parseLogic(op string, operand func() (node, error)) (node, error) {
	first, err := operand()
	if err != nil || !keyword(p.peek(), op) {
		return first, err
	}
	args := []node{first}
	for keyword(p.peek(), op) {
		p.next()
		n, err := operand()
		if err != nil {
			return nil, err
		}
		args = append(args, n)
	}
	pos, _ := first.span()
	return &logicNode{spanned{pos, p.lastEnd()}, op, args}, nil
}

func (p *parser) parseNot() (node, error) {
	t := p.peek()
	if keyword(t, "not") {
		p.next()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		defer p.leave()
		arg, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return &notNode{spanned{t.pos, p.lastEnd()}, arg}, nil
	}
	if t.typ == tokIdent && !t.bq && keyword(p.peekN(1), "of") && p.peekN(2).typ == tokLBracket {
		return p.parseLineage()
	}
	return p.parseComparison()
}

// parseLineage parses Endgame's "descendant of [ … ]" (also child of,
// event of), which ruledex keeps opaque.
func (p *parser) parseLineage() (node, error) {
	t := p.next()
	p.next() // of
	open := p.next()
	if err := p.enter(open); err != nil {
		return nil, err
	}
	defer p.leave()
	if _, err := p.parseEventFilter(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokRBracket, open); err != nil {
		return nil, err
	}
	return &lineageNode{spanned{t.pos, p.lastEnd()}, t.val}, nil
}

var compareOps = map[tokenType]string{
	tokEq: "==", tokNeq: "!=", tokLt: "<", tokLe: "<=", tokGt: ">", tokGe: ">=",
}

func (p *parser) parseComparison() (node, error) {
	left, err := p.parseAdditive()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	op, ok := compareOps[t.typ]
	if !ok {
		if t.typ == tokAssign {
			return nil, p.errorf(t.pos, `"=" is not an EQL operator: use == (case-sensitive) or : (case-insensitive)`)
		}
		return left, nil
	}
	p.next()
	right, err := p.parseAdditive()
	if err != nil {
		return nil, err
	}
	if c := p.peek(); compareOps[c.typ] != "" {
		return nil, p.errorf(c.pos, "comparisons cannot be chained: join them with and")
	}
	pos, _ := left.span()
	return &compareNode{spanned{pos, p.lastEnd()}, op, left, right}, nil
}

func (p *parser) parseAdditive() (node, error) {
	return p.parseArith(p.parseMultiplicative, tokPlus, tokMinus)
}

func (p *parser) parseMultiplicative() (node, error) {
	return p.parseArith(p.parseUnary, tokStar, tokSlash, tokPercent)
}

func (p *parser) parseArith(operand func() (node, error), ops ...tokenType) (node, error) {
	left, err := operand()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if !hasType(ops, t.typ) {
			return left, nil
		}
		p.next()
		right, err := operand()
		if err != nil {
			return nil, err
		}
		pos, _ := left.span()
		left = &arithNode{spanned{pos, p.lastEnd()}, t.val, left, right}
	}
}

func hasType(ts []tokenType, t tokenType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func (p *parser) parseUnary() (node, error) {
	t := p.peek()
	if t.typ != tokMinus && t.typ != tokPlus {
		return p.parsePredicated()
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	arg, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	// A signed number is a constant: "-1" compares like "1".
	if lit, ok := arg.(*literalNode); ok && lit.kind == litNumber && lit.val[0] != '-' && lit.val[0] != '+' {
		val := lit.val
		if t.typ == tokMinus {
			val = "-" + val
		}
		return &literalNode{spanned{t.pos, p.lastEnd()}, litNumber, val}, nil
	}
	return &unaryNode{spanned{t.pos, p.lastEnd()}, t.val, arg}, nil
}

// parsePredicated parses a primary and an optional lookup or pattern test.
func (p *parser) parsePredicated() (node, error) {
	left, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	negated := false
	if keyword(t, "not") && (keyword(p.peekN(1), "in") || keyword(p.peekN(1), "in~")) {
		negated = true
		p.next()
		t = p.peek()
	}
	var op string
	switch {
	case t.typ == tokColon:
		op = ":"
	case t.typ == tokIdent && !t.bq:
		switch t.val {
		case "in", "in~", "like", "like~", "regex", "regex~":
			op = t.val
		}
	}
	if op == "" {
		return left, nil
	}
	p.next()
	pos, _ := left.span()
	m := &matchNode{op: op, negated: negated, left: left}
	if op == "in" || op == "in~" {
		open := p.peek()
		if open.typ != tokLParen {
			return nil, p.unexpected(open, "( after "+op+": write f "+op+` ("a", "b")`)
		}
	}
	if open := p.peek(); open.typ == tokLParen {
		p.next()
		if err := p.enter(open); err != nil {
			return nil, err
		}
		defer p.leave()
		m.paren = true
		for {
			v, err := p.parseExpr()
			if err != nil {
				return nil, err
			}
			m.list = append(m.list, v)
			if p.peek().typ != tokComma {
				break
			}
			p.next()
		}
		if _, err := p.expect(tokRParen, open); err != nil {
			return nil, err
		}
	} else {
		v, err := p.parseValue()
		if err != nil {
			return nil, err
		}
		m.list = []node{v}
	}
	m.spanned = spanned{pos, p.lastEnd()}
	return m, nil
}

// parseValue parses the single value after ":", like or regex: a primary
// with an optional sign.
func (p *parser) parseValue() (node, error) {
	t := p.peek()
	if t.typ != tokMinus && t.typ != tokPlus {
		return p.parsePrimary()
	}
	p.next()
	arg, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	if lit, ok := arg.(*literalNode); ok && lit.kind == litNumber {
		val := lit.val
		if t.typ == tokMinus {
			val = "-" + val
		}
		return &literalNode{spanned{t.pos, p.lastEnd()}, litNumber, val}, nil
	}
	return &unaryNode{spanned{t.pos, p.lastEnd()}, t.val, arg}, nil
}

// reserved words cannot be field names unless backquoted.
var reserved = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "in~": true, "like": true, "like~": true,
	"regex": true, "regex~": true, "where": true, "by": true, "with": true, "until": true,
	"sequence": true, "sample": true, "join": true, "of": true,
}

func (p *parser) parsePrimary() (node, error) {
	t := p.peek()
	switch t.typ {
	case tokString:
		p.next()
		return &literalNode{spanned{t.pos, t.end}, litString, t.val}, nil
	case tokNumber:
		p.next()
		return &literalNode{spanned{t.pos, t.end}, litNumber, t.val}, nil
	case tokLParen:
		p.next()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		defer p.leave()
		inner, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tokRParen, t); err != nil {
			return nil, err
		}
		return &parenNode{spanned{t.pos, p.lastEnd()}, inner}, nil
	case tokQuestion:
		p.next()
		f := p.peek()
		if f.typ == tokString {
			return nil, p.errorf(t.pos, `?"…" raw strings are Endgame EQL: write a raw string as """…"""`)
		}
		if f.typ != tokIdent || (!f.bq && reserved[f.val]) {
			return nil, p.unexpected(f, "a field name after ?")
		}
		n, err := p.parseField()
		if err != nil {
			return nil, err
		}
		n.pos, n.optional = t.pos, true
		return n, nil
	case tokIdent:
		if t.bq {
			return p.parseField()
		}
		switch t.val {
		case "true", "false":
			p.next()
			return &literalNode{spanned{t.pos, t.end}, litBool, t.val}, nil
		case "null":
			p.next()
			return &literalNode{spanned{t.pos, t.end}, litNull, t.val}, nil
		}
		if reserved[t.val] {
			return nil, p.unexpected(t, "a field, a value or a function call")
		}
		if p.peekN(1).typ == tokLParen {
			return p.parseCall()
		}
		return p.parseField()
	}
	return nil, p.unexpected(t, "a field, a value or a function call")
}

// parseField parses a field name and any array index suffixes ("f[0]").
func (p *parser) parseField() (*fieldNode, error) {
	t := p.next()
	name := t.val
	for p.peek().typ == tokLBracket && p.peekN(1).typ == tokNumber && p.peekN(2).typ == tokRBracket {
		p.next()
		name += "[" + p.next().val + "]"
		p.next()
	}
	return &fieldNode{spanned: spanned{t.pos, p.lastEnd()}, name: name}, nil
}

func (p *parser) parseCall() (node, error) {
	name := p.next()
	open := p.next()
	if err := p.enter(open); err != nil {
		return nil, err
	}
	defer p.leave()
	c := &callNode{name: name.val}
	if p.peek().typ != tokRParen {
		for {
			a, err := p.parseExpr()
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
			if p.peek().typ != tokComma {
				break
			}
			p.next()
		}
	}
	if _, err := p.expect(tokRParen, open); err != nil {
		return nil, err
	}
	c.spanned = spanned{name.pos, p.lastEnd()}
	return c, nil
}

// parenNode keeps the parentheses in the span, so that opaque text is
// exactly what was written.
type parenNode struct {
	spanned
	inner node
}

// unparen strips parentheses.
func unparen(n node) node {
	for {
		pn, ok := n.(*parenNode)
		if !ok {
			return n
		}
		n = pn.inner
	}
}
