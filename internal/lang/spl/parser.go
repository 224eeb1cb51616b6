package spl

import (
	"fmt"
	"strings"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// parser reads the tokens of one command's arguments. Syntax errors panic
// with a *syntaxError that parseStage recovers, as text/template/parse and
// promql do: the first error ends the command and becomes its problem.
type parser struct {
	q      *query
	items  []item
	i      int
	depth  int // parentheses and NOT chains, bounded by lang.MaxDepth
	attrs  []rule.Attr
	subs   []item         // subsearches found, parsed after the stage is recorded
	nested []nestedSearch // map search strings, parsed likewise
}

// syntaxError is a parse error at an offset of the expanded text.
type syntaxError struct {
	at  int
	msg string
}

// newParser lexes [lo, hi) into the query's token buffer, which the next
// stage reuses: a stage's tokens are dead once its command is parsed.
func (q *query) newParser(lo, hi int, mode lexMode) *parser {
	items := lex(q.s, lo, hi, mode, q.items)
	q.items = items
	return &parser{q: q, items: items}
}

func (p *parser) errorf(at int, format string, args ...any) {
	panic(&syntaxError{at: at, msg: fmt.Sprintf(format, args...)})
}

// peek returns the next token without consuming it; a lexer error surfaces
// here as a syntax error at its position.
func (p *parser) peek() item {
	it := p.items[p.i]
	if it.typ == itemError {
		p.errorf(it.pos, "%s", it.val)
	}
	return it
}

// peekN looks n tokens ahead (0 is peek); it never reads past the end.
func (p *parser) peekN(n int) item {
	j := p.i + n
	if j >= len(p.items) {
		j = len(p.items) - 1
	}
	return p.items[j]
}

func (p *parser) next() item {
	it := p.peek()
	if it.typ != itemEOF {
		p.i++
	}
	return it
}

func (p *parser) atEOF() bool { return p.peek().typ == itemEOF }

// isWord reports whether it is the bare word w, ignoring case.
func isWord(it item, w string) bool {
	return it.typ == itemWord && strings.EqualFold(it.val, w)
}

// isKeyword reports whether it is the bare word w exactly (SPL's boolean
// operators must be upper case).
func isKeyword(it item, w string) bool { return it.typ == itemWord && it.val == w }

func isOp(it item, op string) bool { return it.typ == itemOp && it.val == op }

// enter guards recursion depth.
func (p *parser) enter(at int) {
	p.depth++
	if p.depth > lang.MaxDepth {
		p.errorf(at, "nesting deeper than %d levels; simplify the expression", lang.MaxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// line is the query line an expanded offset came from.
func (p *parser) line(at int) int { return p.q.line(at) }

// text is the expanded source between two offsets.
func (p *parser) text(lo, hi int) string { return p.q.s.text[lo:hi] }

// value is a token's text with quotes removed and escapes resolved.
func value(it item) string {
	switch it.typ {
	case itemString:
		return unquote(it.val)
	case itemField:
		return strings.Trim(it.val, "'")
	case itemWord:
		return unescape(it.val)
	}
	return it.val
}

// term reads a run of adjacent tokens as one argument ("Web".* is one
// field pattern) and returns its text with quotes removed.
func (p *parser) term() (string, item) {
	first := p.next()
	var b strings.Builder
	b.WriteString(value(first))
	end := first.end
	for {
		it := p.peek()
		if it.pos != end || it.typ == itemEOF || it.typ == itemComma || it.typ == itemSubsearch {
			break
		}
		p.next()
		b.WriteString(value(it))
		end = it.end
	}
	first.end = end
	return b.String(), first
}

func (p *parser) attr(name, val string) {
	p.attrs = append(p.attrs, rule.Attr{Name: name, Value: val})
}

// skipGroup consumes a balanced ( … ) whose '(' is next and returns the
// offset just past the ')'.
func (p *parser) skipGroup() int {
	open := p.next()
	depth := 1
	for {
		it := p.next()
		switch it.typ {
		case itemEOF:
			p.errorf(open.pos, "unclosed '(': add the matching ')'")
		case itemLParen:
			depth++
		case itemRParen:
			depth--
			if depth == 0 {
				return it.end
			}
		case itemSubsearch:
			p.subs = append(p.subs, it)
		}
	}
}
