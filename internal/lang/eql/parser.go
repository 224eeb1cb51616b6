package eql

import (
	"fmt"
	"sort"
	"strings"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// Parse parses an EQL query into stages: an event query is one stage; a
// sequence, sample or join is a header stage followed by one stage per step
// (and one for until); each pipe is one more stage. Errors are *lang.Error
// with the line and column in src.
func Parse(src string) (stages []rule.Stage, err error) {
	defer func() {
		// Last guard for untrusted input: the parser is written not to
		// panic, but a bug must not take the whole build down.
		if r := recover(); r != nil {
			stages, err = nil, &lang.Error{Pos: lang.Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error parsing EQL: %v", r)}
		}
	}()
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	return p.parseStatement()
}

// parser is a recursive-descent parser over the token slice.
type parser struct {
	src   string
	toks  []token
	i     int
	depth int
	lines []int // offsets of '\n', built on first use
}

func (p *parser) peek() token { return p.toks[p.i] }

// peekN looks n tokens ahead (0 is peek).
func (p *parser) peekN(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// lastEnd is the end offset of the last consumed token.
func (p *parser) lastEnd() int {
	if p.i == 0 {
		return 0
	}
	return p.toks[p.i-1].end
}

// keyword reports whether t is the (lowercase, unquoted) keyword kw.
func keyword(t token, kw string) bool {
	return t.typ == tokIdent && !t.bq && t.val == kw
}

func (p *parser) errorf(off int, format string, args ...any) error {
	return lang.Errorf(p.src, off, format, args...)
}

func (p *parser) describe(t token) string {
	if t.typ == tokEOF {
		return t.typ.String()
	}
	return fmt.Sprintf("%q", p.src[t.pos:t.end])
}

func (p *parser) unexpected(t token, want string) error {
	msg := fmt.Sprintf("unexpected %s: expected %s", p.describe(t), want)
	if t.typ == tokIdent && !t.bq && isUpperKeyword(t.val) {
		msg += "; EQL keywords are lowercase"
	}
	return p.errorf(t.pos, "%s", msg)
}

func isUpperKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "and", "or", "not", "in", "where", "by", "with", "until", "like", "regex", "sequence", "sample":
		return s != strings.ToLower(s)
	}
	return false
}

// enter and leave bound the nesting depth of the recursive descent.
func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > lang.MaxDepth {
		return p.errorf(t.pos, "query nests deeper than %d levels; simplify it", lang.MaxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// expect consumes a closing token, naming the opening one when missing.
func (p *parser) expect(typ tokenType, open token) (token, error) {
	t := p.peek()
	if t.typ == typ {
		return p.next(), nil
	}
	op := lang.PosAt(p.src, open.pos)
	return t, p.errorf(t.pos, "missing %s to close the %s at line %d, column %d (found %s)",
		typ, open.typ, op.Line, op.Col, p.describe(t))
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

// parseStatement parses query { pipe } EOF.
func (p *parser) parseStatement() ([]rule.Stage, error) {
	var stages []rule.Stage
	var err error
	switch t := p.peek(); {
	case t.typ == tokEOF:
		return nil, p.errorf(t.pos, "empty query: write an event query such as: process where true")
	case keyword(t, "sequence"), keyword(t, "sample"), keyword(t, "join"):
		stages, err = p.parseMulti(t.val)
	default:
		var st rule.Stage
		st, err = p.parseEventQuery()
		stages = []rule.Stage{st}
	}
	if err != nil {
		return nil, err
	}
	for p.peek().typ == tokPipe {
		st, err := p.parsePipe()
		if err != nil {
			return nil, err
		}
		stages = append(stages, st)
	}
	if t := p.peek(); t.typ != tokEOF {
		return nil, p.unexpected(t, `"|" and a pipe, or the end of the query`)
	}
	for i := range stages {
		stages[i].Index = i + 1
	}
	return stages, nil
}

// eventFilter is "category where condition".
type eventFilter struct {
	category string // resolved: process, any, my-category
	written  string // as written, with its quotes
	cond     node
}

func (p *parser) parseEventFilter() (eventFilter, error) {
	t := p.peek()
	var f eventFilter
	switch t.typ {
	case tokIdent, tokString:
		p.next()
		f.category, f.written = t.val, p.src[t.pos:t.end]
	default:
		return f, p.unexpected(t, "an event category (process, file, network, any, …) followed by where")
	}
	if w := p.peek(); !keyword(w, "where") {
		return f, p.unexpected(w, fmt.Sprintf("where after the event category %q", f.category))
	}
	p.next()
	cond, err := p.parseExpr()
	if err != nil {
		return f, err
	}
	f.cond = cond
	return f, nil
}

func (p *parser) parseEventQuery() (rule.Stage, error) {
	start := p.peek().pos
	f, err := p.parseEventFilter()
	if err != nil {
		return rule.Stage{}, err
	}
	return rule.Stage{
		Command: f.written + " where",
		Label:   f.category,
		Text:    p.src[start:p.lastEnd()],
		Expr:    p.lowerCondition(f.cond),
		Role:    rule.RoleSource,
		Line:    p.line(start),
	}, nil
}

// parseMulti parses a sequence, sample or join: a header stage (its by
// keys and maxspan), one stage per bracketed step, and an until stage.
func (p *parser) parseMulti(kind string) ([]rule.Stage, error) {
	start := p.next()
	header := rule.Stage{Command: kind, Role: rule.RoleAggregate, Line: p.line(start.pos)}
	sawWith := false
	for {
		t := p.peek()
		switch {
		case keyword(t, "by"):
			if sawWith {
				return nil, p.errorf(t.pos, "by must come before with: write %s by … with maxspan=…", kind)
			}
			keys, err := p.parseJoinKeys()
			if err != nil {
				return nil, err
			}
			header.Attrs = append(header.Attrs, rule.Attr{Name: "by", Value: keys})
			continue
		case keyword(t, "with") && kind == "sequence" && !sawWith:
			sawWith = true
			span, err := p.parseParam("maxspan")
			if err != nil {
				return nil, err
			}
			header.Attrs = append(header.Attrs, rule.Attr{Name: "maxspan", Value: span})
			continue
		}
		break
	}
	header.Text = p.src[start.pos:p.lastEnd()]
	stages := []rule.Stage{header}
	for n := 1; ; n++ {
		t := p.peek()
		if t.typ != tokLBracket && !(t.typ == tokBang && kind == "sequence") {
			if n == 1 {
				return nil, p.unexpected(t, fmt.Sprintf("the %s's steps, each in [ … ]", kind))
			}
			break
		}
		st, err := p.parseStep(fmt.Sprintf("%s step %d", kind, n), kind == "sequence")
		if err != nil {
			return nil, err
		}
		stages = append(stages, st)
	}
	if t := p.peek(); keyword(t, "until") && kind != "sample" {
		p.next()
		st, err := p.parseStep("until", false)
		if err != nil {
			return nil, err
		}
		st.Text = p.src[t.pos:p.lastEnd()]
		st.Role = rule.RoleFilter
		st.Line = p.line(t.pos)
		stages = append(stages, st)
	}
	return stages, nil
}

// parseStep parses ["!"] "[" category where condition "]" [by keys] [with runs=N].
func (p *parser) parseStep(command string, sequence bool) (rule.Stage, error) {
	start := p.peek()
	var attrs []rule.Attr
	if start.typ == tokBang {
		p.next()
		attrs = append(attrs, rule.Attr{Name: "missing", Value: "true"})
	}
	open := p.peek()
	if open.typ != tokLBracket {
		return rule.Stage{}, p.unexpected(open, "[ event where condition ]")
	}
	p.next()
	f, err := p.parseEventFilter()
	if err != nil {
		return rule.Stage{}, err
	}
	if _, err := p.expect(tokRBracket, open); err != nil {
		return rule.Stage{}, err
	}
	sawBy, sawRuns := false, false
	for {
		t := p.peek()
		if keyword(t, "by") && !sawBy {
			sawBy = true
			keys, err := p.parseJoinKeys()
			if err != nil {
				return rule.Stage{}, err
			}
			attrs = append(attrs, rule.Attr{Name: "by", Value: keys})
			continue
		}
		if keyword(t, "with") && sequence && !sawRuns {
			sawRuns = true
			runs, err := p.parseParam("runs")
			if err != nil {
				return rule.Stage{}, err
			}
			attrs = append(attrs, rule.Attr{Name: "runs", Value: runs})
			continue
		}
		break
	}
	return rule.Stage{
		Command: command,
		Label:   f.category,
		Text:    p.src[start.pos:p.lastEnd()],
		Expr:    p.lowerCondition(f.cond),
		Role:    rule.RoleSource,
		Line:    p.line(start.pos),
		Attrs:   attrs,
	}, nil
}

// parseParam parses "with name = value", where maxspan's value is a time
// value (5m, 1h, 30 s) and runs' a number. It returns the value as written
// without spaces.
func (p *parser) parseParam(name string) (string, error) {
	p.next() // with
	t := p.next()
	if !keyword(t, name) {
		return "", p.errorf(t.pos, "expected with %s=…, found %s", name, p.describe(t))
	}
	if a := p.next(); a.typ != tokAssign {
		return "", p.errorf(a.pos, "expected = after %s, found %s", name, p.describe(a))
	}
	n := p.next()
	if n.typ != tokNumber {
		return "", p.errorf(n.pos, "expected a number after %s=, found %s", name, p.describe(n))
	}
	val := n.val
	if u := p.peek(); name == "maxspan" && u.typ == tokIdent && !u.bq && isTimeUnit(u.val) {
		p.next()
		val += u.val
	}
	return val, nil
}

func isTimeUnit(s string) bool {
	switch s {
	case "d", "h", "m", "s", "ms", "micros", "nanos":
		return true
	}
	return false
}

// parseJoinKeys parses "by expr {, expr}" and returns the keys as written.
func (p *parser) parseJoinKeys() (string, error) {
	p.next() // by
	var keys []string
	for {
		start := p.peek().pos
		if _, err := p.parseExpr(); err != nil {
			return "", err
		}
		keys = append(keys, p.src[start:p.lastEnd()])
		if p.peek().typ != tokComma {
			return strings.Join(keys, ", "), nil
		}
		p.next()
	}
}

// pipeRoles are the pipes of Elasticsearch EQL (head, tail) and of
// Endgame EQL, which older rules still use.
var pipeRoles = map[string]rule.Role{
	"head": rule.RoleOutput, "tail": rule.RoleOutput, "sort": rule.RoleOutput,
	"filter": rule.RoleFilter, "unique": rule.RoleAggregate, "unique_count": rule.RoleAggregate,
	"count": rule.RoleAggregate, "window": rule.RoleAggregate,
}

// parsePipe parses "| name [arg {, arg}]".
func (p *parser) parsePipe() (rule.Stage, error) {
	bar := p.next()
	name := p.next()
	role, ok := pipeRoles[name.val]
	if name.typ != tokIdent || name.bq || !ok {
		return rule.Stage{}, p.errorf(name.pos, "unknown pipe %s: use head, tail, filter, unique, unique_count, count or sort", p.describe(name))
	}
	st := rule.Stage{Command: name.val, Role: role, Line: p.line(bar.pos)}
	var args []node
	argStart := p.peek().pos
	for t := p.peek(); t.typ != tokEOF && t.typ != tokPipe; t = p.peek() {
		a, err := p.parseExpr()
		if err != nil {
			return rule.Stage{}, err
		}
		args = append(args, a)
		if p.peek().typ != tokComma {
			break
		}
		p.next()
	}
	if len(args) > 0 {
		st.Attrs = []rule.Attr{{Name: "args", Value: p.src[argStart:p.lastEnd()]}}
	}
	if name.val == "filter" {
		var terms []rule.Expr
		for _, a := range args {
			terms = append(terms, p.lowerCondition(a))
		}
		st.Expr = rule.NewAnd(terms...)
	}
	st.Text = p.src[bar.pos:p.lastEnd()]
	return st, nil
}
