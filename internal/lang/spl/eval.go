package spl

import (
	"strings"

	"ruledex/internal/rule"
)

// Eval expressions (where, eval, searchmatch's caller), by the precedence
// of Splunk's evaluation functions reference, lowest first:
//
//	xor := or { XOR or }
//	or  := and { OR and }
//	and := not { AND not }
//	not := NOT not | cmp
//	cmp := add [ (= == != < <= > >= LIKE) add ] | add [NOT] IN ( list )
//	add := mul { (+ - .) mul }
//	mul := unary { (* / %) unary }
//	unary := (- | +) unary | primary
//	primary := number | "string" | field | 'field' | name ( args ) | ( xor )
//
// Unquoted names are fields; strings need double quotes. Operator words are
// accepted in any case (ESCU writes "and" and "like" in where clauses).

// evalNode is a node of the eval AST; lo and hi are offsets in the
// expanded text, so that any node can be shown as written.
type evalNode interface {
	span() (lo, hi int)
}

type evalPos struct{ lo, hi int }

func (p evalPos) span() (int, int) { return p.lo, p.hi }

type (
	evalBinary struct {
		evalPos
		op   string // AND OR XOR = == != < <= > >= LIKE + - . * / %
		l, r evalNode
	}
	evalUnary struct {
		evalPos
		op string // NOT, -, +
		x  evalNode
	}
	evalIn struct {
		evalPos
		x    evalNode
		list []evalNode
	}
	evalCall struct {
		evalPos
		name string
		args []evalNode
	}
	evalField struct {
		evalPos
		name string
	}
	evalString struct {
		evalPos
		val string // unquoted, escapes resolved
	}
	evalNumber struct {
		evalPos
		val string // as written
	}
	evalParen struct {
		evalPos
		x evalNode
	}
	evalSubsearch struct {
		evalPos
		text string
	}
)

func (p *parser) parseEval() evalNode { return p.evalXor() }

func (p *parser) binaryLevel(ops []string, next func() evalNode) evalNode {
	l := next()
	for {
		it := p.peek()
		op := ""
		for _, o := range ops {
			if (it.typ == itemWord && strings.EqualFold(it.val, o)) || (it.typ == itemOp && it.val == o) {
				op = o
				break
			}
		}
		if op == "" {
			return l
		}
		p.next()
		p.enter(it.pos)
		r := next()
		p.leave()
		lo, _ := l.span()
		_, hi := r.span()
		l = &evalBinary{evalPos{lo, hi}, op, l, r}
	}
}

func (p *parser) evalXor() evalNode { return p.binaryLevel([]string{"XOR"}, p.evalOr) }
func (p *parser) evalOr() evalNode  { return p.binaryLevel([]string{"OR"}, p.evalAnd) }
func (p *parser) evalAnd() evalNode { return p.binaryLevel([]string{"AND"}, p.evalNot) }

func (p *parser) evalNot() evalNode {
	it := p.peek()
	if !isWord(it, "NOT") {
		return p.evalCmp()
	}
	p.next()
	p.enter(it.pos)
	x := p.evalNot()
	p.leave()
	_, hi := x.span()
	return &evalUnary{evalPos{it.pos, hi}, "NOT", x}
}

