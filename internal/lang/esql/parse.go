// Package esql parses Elastic's ES|QL piped query language into ruledex
// stages: one rule.Stage per command, with the WHERE conditions as the
// shared expression tree and the other commands' parts as attributes.
//
// The grammar follows Elasticsearch's ES|QL reference (EsqlBaseParser.g4):
// a source command (FROM, ROW, SHOW, TS) and processing commands separated
// by |, keywords case-insensitive, "…" and """…""" strings, `quoted`
// identifiers, // and nested /* */ comments, ?named and ?1 parameters.
package esql

import (
	"fmt"
	"sort"
	"strings"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// Parse parses an ES|QL query into one stage per command. Only WHERE
// stages carry an Expr; KQL("…") and QSTR("…") conditions are parsed with
// the KQL and Lucene parsers. Errors are *lang.Error with the line and
// column in src.
func Parse(src string) (stages []rule.Stage, err error) {
	p := &parser{src: src, lines: newLineIndex(src)}
	p.lex.input = src
	defer p.recover(&err)
	p.query()
	return p.stages, nil
}

// parser is a recursive-descent parser over items the lexer scans on
// demand in the mode the grammar needs at that point.
type parser struct {
	src    string
	lex    lexer
	lines  lineIndex
	cursor int // offset after the last item taken
	last   int // end of the last item taken
	peeked item
	peekOK bool
	peekM  mode
	depth  int
	stages []rule.Stage
}

// failure carries a *lang.Error up to ParseOptions through panic, the way
// text/template's parser reports errors.
type failure struct{ err *lang.Error }

func (p *parser) recover(errp *error) {
	r := recover()
	if r == nil {
		return
	}
	if f, ok := r.(failure); ok {
		*errp = f.err
	} else {
		// A bug, not bad input: report it as an error rather than crash
		// the build on one rule.
		*errp = &lang.Error{Pos: lang.Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error parsing ES|QL: %v", r)}
	}
	p.stages = nil
}

func (p *parser) errorf(off int, format string, args ...any) {
	pos := p.lines.pos(off)
	panic(failure{&lang.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}})
}

// peek returns the next item in mode m without taking it.
func (p *parser) peek(m mode) item {
	if p.peekOK && p.peekM == m {
		return p.peeked
	}
	it := p.lex.scan(p.cursor, m)
	if it.typ == itemError {
		p.errorf(it.pos, "%s", it.val)
	}
	p.peeked, p.peekOK, p.peekM = it, true, m
	return it
}

// next takes the next item in mode m.
func (p *parser) next(m mode) item {
	it := p.peek(m)
	p.cursor, p.last, p.peekOK = it.end, it.end, false
	return it
}

// peekAfter returns the item after it, in mode m, without taking anything.
func (p *parser) peekAfter(it item, m mode) item {
	var l lexer
	l.input = p.src
	return l.scan(it.end, m)
}

// expect takes an item of type t or fails naming what was expected.
func (p *parser) expect(m mode, t itemType, context string) item {
	it := p.next(m)
	if it.typ != t {
		p.errorf(it.pos, "expected %s %s, found %s", t, context, it.describe())
	}
	return it
}

// acceptWord takes the next item if it is the word w.
func (p *parser) acceptWord(m mode, w string) bool {
	if p.peek(m).isWord(w) {
		p.next(m)
		return true
	}
	return false
}

// accept takes the next item if it has type t.
func (p *parser) accept(m mode, t itemType) bool {
	if p.peek(m).typ == t {
		p.next(m)
		return true
	}
	return false
}

// enter guards recursion: untrusted queries may nest without end.
func (p *parser) enter(off int) {
	p.depth++
	if p.depth > lang.MaxDepth {
		p.errorf(off, "expression nests deeper than %d levels; simplify the query", lang.MaxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// query parses: SET …; * source-command ( | processing-command )*.
func (p *parser) query() {
	first := true
	for {
		it := p.peek(modeExpr)
		if it.typ == itemEOF {
			if first {
				p.errorf(it.pos, "empty query; an ES|QL query starts with FROM, ROW, SHOW or TS")
			}
			p.errorf(it.pos, "query ends after |; add a command such as WHERE or remove the trailing |")
		}
		if first && it.isWord("set") {
			p.setCommand()
			continue
		}
		p.command(first, false)
		first = false
		switch it := p.peek(modeExpr); it.typ {
		case itemEOF:
			return
		case itemPipe:
			p.next(modeExpr)
		default:
			p.errorf(it.pos, "unexpected %s after the %s command; separate commands with |", it.describe(), p.stages[len(p.stages)-1].Command)
		}
	}
}

// command parses one command into a stage. In FORK branches (nested) a
// command may also end at ).
func (p *parser) command(source, nested bool) {
	it := p.next(modeExpr)
	if it.typ != itemWord {
		if source {
			p.errorf(it.pos, "expected a source command (FROM, ROW, SHOW, TS), found %s", it.describe())
		}
		p.errorf(it.pos, "expected a command after |, found %s", it.describe())
	}
	name := strings.ToLower(it.val)
	spec, ok := commands[name]
	if !ok {
		p.errorf(it.pos, "unknown ES|QL command %s; known commands are %s", quoteBack(it.val), knownCommands())
	}
	if source != spec.source {
		if source {
			p.errorf(it.pos, "an ES|QL query starts with a source command (FROM, ROW, SHOW, TS), not %s", strings.ToUpper(it.val))
		}
		p.errorf(it.pos, "%s is a source command and can only start the query", strings.ToUpper(it.val))
	}
	if nested && !spec.inFork {
		p.errorf(it.pos, "%s cannot be used inside a FORK branch", strings.ToUpper(it.val))
	}
	st := rule.Stage{Command: spec.name, Role: spec.role, Line: p.lines.line(it.pos)}
	spec.parse(p, &st, it)
	st.Text = p.src[it.pos:p.last]
	st.Index = len(p.stages) + 1
	if !nested {
		p.stages = append(p.stages, st)
	}
}

func knownCommands() string {
	var names []string
	for n, c := range commands {
		if !c.alias {
			names = append(names, strings.ToUpper(n))
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// setCommand parses SET name = value; which may precede the query.
func (p *parser) setCommand() {
	it := p.next(modeExpr)
	name := p.identifier("after SET")
	p.expect(modeExpr, itemAssign, "after the setting name")
	var v node
	if p.peek(modeExpr).typ == itemLBrace {
		v = p.mapExpr()
	} else {
		v = p.constant()
	}
	p.expect(modeExpr, itemSemicolon, "to end the SET command")
	p.stages = append(p.stages, rule.Stage{
		Index: len(p.stages) + 1, Command: "SET", Role: rule.RoleOther,
		Text: p.src[it.pos:p.last], Line: p.lines.line(it.pos),
		Attrs: []rule.Attr{{Name: name, Value: p.text(v)}},
	})
}

// text is the source of a node with its white space compacted, for attributes.
func (p *parser) text(n node) string {
	pos, end := n.span()
	return compact(p.src[pos:end])
}

// compact collapses runs of white space (outside strings) into one space.
func compact(s string) string {
	if !strings.ContainsAny(s, "\n\t\r") && !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	inString, space := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			b.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == '"' {
				inString = false
			}
			continue
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if c == '"' {
			inString = true
		}
		b.WriteByte(c)
	}
	return b.String()
}

// lineIndex maps byte offsets to lines without rescanning the query.
type lineIndex struct {
	src      string
	newlines []int
}

func newLineIndex(src string) lineIndex {
	li := lineIndex{src: src, newlines: make([]int, 0, strings.Count(src, "\n"))}
	for i := strings.IndexByte(src, '\n'); i >= 0; {
		li.newlines = append(li.newlines, i)
		next := strings.IndexByte(src[i+1:], '\n')
		if next < 0 {
			break
		}
		i += next + 1
	}
	return li
}

// line is the 1-based line of offset off.
func (li lineIndex) line(off int) int {
	return sort.SearchInts(li.newlines, off) + 1
}

func (li lineIndex) pos(off int) lang.Pos {
	if off > len(li.src) {
		off = len(li.src)
	}
	line := li.line(off)
	start := 0
	if line > 1 {
		start = li.newlines[line-2] + 1
	}
	return lang.Pos{Line: line, Col: off - start + 1}
}

// quote writes s in double quotes with ES|QL's escapes.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
