package spl

import (
	"strings"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// pipeline parses the pipe segments of the expanded text [lo, hi) into
// stages. parent is the index of the stage that holds this pipeline as a
// subsearch, 0 for the query itself.
func (q *query) pipeline(lo, hi, delimLo, delimHi, parent int) {
	src := q.x.origin.src
	for i, seg := range q.s.segments(lo, hi, delimLo, delimHi) {
		a, b := trimRange(q.s.text, seg.lo, seg.hi)
		origLo, origHi := 0, len(src)
		if seg.delimLo >= 0 {
			origLo = q.x.origin.left(seg.delimLo)
		}
		if seg.delimHi >= 0 {
			origHi = q.x.origin.right(seg.delimHi)
		}
		if origHi < origLo {
			origHi = origLo
		}
		written := src[origLo:origHi]
		text := strings.TrimSpace(written)
		origLo += strings.Index(written, text)
		if a == b {
			q.emptySegment(i, seg, text, origLo, parent)
			continue
		}
		q.stage(a, b, i == 0, text, origLo, parent)
	}
}

// emptySegment handles a segment with nothing left after expansion: a
// leading pipe, a comment, or a macro that expands to nothing (the
// conventional empty <name>_filter). Pipes that a macro itself wrote
// ([| inputlookup …]) are read as if written in the query.
func (q *query) emptySegment(i int, seg segment, text string, origLo, parent int) {
	fromMacro := seg.delimLo >= 0 && q.x.origin.fromMacro(seg.delimLo) ||
		seg.delimHi >= 0 && q.x.origin.fromMacro(seg.delimHi)
	switch {
	case !fromMacro && strings.TrimSpace(stripComments(text)) != "":
		st := rule.Stage{Index: len(q.res.Stages) + 1, Command: "search", Text: text,
			Role: rule.RoleFilter, Line: q.origLine(origLo), Label: emptyLabel(text)}
		if parent > 0 {
			st.Label, st.Role = subLabel(parent), rule.RoleJoin
		}
		q.res.Stages = append(q.res.Stages, st)
	case !fromMacro && text != "":
		// only a comment
	case i > 0:
		at := seg.lo
		if seg.delimLo >= 0 {
			at = seg.delimLo
		}
		q.problemAt(at, "empty command between pipes: remove the extra '|'")
	}
}

// emptyLabel tells why a stage has no command: the conventional empty
// filter macro, or another macro that expanded to nothing.
func emptyLabel(text string) string {
	if name, _, err := parseCall(strings.Trim(text, "`")); err == "" && strings.HasSuffix(name, "_filter") &&
		strings.Count(text, "`") == 2 {
		return "empty filter macro"
	}
	return "empty macro expansion"
}

// origLine is the query line of an original offset.
func (q *query) origLine(off int) int {
	l := q.x.origin.posOf(off).Line
	if q.lineBase > 0 {
		return q.lineBase + l - 1
	}
	return l
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

func subLabel(parent int) string { return "subsearch of stage " + itoa(parent) }

// stage parses the segment [a, b) of the expanded text.
func (q *query) stage(a, b int, first bool, text string, origLo, parent int) {
	word := commandWord(q.s.text[a:b])
	name := strings.ToLower(word)
	cmd, known := commands[name]
	argLo := a + len(word)
	switch {
	case first && name == "search":
	case first && parent > 0 && known:
		// a subsearch may start with a generating command ([tstats …])
	case first:
		name, cmd, known, argLo = "search", commands["search"], true, a
	}
	if !known {
		cmd = command{role: rule.RoleOther, mode: modeSearch, run: runGeneric}
	}
	exp := q.s.text[a:b]
	st := rule.Stage{Index: len(q.res.Stages) + 1, Command: name, Text: text, Role: cmd.role, Line: q.origLine(origLo)}
	if exp != text {
		st.Expanded = exp
	}
	if name == "search" && first && parent == 0 {
		st.Role = rule.RoleSource
	}
	if name == "" {
		q.problemAt(a, "expected a command name after '|', found %q; a search after a pipe starts with the search command", firstRune(q.s.text[a:b]))
	}
	p := q.newParser(argLo, b, cmd.mode)
	q.runCommand(p, cmd, &st)
	st.Attrs = append(st.Attrs, p.attrs...)
	if parent > 0 {
		st.Label, st.Role = subLabel(parent), rule.RoleJoin
	}
	q.res.Stages = append(q.res.Stages, st)
	for _, sub := range p.subs {
		q.subsearch(sub, st.Index)
	}
	for _, n := range p.nested {
		q.nestedQuery(n, st.Index)
	}
}

// runCommand runs a command's parser, turning a syntax error into a
// problem of the stage; the stage keeps what was parsed before it.
func (q *query) runCommand(p *parser, cmd command, st *rule.Stage) {
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*syntaxError)
			if !ok {
				panic(r)
			}
			q.problemAt(se.at, "%s", se.msg)
		}
	}()
	cmd.run(p, st)
}

// subsearch parses […] as a pipeline whose stages follow the stage that
// holds it.
func (q *query) subsearch(it item, parent int) {
	q.subDepth++
	defer func() { q.subDepth-- }()
	if q.subDepth > lang.MaxDepth {
		q.problemAt(it.pos, "subsearches nested deeper than %d levels", lang.MaxDepth)
		return
	}
	q.pipeline(it.pos+1, it.end-1, it.pos, it.end-1, parent)
}

// nestedSearch is a search held in a string (map search="…"), parsed as a
// query of its own: Splunk expands its macros when map runs it.
type nestedSearch struct {
	text string
	at   int
}

func (q *query) nestedQuery(n nestedSearch, parent int) {
	if q.nesting >= maxMapNesting {
		q.problemAt(n.at, "map searches nested deeper than %d levels", maxMapNesting)
		return
	}
	nq := newQuery(n.text, q.macros, q.res, q.line(n.at), q.nesting+1, "map search string")
	nq.subDepth = q.subDepth
	nq.run(parent)
}

// commandWord returns the command name a segment starts with: a name
// that ends at a space, a parenthesis, a bracket or a quote ("search#" is
// a search term, not the search command), or "" when there is none.
func commandWord(s string) string {
	i := 0
	for i < len(s) && (isEvalWord(s[i]) || s[i] == '-') {
		i++
	}
	if i < len(s) && !isSpace(s[i]) && s[i] != '(' && s[i] != '[' && s[i] != '"' {
		return ""
	}
	return s[:i]
}

func trimRange(s string, lo, hi int) (int, int) {
	for lo < hi && isSpace(s[lo]) {
		lo++
	}
	for hi > lo && isSpace(s[hi-1]) {
		hi--
	}
	return lo, hi
}

// stripComments removes ```…``` comments from text as written.
func stripComments(s string) string {
	if !strings.Contains(s, "```") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "```")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		j := strings.Index(s[i+3:], "```")
		if j < 0 {
			return b.String()
		}
		s = s[i+3+j+3:]
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
