package spl

import (
	"strings"

	"ruledex/internal/rule"
)

// unescape resolves SPL's two string escapes, \\ → \ and \" → ". Any other
// backslash stays as written: Splunk keeps it, and regular expressions rely
// on that (\d, \.).
func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && (s[i+1] == '\\' || s[i+1] == '"') {
			b.WriteByte(s[i+1])
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// unquote strips the double quotes around a string token and unescapes it.
// An unterminated token (the lexer reports it) loses only its opening quote.
func unquote(s string) string {
	if len(s) > 0 && s[0] == '"' {
		s = s[1:]
		if n := len(s); n > 0 && s[n-1] == '"' && !escapedAt(s, n-1) {
			s = s[:n-1]
		}
	}
	return unescape(s)
}

// escapedAt reports whether s[i] is preceded by an odd number of backslashes.
func escapedAt(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// quote renders s as an SPL double-quoted string.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' || s[i] == '"' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// pattern is a value with wildcards: literal runs and wildcard markers.
type pattern []patElem

// patElem is a literal run (wild == 0) or a wildcard: '*' any run of
// characters, '?' exactly one.
type patElem struct {
	lit  string
	wild byte
}

// searchPattern reads a search-term value: every * is a wildcard, quoted or
// not (SPL has no escape for it), and nothing else is.
func searchPattern(v string) pattern {
	var p pattern
	for {
		i := strings.IndexByte(v, '*')
		if i < 0 {
			break
		}
		if i > 0 {
			p = append(p, patElem{lit: v[:i]})
		}
		p = append(p, patElem{wild: '*'})
		v = v[i+1:]
	}
	if v != "" {
		p = append(p, patElem{lit: v})
	}
	return p
}

// likePattern reads a like() pattern: % is any run, _ one character.
func likePattern(v string) pattern {
	var p pattern
	start := 0
	for i := 0; i < len(v); i++ {
		var w byte
		switch v[i] {
		case '%':
			w = '*'
		case '_':
			w = '?'
		default:
			continue
		}
		if i > start {
			p = append(p, patElem{lit: v[start:i]})
		}
		p = append(p, patElem{wild: w})
		start = i + 1
	}
	if start < len(v) {
		p = append(p, patElem{lit: v[start:]})
	}
	return p
}

// classify turns a pattern into a value of the most specific kind:
// no wildcard is eq, *x* contains, *x ends_with, x* starts_with, only *
// exists; anything else stays a wildcard with the whole pattern, its
// literal *, ? and \ escaped.
func (p pattern) classify() rule.Value {
	// Collapse runs of * (** is *).
	q := p[:0:0]
	for _, e := range p {
		if e.wild == '*' && len(q) > 0 && q[len(q)-1].wild == '*' {
			continue
		}
		q = append(q, e)
	}
	star := func(i int) bool { return i >= 0 && i < len(q) && q[i].wild == '*' }
	lit := func(i int) bool { return i >= 0 && i < len(q) && q[i].wild == 0 }
	switch {
	case len(q) == 0:
		return rule.Value{Kind: rule.Eq, Value: ""}
	case len(q) == 1 && lit(0):
		return rule.Value{Kind: rule.Eq, Value: q[0].lit}
	case len(q) == 1 && star(0):
		return rule.Value{Kind: rule.Exists}
	case len(q) == 3 && star(0) && lit(1) && star(2):
		return rule.Value{Kind: rule.Contains, Value: q[1].lit}
	case len(q) == 2 && star(0) && lit(1):
		return rule.Value{Kind: rule.EndsWith, Value: q[1].lit}
	case len(q) == 2 && lit(0) && star(1):
		return rule.Value{Kind: rule.StartsWith, Value: q[0].lit}
	}
	return rule.Value{Kind: rule.Wildcard, Value: q.glob()}
}

// glob writes the pattern in the wildcard notation of rule.Wildcard.
func (p pattern) glob() string {
	var b []byte
	for i, e := range p {
		if e.wild != 0 {
			b = append(b, e.wild)
			continue
		}
		var next byte
		if i+1 < len(p) {
			next = p[i+1].wild
		}
		b = rule.AppendGlobLiteral(b, e.lit, next)
	}
	return string(b)
}

// text writes the pattern as SPL writes it: wildcards as themselves,
// literals as they are (SPL has no escape for * in search terms).
func (p pattern) text() string {
	var b strings.Builder
	for _, e := range p {
		if e.wild != 0 {
			b.WriteByte(e.wild)
		} else {
			b.WriteString(e.lit)
		}
	}
	return b.String()
}

// wildcardPattern reads back a Wildcard value (the printer needs it):
// * and ? are wildcards, \*, \? and \\ literal.
func wildcardPattern(v string) pattern {
	var p pattern
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p = append(p, patElem{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v) && (v[i+1] == '*' || v[i+1] == '?' || v[i+1] == '\\'):
			lit.WriteByte(v[i+1])
			i++
		case c == '*' || c == '?':
			flush()
			p = append(p, patElem{wild: c})
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return p
}
