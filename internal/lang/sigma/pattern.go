package sigma

import (
	"strings"

	"ruledex/internal/rule"
)

// pattern is a Sigma string value with its wildcards kept apart from its
// literal text, so that an escaped \* stays a literal star through the
// modifier chain. Consecutive literal characters share one piece.
type pattern []piece

// piece is either literal text (wild == 0) or one wildcard ('*' or '?').
type piece struct {
	lit  string
	wild byte
}

// parsePattern resolves the escapes of the Sigma rules specification
// ("Escaping"): \* and \? are literal wildcards, \\ is one backslash, and a
// backslash before anything else is itself (so C:\Windows needs no escape).
// Unescaped * and ? are wildcards.
func parsePattern(s string) pattern {
	// Fast path: most values have no wildcard and no backslash.
	if strings.IndexAny(s, `*?\`) < 0 {
		return pattern{{lit: s}}
	}
	var p pattern
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p = append(p, piece{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?' || s[i+1] == '\\'):
			lit.WriteByte(s[i+1])
			i++
		case c == '*' || c == '?':
			flush()
			p = append(p, piece{wild: c})
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return p
}

// literalPattern is a pattern of literal text only.
func literalPattern(s string) pattern { return pattern{{lit: s}} }

// hasWildcard reports whether p has a real (unescaped) wildcard.
func (p pattern) hasWildcard() bool {
	for _, pc := range p {
		if pc.wild != 0 {
			return true
		}
	}
	return false
}

// text is the pattern with its wildcards as plain characters (what the
// encoding modifiers see).
func (p pattern) text() string {
	if len(p) == 1 && p[0].wild == 0 {
		return p[0].lit
	}
	var b strings.Builder
	for _, pc := range p {
		if pc.wild != 0 {
			b.WriteByte(pc.wild)
		} else {
			b.WriteString(pc.lit)
		}
	}
	return b.String()
}

// wrap puts a * before and/or after the pattern (contains, startswith,
// endswith).
func (p pattern) wrap(before, after bool) pattern {
	out := make(pattern, 0, len(p)+2)
	if before {
		out = append(out, piece{wild: '*'})
	}
	out = append(out, p...)
	if after {
		out = append(out, piece{wild: '*'})
	}
	return out
}

// compact merges adjacent literals, collapses runs of * (equivalent to one)
// and drops empty literals.
func (p pattern) compact() pattern {
	out := make(pattern, 0, len(p))
	for _, pc := range p {
		if pc.wild == 0 && pc.lit == "" {
			continue
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if pc.wild == 0 && last.wild == 0 {
				last.lit += pc.lit
				continue
			}
			if pc.wild == '*' && last.wild == '*' {
				continue
			}
		}
		out = append(out, pc)
	}
	return out
}

// value classifies the effective pattern per DESIGN.md: no wildcard is eq,
// *x* contains, *x ends_with, x* starts_with, anything else a wildcard
// pattern written with Sigma's escapes.
func (p pattern) value() rule.Value {
	p = p.compact()
	switch {
	case len(p) == 0:
		return rule.Value{Kind: rule.Eq, Value: ""}
	case !p.hasWildcard():
		return rule.Value{Kind: rule.Eq, Value: p[0].lit}
	case len(p) == 3 && p[0].wild == '*' && p[1].wild == 0 && p[2].wild == '*':
		return rule.Value{Kind: rule.Contains, Value: p[1].lit}
	case len(p) == 2 && p[0].wild == '*' && p[1].wild == 0:
		return rule.Value{Kind: rule.EndsWith, Value: p[1].lit}
	case len(p) == 2 && p[0].wild == 0 && p[1].wild == '*':
		return rule.Value{Kind: rule.StartsWith, Value: p[0].lit}
	}
	return rule.Value{Kind: rule.Wildcard, Value: p.escaped()}
}

// escaped writes the pattern back in Sigma's notation: wildcards bare,
// literal * and ? as \* and \?, and a literal backslash doubled only where
// it would otherwise escape what follows it (before *, ? or \).
func (p pattern) escaped() string {
	var b []byte
	for i, pc := range p {
		if pc.wild != 0 {
			b = append(b, pc.wild)
			continue
		}
		var next byte
		if i+1 < len(p) {
			next = p[i+1].wild
			if next == 0 && p[i+1].lit != "" {
				next = p[i+1].lit[0]
			}
		}
		b = rule.AppendGlobLiteral(b, pc.lit, next)
	}
	return string(b)
}

// escapeLiteral writes literal text in Sigma's notation (for the printer).
func escapeLiteral(s string) string {
	if strings.IndexAny(s, `*?\`) < 0 {
		return s
	}
	return literalPattern(s).escaped()
}
