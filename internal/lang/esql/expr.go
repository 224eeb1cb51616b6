package esql

import "strings"

// Expression grammar, loosest first (EsqlBaseParser booleanExpression):
//
//	or      := and { OR and }
//	and     := not { AND not }
//	not     := NOT not | pred
//	pred    := value [ [NOT] IN (…) | [NOT] LIKE|RLIKE pattern(s) | IS [NOT] NULL | : constant ]
//	value   := arith [ (== != < <= > >= =~) arith ]
//	arith   := term { (+ -) term };  term := unary { (* / %) unary }
//	unary   := (- | +) unary | cast;  cast := primary { :: type }
//	primary := constant | name | function ( args ) | ( or )

func (p *parser) boolExpr() node {
	l := p.andExpr()
	for p.acceptWord(modeExpr, "or") {
		r := p.andExpr()
		l = &binaryNode{base: join(l, r), op: "or", l: l, r: r}
	}
	return l
}

func (p *parser) andExpr() node {
	l := p.notExpr()
	for p.acceptWord(modeExpr, "and") {
		r := p.notExpr()
		l = &binaryNode{base: join(l, r), op: "and", l: l, r: r}
	}
	return l
}

func (p *parser) notExpr() node {
	it := p.peek(modeExpr)
	if it.isWord("not") {
		p.next(modeExpr)
		p.enter(it.pos)
		x := p.notExpr()
		p.leave()
		_, end := x.span()
		return &unaryNode{base: base{it.pos, end}, op: "not", x: x}
	}
	return p.predicate()
}

func (p *parser) predicate() node {
	x := p.valueExpr()
	it := p.peek(modeExpr)
	not := false
	if it.isWord("not") {
		after := p.peekAfter(it, modeExpr)
		if !(after.isWord("in") || after.isWord("like") || after.isWord("rlike")) {
			return x // NOT here starts nothing this predicate can use
		}
		p.next(modeExpr)
		not = true
		it = p.peek(modeExpr)
	}
	pos, _ := x.span()
	switch {
	case it.isWord("in"):
		p.next(modeExpr)
		p.expect(modeExpr, itemLParen, "after IN")
		var list []node
		for {
			list = append(list, p.valueExpr())
			if !p.accept(modeExpr, itemComma) {
				break
			}
		}
		p.expect(modeExpr, itemRParen, "to close the IN list")
		return &inNode{base: base{pos, p.last}, x: x, list: list, not: not}
	case it.isWord("like"), it.isWord("rlike"):
		p.next(modeExpr)
		n := &likeNode{x: x, not: not, regex: it.isWord("rlike")}
		if p.accept(modeExpr, itemLParen) {
			for {
				n.patterns = append(n.patterns, p.patternString(it.val))
				if !p.accept(modeExpr, itemComma) {
					break
				}
			}
			p.expect(modeExpr, itemRParen, "to close the "+strings.ToUpper(it.val)+" list")
		} else {
			n.patterns = append(n.patterns, p.patternString(it.val))
		}
		n.base = base{pos, p.last}
		return n
	case not:
		p.errorf(it.pos, "expected IN, LIKE or RLIKE after NOT")
	case it.isWord("is"):
		p.next(modeExpr)
		n := &isNullNode{x: x, not: p.acceptWord(modeExpr, "not")}
		if nt := p.next(modeExpr); !nt.isWord("null") {
			p.errorf(nt.pos, "expected NULL after IS%s, found %s", map[bool]string{true: " NOT"}[n.not], nt.describe())
		}
		n.base = base{pos, p.last}
		return n
	case it.typ == itemColon:
		p.next(modeExpr)
		q := p.constant()
		return &matchNode{base: join(x, q), field: x, query: q}
	}
	return x
}

// patternString takes the string after LIKE or RLIKE.
func (p *parser) patternString(op string) *literalNode {
	it := p.next(modeExpr)
	switch it.typ {
	case itemString:
		return &literalNode{base: base{it.pos, it.end}, kind: litString, val: it.val}
	case itemParam:
		return &literalNode{base: base{it.pos, it.end}, kind: litParam, val: it.val}
	}
	p.errorf(it.pos, "expected a pattern string after %s, found %s", strings.ToUpper(op), it.describe())
	return nil
}

func (p *parser) valueExpr() node {
	l := p.arith()
	if it := p.peek(modeExpr); it.typ == itemCompare {
		p.next(modeExpr)
		r := p.arith()
		if again := p.peek(modeExpr); again.typ == itemCompare {
			p.errorf(again.pos, "comparisons cannot be chained; combine them with AND")
		}
		return &binaryNode{base: join(l, r), op: it.val, l: l, r: r}
	}
	if it := p.peek(modeExpr); it.typ == itemAssign {
		p.errorf(it.pos, "= assigns a value (in EVAL or STATS); compare with ==")
	}
	return l
}

