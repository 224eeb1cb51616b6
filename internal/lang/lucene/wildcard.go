package lucene

import (
	"strings"

	"ruledex/internal/rule"
)

// Wildcard is a wildcard pattern of the kind Lucene evaluates for terms,
// Elasticsearch wildcard queries and ES|QL LIKE: literal bytes, and the
// wildcards * (any run) and ? (one character).
type Wildcard struct {
	chars []byte
	wild  []bool // wild[i]: chars[i] is a wildcard, not literal text
}

// ParseWildcard reads Lucene syntax: an unescaped * or ? is a wildcard,
// and \ makes the next character literal.
func ParseWildcard(s string) Wildcard {
	var w Wildcard
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			w.add(s[i], false)
		case c == '*' || c == '?':
			w.add(c, true)
		default:
			w.add(c, false)
		}
	}
	return w
}

// WildcardNotation reads rule.Wildcard notation (see Notation).
func WildcardNotation(s string) Wildcard {
	var w Wildcard
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte(`*?\`, s[i+1]) >= 0:
			i++
			w.add(s[i], false)
		case c == '*' || c == '?':
			w.add(c, true)
		default:
			w.add(c, false)
		}
	}
	return w
}

// Literal is a pattern of literal text only.
func Literal(s string) Wildcard {
	var w Wildcard
	for i := 0; i < len(s); i++ {
		w.add(s[i], false)
	}
	return w
}

func (w *Wildcard) add(c byte, wild bool) {
	w.chars = append(w.chars, c)
	w.wild = append(w.wild, wild)
}

// Notation writes the pattern in rule.Wildcard notation, the one every
// ruledex parser shares (Sigma's): * and ? are wildcards, \* and \? are
// literal, and a literal backslash is doubled only where the next
// character would otherwise read as escaped (before *, ? or \).
func (w Wildcard) Notation() string {
	var b []byte
	for i := 0; i < len(w.chars); {
		if w.wild[i] {
			b = append(b, w.chars[i])
			i++
			continue
		}
		j := i
		for j < len(w.chars) && !w.wild[j] {
			j++
		}
		var next byte
		if j < len(w.chars) {
			next = w.chars[j]
		}
		b = rule.AppendGlobLiteral(b, string(w.chars[i:j]), next)
		i = j
	}
	return string(b)
}

// Syntax writes the pattern in Lucene syntax: a backslash before every
// literal *, ? and \, and before the literal characters escape names.
func (w Wildcard) Syntax(escape func(byte) bool) string {
	var b strings.Builder
	for i, c := range w.chars {
		if !w.wild[i] && (c == '*' || c == '?' || c == '\\' || escape != nil && escape(c)) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Value classifies the pattern per DESIGN.md: no wildcard is eq, *x* is
// contains x, x* starts_with, *x ends_with, * alone exists, and anything
// else wildcard with the whole pattern in Notation.
func (w Wildcard) Value() rule.Value {
	var wilds, stars int
	first, last := -1, -1
	for i, isWild := range w.wild {
		if isWild {
			wilds++
			if w.chars[i] == '*' {
				stars++
			}
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	n := len(w.chars)
	text := func(from, to int) string { return string(w.chars[from:to]) }
	switch {
	case wilds == 0:
		return rule.Value{Kind: rule.Eq, Value: text(0, n)}
	case n == 1 && stars == 1:
		return rule.Value{Kind: rule.Exists}
	case stars != wilds || n-wilds == 0:
	case wilds == 2 && first == 0 && last == n-1:
		return rule.Value{Kind: rule.Contains, Value: text(1, n-1)}
	case wilds == 1 && last == n-1:
		return rule.Value{Kind: rule.StartsWith, Value: text(0, n-1)}
	case wilds == 1 && first == 0:
		return rule.Value{Kind: rule.EndsWith, Value: text(1, n)}
	}
	return rule.Value{Kind: rule.Wildcard, Value: w.Notation()}
}

// WildcardValue classifies an Elasticsearch wildcard query value (Lucene
// syntax), for readers of query DSL filters.
func WildcardValue(pattern string) rule.Value { return ParseWildcard(pattern).Value() }
