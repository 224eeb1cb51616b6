package kql

import (
	"strings"
	"unicode"

	"ruledex/internal/rule"
)

// literal is a quoted string or a run of unquoted words.
type literal struct {
	quoted bool
	str    string  // the quoted string, resolved
	pat    pattern // the unquoted words, resolved
	pos    int
}

// parseLiteral reads a quoted string, or consecutive unquoted words joined
// by the whitespace between them (Kibana's unquoted literal may contain
// spaces; it stops before a keyword or special character).
func (p *parser) parseLiteral(want string) (literal, error) {
	t := p.peek()
	switch t.typ {
	case tokString:
		p.next()
		return literal{quoted: true, str: t.val, pos: t.pos}, nil
	case tokWord:
	default:
		return literal{}, p.unexpected(t, "expected "+want)
	}
	p.next()
	lit := literal{pat: t.pat, pos: t.pos}
	if p.peek().typ == tokWord {
		// A builder keeps long runs of words linear.
		parts := append([]string(nil), t.pat.parts[:len(t.pat.parts)-1]...)
		var cur strings.Builder
		cur.WriteString(t.pat.parts[len(t.pat.parts)-1])
		prev := t
		for p.peek().typ == tokWord {
			w := p.next()
			cur.WriteString(p.src[prev.end:w.pos])
			cur.WriteString(w.pat.parts[0])
			for _, part := range w.pat.parts[1:] {
				parts = append(parts, cur.String())
				cur.Reset()
				cur.WriteString(part)
			}
			prev = w
		}
		lit.pat = pattern{append(parts, cur.String())}
	}
	lit.pat = trimPattern(lit.pat)
	return lit, nil
}

// trimPattern trims whitespace at both ends like Kibana's trim(), which
// only matters for escaped whitespace (\n, \t) at the ends.
func trimPattern(pt pattern) pattern {
	first, last := pt.parts[0], pt.parts[len(pt.parts)-1]
	if !hasSpaceEdge(first, true) && !hasSpaceEdge(last, false) {
		return pt
	}
	parts := append([]string(nil), pt.parts...)
	parts[0] = strings.TrimLeftFunc(parts[0], unicode.IsSpace)
	parts[len(parts)-1] = strings.TrimRightFunc(parts[len(parts)-1], unicode.IsSpace)
	return pattern{parts}
}

func hasSpaceEdge(s string, left bool) bool {
	if s == "" {
		return false
	}
	if left {
		return strings.TrimLeftFunc(s, unicode.IsSpace) != s
	}
	return strings.TrimRightFunc(s, unicode.IsSpace) != s
}

// text is the literal as a field name or range bound: wildcards as "*".
func (l literal) text() string {
	if l.quoted {
		return l.str
	}
	if len(l.pat.parts) == 1 {
		return l.pat.parts[0]
	}
	return strings.Join(l.pat.parts, "*")
}

// predicate is "field: literal".
func (l literal) predicate(field string, line int) *rule.Predicate {
	var v rule.Value
	if l.quoted {
		v = quotedValue(l.str)
	} else {
		v = classify(l.pat)
	}
	return &rule.Predicate{Field: field, Op: ":", Values: []rule.Value{v}, Line: line}
}

// keyword is the literal as free text.
func (l literal) keyword() rule.Value {
	if l.quoted {
		return rule.Value{Kind: rule.Keyword, Value: rule.KeywordPattern(patternString(pattern{[]string{l.str}}))}
	}
	return rule.Value{Kind: rule.Keyword, Value: rule.KeywordPattern(patternString(l.pat))}
}