func (p *parser) arith() node {
	l := p.term()
	for {
		it := p.peek(modeExpr)
		if it.typ != itemArith || (it.val != "+" && it.val != "-") {
			return l
		}
		p.next(modeExpr)
		r := p.term()
		l = &binaryNode{base: join(l, r), op: it.val, l: l, r: r}
	}
}

func (p *parser) term() node {
	l := p.unary()
	for {
		it := p.peek(modeExpr)
		if it.typ != itemArith || (it.val != "*" && it.val != "/" && it.val != "%") {
			return l
		}
		p.next(modeExpr)
		r := p.unary()
		l = &binaryNode{base: join(l, r), op: it.val, l: l, r: r}
	}
}

func (p *parser) unary() node {
	it := p.peek(modeExpr)
	if it.typ == itemArith && (it.val == "-" || it.val == "+") {
		p.next(modeExpr)
		p.enter(it.pos)
		x := p.unary()
		p.leave()
		_, end := x.span()
		// A signed number is one constant.
		if lit, ok := x.(*literalNode); ok && (lit.kind == litInt || lit.kind == litDecimal) && !strings.HasPrefix(lit.val, "-") {
			val := lit.val
			if it.val == "-" {
				val = "-" + val
			}
			return &literalNode{base: base{it.pos, end}, kind: lit.kind, val: val}
		}
		return &unaryNode{base: base{it.pos, end}, op: it.val, x: x}
	}
	return p.cast()
}

func (p *parser) cast() node {
	x := p.primary()
	for p.peek(modeExpr).typ == itemCast {
		p.next(modeExpr)
		t := p.next(modeExpr)
		if t.typ != itemWord {
			p.errorf(t.pos, "expected a type name after ::, such as ::keyword or ::ip, found %s", t.describe())
		}
		pos, _ := x.span()
		x = &castNode{base: base{pos, t.end}, x: x, typ: strings.ToLower(t.val)}
	}
	return x
}

func (p *parser) primary() node {
	it := p.peek(modeExpr)
	switch it.typ {
	case itemString, itemInt, itemDecimal, itemParam, itemLBracket:
		return p.constant()
	case itemLParen:
		p.next(modeExpr)
		p.enter(it.pos)
		x := p.boolExpr()
		p.leave()
		p.expect(modeExpr, itemRParen, "to close (")
		return &parenNode{base: base{it.pos, p.last}, x: x}
	case itemQuotedIdent:
		return p.qualifiedName()
	case itemWord:
		if isKeyword(it.val) {
			switch strings.ToLower(it.val) {
			case "true", "false", "null":
				return p.constant()
			case "in", "like", "rlike", "and", "or", "is", "by", "where", "asc", "desc", "nulls":
				p.errorf(it.pos, "unexpected keyword %s; a field named like a keyword needs backquotes: `%s`", strings.ToUpper(it.val), it.val)
			}
		}
		p.next(modeExpr)
		if p.peek(modeExpr).typ == itemLParen {
			return p.call(it)
		}
		if isKeyword(it.val) {
			p.errorf(it.pos, "unexpected keyword %s; a field named like a keyword needs backquotes: `%s`", strings.ToUpper(it.val), it.val)
		}
		return p.qualifiedNameFrom(it)
	case itemEOF, itemPipe:
		p.errorf(it.pos, "expression ends too early at %s; complete the condition", it.describe())
	}
	p.errorf(it.pos, "unexpected %s in an expression", it.describe())
	return nil
}

// qualifiedName parses name(.name)*, parts plain words, `quoted` or parameters.
func (p *parser) qualifiedName() node {
	return p.qualifiedNameFrom(p.next(modeExpr))
}

// qualifiedNameFrom parses a qualified name whose first part was taken.
func (p *parser) qualifiedNameFrom(first item) node {
	name := ""
	for it := first; ; it = p.next(modeExpr) {
		switch it.typ {
		case itemWord, itemQuotedIdent, itemParam:
			if name == "" {
				name = it.val
			} else {
				name += "." + it.val
			}
		default:
			p.errorf(it.pos, "expected a field name, found %s", it.describe())
		}
		if p.peek(modeExpr).typ != itemDot {
			break
		}
		p.next(modeExpr)
	}
	return &identNode{base: base{first.pos, p.last}, name: name}
}

