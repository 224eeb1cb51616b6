package spl

import (
	"strings"

	"ruledex/internal/rule"
)

// Commands that compute, rename or enrich fields: eval, rename, lookup,
// inputlookup.

// runEval reads field=expression assignments separated by commas. The
// assigned name is taken as written (Splunk accepts names like a_-b there).
func runEval(p *parser, st *rule.Stage) {
	for !p.atEOF() {
		start := p.peek()
		for {
			it := p.peek()
			if isOp(it, "=") {
				break
			}
			if it.typ == itemEOF || it.typ == itemComma {
				p.errorf(start.pos, "expected field=expression in eval")
			}
			p.next()
		}
		eq := p.next()
		name := strings.Trim(strings.TrimSpace(p.text(start.pos, eq.pos)), "'")
		if name == "" {
			p.errorf(eq.pos, "expected a field name before = in eval")
		}
		n := p.parseEval()
		p.attr(name, p.nodeText(n))
		switch it := p.peek(); it.typ {
		case itemComma:
			p.next()
		case itemEOF:
		default:
			p.errorf(it.pos, "unexpected %s in eval; separate assignments with commas", it)
		}
	}
}

// runRename reads src AS dst pairs (commas optional).
func runRename(p *parser, st *rule.Stage) {
	for !p.atEOF() {
		if p.peek().typ == itemComma {
			p.next()
			continue
		}
		it := p.peek()
		if it.typ != itemWord && it.typ != itemString {
			p.errorf(it.pos, "expected a field name to rename, found %s", it)
		}
		src, _ := p.term()
		if as := p.next(); !isWord(as, "as") {
			p.errorf(as.pos, "expected AS after %s in rename", src)
		}
		dt := p.peek()
		if dt.typ != itemWord && dt.typ != itemString {
			p.errorf(dt.pos, "expected the new name after AS")
		}
		dst, _ := p.term()
		p.attr("rename", src+" AS "+dst)
	}
}

// runLookup reads [options] table field [AS f]… [OUTPUT|OUTPUTNEW f [AS f]…].
func runLookup(p *parser, st *rule.Stage) {
	var table string
	var in, out []string
	outKind := ""
	for !p.atEOF() {
		it := p.peek()
		switch {
		case it.typ == itemComma:
			p.next()
		case table == "" && p.isOption():
			p.attr(p.option())
		case isWord(it, "output") || isWord(it, "outputnew"):
			p.next()
			outKind = strings.ToLower(it.val)
		case it.typ == itemWord || it.typ == itemString:
			f, _ := p.term()
			if isWord(p.peek(), "as") {
				p.next()
				if t := p.peek(); t.typ == itemWord || t.typ == itemString {
					g, _ := p.term()
					f += " AS " + g
				}
			}
			switch {
			case table == "":
				table = f
			case outKind == "":
				in = append(in, f)
			default:
				out = append(out, f)
			}
		default:
			p.errorf(it.pos, "unexpected %s in lookup", it)
		}
	}
	if table == "" {
		p.errorf(p.peek().pos, "lookup needs a lookup table name")
	}
	st.Attrs = append(st.Attrs, rule.Attr{Name: "lookup", Value: table})
	st.Attrs = appendList(st.Attrs, "match", in)
	if outKind != "" {
		st.Attrs = appendList(st.Attrs, outKind, out)
	}
}

// runInputlookup reads [options] table [WHERE search-terms].
func runInputlookup(p *parser, st *rule.Stage) {
	for !p.atEOF() {
		it := p.peek()
		switch {
		case p.isOption():
			p.attr(p.option())
		case isWord(it, "where"):
			p.next()
			lo := p.peek().pos
			p.parseSearch(nil)
			p.attr("where", strings.TrimSpace(p.text(lo, p.peek().pos)))
		case it.typ == itemWord || it.typ == itemString:
			t, _ := p.term()
			p.attr("lookup", t)
		default:
			p.errorf(it.pos, "unexpected %s in inputlookup", it)
		}
	}
}
