package spl

import (
	"fmt"
	"strconv"
	"strings"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// expansion is a query after macro expansion and comment removal.
type expansion struct {
	text     string
	origin   *origin
	problems []rule.Problem
}

// maxExpansion bounds the expanded text and maxCalls the number of macro
// calls: macros that call each other many times could otherwise grow
// exponentially. ESCU's largest expansion is a few kilobytes.
func maxExpansion(src string) int { return 1<<18 + 8*len(src) }

func maxCalls(src string) int { return 1<<13 + len(src) }

// expander expands macros textually, as Splunk does before it parses: a
// macro may expand to part of a token (summariesonly=`cfg`) or to several
// pipe segments. Backticks inside double-quoted strings are literal.
type expander struct {
	macros   *Macros
	out      strings.Builder
	o        *origin
	problems []rule.Problem
	onUse    func(rule.MacroUse)
	limit    int
	calls    int  // macro calls left before giving up
	full     bool // a limit was hit and reported
}

// expand expands the macros of src; onUse learns of every call.
func expand(src string, macros *Macros, onUse func(rule.MacroUse)) *expansion {
	x := &expander{macros: macros, o: newOrigin(src), limit: maxExpansion(src), calls: maxCalls(src), onUse: onUse}
	x.out.Grow(len(src) + len(src)/2)
	x.text(src, 0, 0, 0, nil)
	return &expansion{text: x.out.String(), origin: x.o, problems: x.problems}
}

// text expands s. At depth 0, s is the query itself and every run copied
// gets a literal span; deeper, s is a macro body and everything maps to the
// top-level call [callStart, callEnd).
func (x *expander) text(s string, depth, callStart, callEnd int, chain []string) {
	top := depth == 0
	lit := 0 // start of the pending literal run
	flush := func(to int) {
		if to <= lit {
			return
		}
		if top {
			x.o.spans = append(x.o.spans, span{at: x.out.Len(), orig: lit, literal: true})
		}
		x.write(s[lit:to])
	}
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\':
			i += 2 // an escaped character outside quotes (\" in a bare term)
		case s[i] == '"':
			i = skipQuoted(s, i)
		case strings.HasPrefix(s[i:], "```"):
			flush(i)
			end := strings.Index(s[i+3:], "```")
			if end < 0 {
				x.problem(top, i, callStart, "parse", "unterminated ``` comment: close it with ```")
				i = len(s)
			} else {
				i += 3 + end + 3
			}
			lit = i
		case s[i] == '`':
			end := strings.IndexByte(s[i+1:], '`')
			if end < 0 {
				x.problem(top, i, callStart, "parse", "unterminated macro call: add the closing backtick (`)")
				i++
				continue
			}
			flush(i)
			j := i + 1 + end
			if top {
				callStart, callEnd = i, j+1
				x.o.spans = append(x.o.spans, span{at: x.out.Len(), orig: i, end: j + 1})
			}
			x.call(s[i+1:j], top, i, depth, callStart, callEnd, chain)
			i = j + 1
			lit = i
		default:
			i++
		}
	}
	flush(len(s))
}

func (x *expander) write(s string) {
	if x.full {
		return
	}
	if x.out.Len()+len(s) > x.limit {
		x.full = true
		x.problems = append(x.problems, rule.Problem{Kind: "parse",
			Message: fmt.Sprintf("macro expansion exceeds %d bytes; a macro probably calls others many times over", x.limit)})
		return
	}
	x.out.WriteString(s)
}

