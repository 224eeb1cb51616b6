package spl

import (
	"fmt"
	"strings"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// Result is a parsed SPL query.
type Result struct {
	// Stages has one stage per pipe segment after macro expansion, Index
	// from 1; the stages of a subsearch follow the stage that holds it.
	Stages []rule.Stage
	// Problems are of kind "parse", "undefined-macro" or "recursive-macro";
	// Line is 1-based within the query and the message starts with the
	// line and column within the query.
	Problems []rule.Problem
	// Macros lists every macro used, nested ones too, once per name and
	// arguments, with status defined, builtin, empty-filter or undefined.
	Macros []rule.MacroUse

	usesSeen map[string]bool
}

// Parse parses an SPL search, expanding macros, into stages with
// expression trees. It never panics and always returns a Result: a part
// that does not parse becomes a problem and the rest is still parsed.
func Parse(query string, macros *Macros) (res *Result) {
	res = &Result{}
	defer func() {
		if r := recover(); r != nil {
			res.Problems = append(res.Problems, rule.Problem{Kind: "parse",
				Message: fmt.Sprintf("internal error while parsing the query (please report it): %v", r)})
		}
	}()
	q := newQuery(query, macros, res, 0, 0, "")
	q.run(0)
	return res
}

// maxMapNesting bounds map search="…" strings inside map search strings;
// each level is a fresh parse of an unescaped copy.
const maxMapNesting = 8

// query is the state of one parse: the expanded text, its structure and
// origin, and the result being built.
type query struct {
	x        *expansion
	s        *structure
	macros   *Macros
	res      *Result
	lineBase int    // line of the enclosing query where a nested query starts, 0 at top
	context  string // what a nested query is ("map search string"), "" at top
	nesting  int    // map strings inside map strings
	subDepth int    // subsearch brackets
	reported map[int]bool
	items    []item // token buffer shared by the stages, one at a time
}

func newQuery(src string, macros *Macros, res *Result, lineBase, nesting int, context string) *query {
	q := &query{macros: macros, res: res, lineBase: lineBase, nesting: nesting, context: context}
	x := expand(src, macros, q.addUse)
	q.x, q.s = x, scanStructure(x.text)
	for _, pr := range x.problems {
		q.addProblem(pr)
	}
	q.items = make([]item, 0, len(x.text)/8+16)
	if res.Stages == nil {
		res.Stages = make([]rule.Stage, 0, strings.Count(x.text, "|")+1)
	}
	return q
}

func (q *query) run(parent int) {
	for _, at := range q.s.unclosed {
		q.problemAt(at, "unclosed '[': add the matching ']' to end the subsearch")
	}
	for _, at := range q.s.unopened {
		q.problemAt(at, "unexpected ']': remove it or add the matching '['")
	}
	if q.s.unfinished >= 0 {
		q.problemAt(q.s.unfinished, "unterminated quoted string: add the closing \"")
	}
	q.pipeline(0, len(q.s.text), -1, -1, parent)
}

// line maps an expanded offset to a line of the top-level query.
func (q *query) line(at int) int {
	l := q.x.origin.pos(at).Line
	if q.lineBase > 0 {
		return q.lineBase + l - 1
	}
	return l
}

// problemAt records a parse problem at an expanded offset, once per offset.
func (q *query) problemAt(at int, format string, args ...any) {
	if q.reported == nil {
		q.reported = map[int]bool{}
	}
	if q.reported[at] {
		return
	}
	q.reported[at] = true
	msg := fmt.Sprintf(format, args...)
	if q.x.origin.fromMacro(at) {
		msg += " (in the expansion of the macro called here)"
	}
	pos := q.x.origin.pos(at)
	q.addProblem(rule.Problem{Kind: "parse", Line: pos.Line, Message: (&lang.Error{Pos: pos, Msg: msg}).Error()})
}

// addProblem records a problem, shifting lines of a nested query.
func (q *query) addProblem(pr rule.Problem) {
	if q.lineBase > 0 {
		pr.Line = q.lineBase + max(pr.Line, 1) - 1
		pr.Message = "in the " + q.context + ": " + pr.Message
	}
	q.res.Problems = append(q.res.Problems, pr)
}

func (q *query) addUse(u rule.MacroUse) {
	k := u.Name
	if len(u.Args) > 0 {
		k += "\x00" + strings.Join(u.Args, "\x00")
	}
	if q.res.usesSeen == nil {
		q.res.usesSeen = map[string]bool{}
	}
	if q.res.usesSeen[k] {
		return
	}
	q.res.usesSeen[k] = true
	q.res.Macros = append(q.res.Macros, u)
}

// searchString parses a string holding search terms (searchmatch("…")) as
// an expression of its own, at the line of the string.
func (q *query) searchString(text string, at int) (e rule.Expr) {
	if q.nesting >= maxMapNesting {
		return &rule.Opaque{Text: text, Reason: "nesting"}
	}
	nq := newQuery(text, q.macros, q.res, q.line(at), q.nesting+1, "searchmatch string")
	p := nq.newParser(0, len(nq.s.text), modeSearch)
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*syntaxError)
			if !ok {
				panic(r)
			}
			nq.problemAt(se.at, "%s", se.msg)
			e = &rule.Opaque{Text: text, Reason: "unparsed"}
		}
	}()
	return p.parseSearch(nil)
}
