package spl

import (
	"strings"

	"ruledex/internal/rule"
)

// Argument shapes many commands share: name=value options, aggregations,
// field lists and raw arguments; and the generic command reader.

// isOption reports whether the next tokens are name=value.
func (p *parser) isOption() bool {
	return p.peek().typ == itemWord && isOp(p.peekN(1), "=")
}

// option reads name=value and returns both.
func (p *parser) option() (string, string) {
	name := p.next()
	p.next() // =
	v := p.peek()
	switch v.typ {
	case itemWord, itemString:
		p.next()
		return strings.ToLower(name.val), value(v)
	}
	return strings.ToLower(name.val), ""
}

// aggregation reads fn[(args)] [AS name] and returns it as written.
func (p *parser) aggregation() string {
	start := p.next()
	end := start.end
	if p.peek().typ == itemLParen && p.peek().pos == start.end {
		end = p.skipGroup()
	}
	if isWord(p.peek(), "as") {
		p.next()
		if t := p.peek(); t.typ == itemWord || t.typ == itemString {
			_, it := p.term()
			end = it.end
		} else {
			p.errorf(t.pos, "expected a name after AS")
		}
	}
	return p.text(start.pos, end)
}

// fieldList reads field names (quoted or not, commas optional) to the end,
// options (span=1h) among them becoming attributes.
func (p *parser) fieldList() []string {
	var out []string
	for !p.atEOF() {
		it := p.peek()
		switch {
		case it.typ == itemComma:
			p.next()
		case p.isOption():
			p.attr(p.option())
		case it.typ == itemWord || it.typ == itemString:
			f, _ := p.term()
			out = append(out, f)
		case it.typ == itemLParen:
			p.skipGroup()
		case it.typ == itemSubsearch:
			p.next()
			p.subs = append(p.subs, it)
		default:
			p.errorf(it.pos, "unexpected %s in a field list", it)
		}
	}
	return out
}

// runGeneric reads any other command: options become attributes, other
// arguments are kept as written (adjacent tokens together: ctime(x)),
// subsearches are parsed.
func runGeneric(p *parser, st *rule.Stage) {
	var args []string
	for !p.atEOF() {
		it := p.peek()
		switch {
		case p.isOption():
			p.attr(p.option())
		case it.typ == itemSubsearch:
			p.next()
			p.subs = append(p.subs, it)
		case it.typ == itemComma:
			p.next()
		default:
			args = append(args, p.rawArg())
		}
	}
	if len(args) > 0 {
		st.Attrs = append(st.Attrs, rule.Attr{Name: "args", Value: strings.Join(args, " ")})
	}
}

// rawArg reads a run of adjacent tokens (groups included) and returns it
// as written.
func (p *parser) rawArg() string {
	start := p.peek()
	end := start.end
	for {
		it := p.peek()
		if it.typ == itemEOF || it.typ == itemSubsearch || it.typ == itemComma || (it.pos != end && it.pos != start.pos) {
			break
		}
		if it.typ == itemLParen {
			end = p.skipGroup()
			continue
		}
		p.next()
		end = it.end
	}
	return p.text(start.pos, end)
}