// call expands one macro call (the text between the backticks).
func (x *expander) call(text string, top bool, at, depth, callStart, callEnd int, chain []string) {
	if x.full {
		return // a limit was hit: expanding further only costs time
	}
	if x.calls--; x.calls < 0 {
		x.full = true
		x.problem(top, at, callStart, "parse", "more than %d macro calls; a macro probably calls others many times over", maxCalls(x.o.src))
		return
	}
	name, args, err := parseCall(text)
	if err != "" {
		x.problem(top, at, callStart, "parse", "macro call `%s`: %s", text, err)
		return
	}
	key := name + "(" + strconv.Itoa(len(args)) + ")"
	if depth >= lang.MaxDepth {
		x.problem(top, at, callStart, "parse", "macros nested deeper than %d levels at `%s`; look for a macro that calls itself", lang.MaxDepth, name)
		return
	}
	for i, c := range chain {
		if c == key {
			cycle := append(append([]string{}, chain[i:]...), key)
			x.problem(top, at, callStart, "recursive-macro", "recursive macro: %s; a macro cannot call itself, directly or through others",
				strings.Join(cycle, " → "))
			return
		}
	}
	def, builtin := x.macros.lookup(name, len(args))
	if def == nil {
		if strings.HasSuffix(name, "_filter") && len(args) == 0 {
			x.use(rule.MacroUse{Name: name, Status: "empty-filter"})
			return
		}
		x.use(rule.MacroUse{Name: name, Args: args, Status: "undefined"})
		hint := fmt.Sprintf("add macros/%s.yml or remove the call", name)
		if ar := x.macros.aritiesOf(name); len(ar) > 0 {
			hint = fmt.Sprintf("it is defined with %s argument(s); call it with that many", joinInts(ar))
		}
		x.problem(top, at, callStart, "undefined-macro", "macro `%s` with %d argument(s) is not defined; %s", name, len(args), hint)
		return
	}
	status := "defined"
	if builtin {
		status = "builtin"
	}
	x.use(rule.MacroUse{Name: name, Args: args, Definition: def.Definition, File: def.File, Status: status})
	body := substitute(def.Definition, def.Args, args)
	x.text(body, depth+1, callStart, callEnd, append(chain, key))
}

// use reports a macro use; the query removes duplicates.
func (x *expander) use(u rule.MacroUse) {
	if x.onUse != nil {
		x.onUse(u)
	}
}

// problem records a problem at offset at of the query (at the top level)
// or at the top-level call that led to it.
func (x *expander) problem(top bool, at, callStart int, kind, format string, args ...any) {
	off := callStart
	if top {
		off = at
	}
	p := x.o.posOf(off)
	msg := fmt.Sprintf(format, args...)
	if !top {
		msg += " (in the expansion of the macro called here)"
	}
	x.problems = append(x.problems, rule.Problem{Kind: kind, Line: p.Line,
		Message: (&lang.Error{Pos: p, Msg: msg}).Error()})
}

// parseCall splits `name(arg1, "arg, 2")` into its name and arguments.
// Commas inside quotes or parentheses do not split.
func parseCall(text string) (name string, args []string, err string) {
	text = strings.TrimSpace(text)
	open := strings.IndexByte(text, '(')
	if open < 0 {
		if text == "" {
			return "", nil, "empty macro name; remove the backticks"
		}
		if strings.ContainsAny(text, " \t\r\n") {
			return "", nil, "a macro name has no spaces; if this is a comment, write it as ```…```"
		}
		return text, nil, ""
	}
	name = strings.TrimSpace(text[:open])
	if name == "" || strings.ContainsAny(name, " \t\r\n") {
		return "", nil, "expected a macro name before '('"
	}
	if !strings.HasSuffix(text, ")") {
		return "", nil, "unbalanced parentheses in the arguments; end the call with ')'"
	}
	inner := text[open+1 : len(text)-1]
	if strings.TrimSpace(inner) == "" {
		return name, nil, ""
	}
	depth, start := 0, 0
	for i := 0; i < len(inner); i++ {
		switch inner[i] {
		case '"':
			i = skipQuoted(inner, i) - 1
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(inner[start:i]))
				start = i + 1
			}
		}
	}
	args = append(args, strings.TrimSpace(inner[start:]))
	return name, args, ""
}

// substitute replaces $name$ with the argument of that name in one pass, so
// that an argument's own $…$ text is never substituted again. Other $…$
// (dashboard tokens) stay as written.
func substitute(def string, names, vals []string) string {
	if len(names) == 0 || strings.IndexByte(def, '$') < 0 {
		return def
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(def, '$')
		if i < 0 {
			break
		}
		j := strings.IndexByte(def[i+1:], '$')
		if j < 0 {
			break
		}
		tok := def[i+1 : i+1+j]
		k := indexOf(names, tok)
		if k < 0 || k >= len(vals) {
			b.WriteString(def[:i+1])
			def = def[i+1:]
			continue
		}
		b.WriteString(def[:i])
		b.WriteString(vals[k])
		def = def[i+2+j:]
	}
	b.WriteString(def)
	return b.String()
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func joinInts(a []int) string {
	s := make([]string, len(a))
	for i, n := range a {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, " or ")
}

// skipQuoted returns the offset just past the double-quoted string that
// starts at s[i], or len(s) when it is not terminated.
func skipQuoted(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}