var cmpOps = map[string]bool{"=": true, "==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

func (p *parser) evalCmp() evalNode {
	l := p.evalAdd()
	it := p.peek()
	switch {
	case it.typ == itemOp && cmpOps[it.val], isWord(it, "LIKE"):
		p.next()
		r := p.evalAdd()
		lo, _ := l.span()
		_, hi := r.span()
		return &evalBinary{evalPos{lo, hi}, strings.ToUpper(it.val), l, r}
	case isWord(it, "IN") && p.peekN(1).typ == itemLParen,
		isWord(it, "NOT") && isWord(p.peekN(1), "IN") && p.peekN(2).typ == itemLParen:
		not := isWord(it, "NOT")
		if not {
			p.next()
		}
		p.next()
		n := p.evalInList(l)
		if not {
			return &evalUnary{n.evalPos, "NOT", n}
		}
		return n
	}
	return l
}

// evalInList reads ( a, b, … ) after IN.
func (p *parser) evalInList(x evalNode) *evalIn {
	open := p.next()
	if open.typ != itemLParen {
		p.errorf(open.pos, "expected '(' after IN, found %s", open)
	}
	lo, _ := x.span()
	n := &evalIn{x: x}
	for {
		if p.peek().typ == itemRParen {
			break
		}
		n.list = append(n.list, p.parseEval())
		if p.peek().typ == itemComma {
			p.next()
			continue
		}
		if p.peek().typ != itemRParen {
			p.errorf(p.peek().pos, "expected ',' or ')' in the IN list, found %s", p.peek())
		}
	}
	end := p.next()
	if len(n.list) == 0 {
		p.errorf(open.pos, "empty IN list; give at least one value")
	}
	n.evalPos = evalPos{lo, end.end}
	return n
}

func (p *parser) evalAdd() evalNode { return p.binaryLevel([]string{"+", "-", "."}, p.evalMul) }
func (p *parser) evalMul() evalNode { return p.binaryLevel([]string{"*", "/", "%"}, p.evalUnaryOp) }

func (p *parser) evalUnaryOp() evalNode {
	it := p.peek()
	if it.typ == itemOp && (it.val == "-" || it.val == "+") {
		p.next()
		p.enter(it.pos)
		x := p.evalUnaryOp()
		p.leave()
		_, hi := x.span()
		return &evalUnary{evalPos{it.pos, hi}, it.val, x}
	}
	return p.evalPrimary()
}

// evalReserved are words that cannot start an operand.
var evalReserved = map[string]bool{"AND": true, "OR": true, "XOR": true, "NOT": true, "LIKE": true}

func (p *parser) evalPrimary() evalNode {
	it := p.next()
	pos := evalPos{it.pos, it.end}
	switch it.typ {
	case itemNumber:
		return &evalNumber{pos, it.val}
	case itemString:
		return &evalString{pos, unquote(it.val)}
	case itemField:
		if value(it) == "" {
			p.errorf(it.pos, "empty field name ''")
		}
		return &evalField{pos, value(it)}
	case itemSubsearch:
		p.subs = append(p.subs, it)
		return &evalSubsearch{pos, it.val}
	case itemLParen:
		p.enter(it.pos)
		x := p.parseEval()
		p.leave()
		c := p.next()
		if c.typ != itemRParen {
			p.errorf(it.pos, "unclosed '(': add the matching ')' (found %s)", c)
		}
		return &evalParen{evalPos{it.pos, c.end}, x}
	case itemWord:
		if evalReserved[strings.ToUpper(it.val)] && p.peek().typ != itemLParen {
			p.errorf(it.pos, "expected a value before %s", it.val)
		}
		if p.peek().typ == itemLParen {
			return p.evalCallArgs(it)
		}
		return &evalField{pos, it.val}
	case itemEOF:
		p.errorf(it.pos, "expression ends too early; expected a value")
	}
	p.errorf(it.pos, "expected a value, found %s", it)
	return nil
}

// evalCallArgs reads name( args ).
func (p *parser) evalCallArgs(name item) evalNode {
	open := p.next()
	p.enter(open.pos)
	defer p.leave()
	c := &evalCall{name: name.val}
	for p.peek().typ != itemRParen {
		if p.peek().typ == itemEOF {
			p.errorf(open.pos, "unclosed '(' of %s(: add the matching ')'", name.val)
		}
		c.args = append(c.args, p.parseEval())
		switch t := p.peek(); t.typ {
		case itemComma:
			p.next()
		case itemRParen:
		default:
			p.errorf(t.pos, "expected ',' or ')' in the arguments of %s(), found %s", name.val, t)
		}
	}
	end := p.next()
	c.evalPos = evalPos{name.pos, end.end}
	return c
}

// unparen strips the parentheses around a node.
func unparen(n evalNode) evalNode {
	for {
		p, ok := n.(*evalParen)
		if !ok {
			return n
		}
		n = p.x
	}
}

// nodeText is a node as written (after macro expansion).
func (p *parser) nodeText(n evalNode) string {
	lo, hi := n.span()
	return p.text(lo, hi)
}

// opaque keeps a condition that does not reduce to field predicates.
func (p *parser) opaque(n evalNode, reason string) rule.Expr {
	return &rule.Opaque{Text: p.nodeText(n), Reason: reason}
}
