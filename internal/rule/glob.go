package rule

import "strings"

// AppendGlobLiteral appends literal text to a Wildcard or Keyword value in
// the wildcard notation: * and ? become \* and \?, and a backslash is
// doubled only where the next character would otherwise read as an escape
// (*, ? or \). next is the first byte that will follow lit in the value
// (a wildcard or the next literal), 0 at the end. Every parser writes
// patterns through this one function, so that the same pattern has the
// same value in every language and the corpus counts agree.
func AppendGlobLiteral(dst []byte, lit string, next byte) []byte {
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		switch c {
		case '*', '?':
			dst = append(dst, '\\', c)
		case '\\':
			after := next
			if i+1 < len(lit) {
				after = lit[i+1]
			}
			dst = append(dst, '\\')
			if after == '*' || after == '?' || after == '\\' {
				dst = append(dst, '\\')
			}
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// GlobLiteral is a literal string as a pattern that matches only itself.
func GlobLiteral(lit string) string {
	return string(AppendGlobLiteral(nil, lit, 0))
}

// KeywordPattern normalizes a Keyword value: a keyword matches anywhere in
// the event, so leading and trailing wildcard stars add nothing, and every
// language writes "*x*", "x" and "*x" for the same search. Escaped stars
// stay; a pattern of stars only stays "*". The result is re-written in the
// canonical notation (a backslash doubled only before *, ? or \).
func KeywordPattern(p string) string {
	lits, wilds := splitGlob(p)
	start, end := 0, len(wilds)
	for start < end && wilds[start] == '*' {
		start++
	}
	for end > start && wilds[end-1] == '*' {
		end--
	}
	if start == end {
		if p == "" {
			return ""
		}
		if len(wilds) > 0 {
			return "*"
		}
	}
	var b []byte
	for i := start; i < end; i++ {
		if wilds[i] != 0 {
			b = append(b, wilds[i])
			continue
		}
		var next byte
		if i+1 < end {
			next = wilds[i+1]
		}
		b = AppendGlobLiteral(b, lits[i], next)
	}
	return string(b)
}

// splitGlob reads a pattern into pieces: for each i, either wilds[i] is a
// wildcard ('*' or '?') or lits[i] is literal text (wilds[i] == 0).
func splitGlob(p string) (lits []string, wilds []byte) {
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			lits, wilds = append(lits, lit.String()), append(wilds, 0)
			lit.Reset()
		}
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p) && (p[i+1] == '*' || p[i+1] == '?' || p[i+1] == '\\'):
			lit.WriteByte(p[i+1])
			i++
		case c == '*' || c == '?':
			flush()
			lits, wilds = append(lits, ""), append(wilds, c)
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return lits, wilds
}