// identifier parses one (possibly qualified) name and returns it as text.
func (p *parser) identifier(context string) string {
	it := p.peek(modeExpr)
	if it.typ != itemWord && it.typ != itemQuotedIdent {
		p.errorf(it.pos, "expected a name %s, found %s", context, it.describe())
	}
	return p.qualifiedName().(*identNode).name
}

// call parses ( [* | args [, {options}]] ) after the function's name,
// and FIRST/LAST(x BY y).
func (p *parser) call(name item) node {
	p.next(modeExpr) // (
	p.enter(name.pos)
	defer p.leave()
	c := &callNode{name: strings.ToLower(name.val)}
	if p.peek(modeExpr).typ == itemArith && p.peek(modeExpr).val == "*" {
		p.next(modeExpr)
		c.star = true
	} else if p.peek(modeExpr).typ != itemRParen {
		for {
			if p.peek(modeExpr).typ == itemLBrace {
				c.options = p.mapExpr()
				break
			}
			c.args = append(c.args, p.boolExpr())
			if (c.name == "first" || c.name == "last") && p.acceptWord(modeExpr, "by") {
				c.args = append(c.args, p.boolExpr())
				break
			}
			if !p.accept(modeExpr, itemComma) {
				break
			}
		}
	}
	p.expect(modeExpr, itemRParen, "to close "+strings.ToUpper(name.val)+"(")
	c.base = base{name.pos, p.last}
	return c
}

// constant parses a literal: string, number (with an optional time unit:
// 7 day), true, false, null, a parameter, or a [list].
func (p *parser) constant() node {
	it := p.next(modeExpr)
	b := base{it.pos, it.end}
	switch it.typ {
	case itemString:
		return &literalNode{base: b, kind: litString, val: it.val}
	case itemInt:
		if u := p.peek(modeExpr); u.typ == itemWord && !isKeyword(u.val) {
			p.next(modeExpr)
			return &literalNode{base: base{it.pos, u.end}, kind: litSpan, val: it.val + " " + u.val}
		}
		return &literalNode{base: b, kind: litInt, val: it.val}
	case itemDecimal:
		return &literalNode{base: b, kind: litDecimal, val: it.val}
	case itemParam:
		return &literalNode{base: b, kind: litParam, val: it.val}
	case itemArith:
		if it.val == "-" || it.val == "+" {
			n := p.peek(modeExpr)
			if n.typ == itemInt || n.typ == itemDecimal {
				p.next(modeExpr)
				kind := litInt
				if n.typ == itemDecimal {
					kind = litDecimal
				}
				val := n.val
				if it.val == "-" {
					val = "-" + val
				}
				return &literalNode{base: base{it.pos, n.end}, kind: kind, val: val}
			}
		}
	case itemWord:
		switch strings.ToLower(it.val) {
		case "true", "false":
			return &literalNode{base: b, kind: litBool, val: strings.ToLower(it.val)}
		case "null":
			return &literalNode{base: b, kind: litNull, val: "null"}
		}
	case itemLBracket:
		arr := &literalNode{kind: litArray}
		if p.peek(modeExpr).typ != itemRBracket {
			for {
				el := p.constant()
				lit, ok := el.(*literalNode)
				if !ok || lit.kind == litArray {
					pos, _ := el.span()
					p.errorf(pos, "a [list] holds numbers, strings or booleans")
				}
				arr.items = append(arr.items, lit)
				if !p.accept(modeExpr, itemComma) {
					break
				}
			}
		}
		p.expect(modeExpr, itemRBracket, "to close [")
		arr.base = base{it.pos, p.last}
		return arr
	}
	p.errorf(it.pos, "expected a constant (string, number, true, false, null), found %s", it.describe())
	return nil
}

// mapExpr parses {"key": value, …}; values are constants or nested maps.
func (p *parser) mapExpr() *mapNode {
	open := p.expect(modeExpr, itemLBrace, "")
	p.enter(open.pos)
	defer p.leave()
	m := &mapNode{}
	if p.peek(modeExpr).typ != itemRBrace {
		for {
			k := p.expect(modeExpr, itemString, "as an option name")
			p.expect(modeExpr, itemColon, "after the option name")
			var v node
			if p.peek(modeExpr).typ == itemLBrace {
				v = p.mapExpr()
			} else {
				v = p.constant()
			}
			m.keys = append(m.keys, k.val)
			m.values = append(m.values, v)
			if !p.accept(modeExpr, itemComma) {
				break
			}
		}
	}
	p.expect(modeExpr, itemRBrace, "to close {")
	m.base = base{open.pos, p.last}
	return m
}

func join(l, r node) base {
	pos, _ := l.span()
	_, end := r.span()
	return base{pos, end}
}
