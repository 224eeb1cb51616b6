package kql

import (
	"strings"
	"unicode/utf8"

	"ruledex/internal/lang"
)

// tokenType identifies the kind of a lexed token.
type tokenType int

const (
	tokEOF    tokenType = iota
	tokWord             // unquoted run of characters without whitespace; pat holds it resolved
	tokString           // quoted string; val holds it resolved
	tokLParen           // (
	tokRParen           // )
	tokLBrace           // {
	tokRBrace           // }
	tokColon            // :
	tokRange            // < <= > >=; val holds the operator
	tokAnd              // and (any case)
	tokOr               // or
	tokNot              // not
)

var tokenNames = [...]string{
	tokEOF: "end of query", tokWord: "value", tokString: "quoted string", tokLParen: `"("`,
	tokRParen: `")"`, tokLBrace: `"{"`, tokRBrace: `"}"`, tokColon: `":"`, tokRange: "range operator",
	tokAnd: `"and"`, tokOr: `"or"`, tokNot: `"not"`,
}

func (t tokenType) String() string { return tokenNames[t] }

// token is one lexeme with its byte span in the query.
type token struct {
	typ      tokenType
	pos, end int
	val      string
	pat      pattern
}

// pattern is an unquoted value: literal runs separated by "*" wildcards, so
// len(parts) is the number of wildcards plus one. Escaped characters are
// already resolved in the parts.
type pattern struct {
	parts []string
}

// lexer turns a query into tokens with state functions, in the manner of
// text/template/parse. It runs to completion: KQL queries are small and the
// parser wants lookahead over whitespace-separated words.
type lexer struct {
	src    string
	start  int // start of the token being lexed
	pos    int // current offset
	tokens []token
	err    *lang.Error
}

type stateFn func(*lexer) stateFn

func lex(src string) ([]token, error) {
	l := &lexer{src: src, tokens: make([]token, 0, len(src)/4+1)}
	for state := lexAny; state != nil; {
		state = state(l)
	}
	if l.err != nil {
		return nil, l.err
	}
	l.tokens = append(l.tokens, token{typ: tokEOF, pos: len(src), end: len(src)})
	return l.tokens, nil
}

func (l *lexer) emit(t tokenType, val string) {
	l.tokens = append(l.tokens, token{typ: t, pos: l.start, end: l.pos, val: val})
}

func (l *lexer) errorf(off int, format string, args ...any) stateFn {
	l.err = lang.Errorf(l.src, off, format, args...)
	return nil
}

// spaceLen returns the length of the whitespace character at off, 0 if there
// is none. Kibana's whitespace includes the no-break space.
func spaceLen(s string, off int) int {
	switch s[off] {
	case ' ', '\t', '\r', '\n':
		return 1
	case 0xC2:
		if off+1 < len(s) && s[off+1] == 0xA0 {
			return 2
		}
	}
	return 0
}

// special reports whether c ends an unquoted word (besides whitespace).
func special(c byte) bool {
	switch c {
	case '(', ')', ':', '<', '>', '"', '{', '}':
		return true
	}
	return false
}

// lexAny skips whitespace and dispatches on the next character.
func lexAny(l *lexer) stateFn {
	for l.pos < len(l.src) {
		n := spaceLen(l.src, l.pos)
		if n == 0 {
			break
		}
		l.pos += n
	}
	l.start = l.pos
	if l.pos >= len(l.src) {
		return nil
	}
	switch c := l.src[l.pos]; c {
	case '(':
		l.pos++
		l.emit(tokLParen, "(")
	case ')':
		l.pos++
		l.emit(tokRParen, ")")
	case '{':
		l.pos++
		l.emit(tokLBrace, "{")
	case '}':
		l.pos++
		l.emit(tokRBrace, "}")
	case ':':
		l.pos++
		l.emit(tokColon, ":")
	case '<', '>':
		l.pos++
		op := string(c)
		if l.pos < len(l.src) && l.src[l.pos] == '=' {
			l.pos++
			op += "="
		}
		l.emit(tokRange, op)
	case '"':
		return lexQuoted
	default:
		return lexWord
	}
	return lexAny
}

// lexQuoted scans a double-quoted string. Only \" \\ \t \r \n \uXXXX are
// escapes; any other backslash stays in the value, as in Kibana.
func lexQuoted(l *lexer) stateFn {
	l.pos++ // opening quote
	seg := l.pos
	var buf []byte
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '"' {
			val := l.src[seg:l.pos]
			if buf != nil {
				val = string(append(buf, val...))
			}
			l.pos++
			l.emit(tokString, val)
			return lexAny
		}
		if c != '\\' || l.pos+1 >= len(l.src) {
			l.pos++
			continue
		}
		r, n := quotedEscape(l.src[l.pos+1:])
		if n == 0 { // a lone backslash is a literal character
			l.pos++
			continue
		}
		buf = append(buf, l.src[seg:l.pos]...)
		buf = utf8.AppendRune(buf, r)
		l.pos += 1 + n
		seg = l.pos
	}
	return l.errorf(l.start, `unterminated quoted string: add the closing " (write \" for a quote inside the string)`)
}

// quotedEscape resolves the escape after a backslash inside quotes and
// returns the rune and the number of bytes used, 0 when it is no escape.
func quotedEscape(s string) (rune, int) {
	switch s[0] {
	case '"', '\\':
		return rune(s[0]), 1
	case 't':
		return '\t', 1
	case 'r':
		return '\r', 1
	case 'n':
		return '\n', 1
	case 'u':
		if r, ok := hex4(s[1:]); ok {
			return r, 5
		}
	}
	return 0, 0
}

func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// lexWord scans an unquoted word: everything up to whitespace or a special
// character, with "*" as wildcard and backslash escapes resolved.
func lexWord(l *lexer) stateFn {
	var parts []string
	var buf []byte
	seg := l.pos
	plain := true // no escapes and no wildcards: may be a keyword
	cut := func() string {
		s := l.src[seg:l.pos]
		if buf != nil {
			s = string(append(buf, s...))
			buf = nil
		}
		return s
	}
loop:
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '*':
			parts = append(parts, cut())
			l.pos++
			seg = l.pos
			plain = false
		case c == '\\':
			plain = false
			r, n := wordEscape(l.src[l.pos+1:])
			if n == 0 {
				return l.errorf(l.pos, `unknown escape in unquoted value: write \\ for a backslash, or put the value in double quotes`)
			}
			if buf == nil {
				buf = make([]byte, 0, 32)
			}
			buf = append(buf, l.src[seg:l.pos]...)
			if r >= 0 {
				buf = utf8.AppendRune(buf, r)
			} else { // escaped keyword: the letters themselves
				buf = append(buf, l.src[l.pos+1:l.pos+1+n]...)
			}
			l.pos += 1 + n
			seg = l.pos
		case special(c) || spaceLen(l.src, l.pos) > 0:
			break loop
		default:
			l.pos++
		}
	}
	parts = append(parts, cut())
	if plain {
		if t, ok := l.keyword(parts[0]); ok {
			l.emit(t, parts[0])
			return lexAny
		}
	}
	l.tokens = append(l.tokens, token{typ: tokWord, pos: l.start, end: l.pos, pat: pattern{parts}})
	return lexAny
}

// wordEscape resolves the escape after a backslash in an unquoted word. It
// returns the rune (-1 for an escaped keyword, whose letters are kept) and
// the bytes used, 0 when the escape is unknown.
func wordEscape(s string) (rune, int) {
	if s == "" {
		return 0, 0
	}
	switch c := s[0]; c {
	case '\\', '(', ')', ':', '<', '>', '"', '*', '{', '}':
		return rune(c), 1
	case 't':
		return '\t', 1
	case 'r':
		return '\r', 1
	case 'n': // before the keyword check: Kibana reads "\not" as a newline and "ot"
		return '\n', 1
	case 'u':
		if r, ok := hex4(s[1:]); ok {
			return r, 5
		}
	}
	switch {
	case hasFold(s, "and"):
		return -1, 3
	case hasFold(s, "or"):
		return -1, 2
	case hasFold(s, "not"):
		return -1, 3
	}
	return 0, 0
}

func hasFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// keyword decides whether a plain word is and/or/not here. Kibana only
// reads "and"/"or" between whitespace and "not" before whitespace; we also
// accept a parenthesis next to them.
func (l *lexer) keyword(w string) (tokenType, bool) {
	var t tokenType
	switch {
	case strings.EqualFold(w, "and"):
		t = tokAnd
	case strings.EqualFold(w, "or"):
		t = tokOr
	case strings.EqualFold(w, "not"):
		t = tokNot
	default:
		return 0, false
	}
	if l.pos >= len(l.src) || (spaceLen(l.src, l.pos) == 0 && l.src[l.pos] != '(') {
		return 0, false
	}
	if l.start == 0 {
		return t, t == tokNot
	}
	prev := l.src[l.start-1]
	if t == tokNot {
		return t, prev == '(' || prev == '{' || isSpaceBefore(l.src, l.start)
	}
	return t, prev == ')' || prev == '}' || prev == '"' || isSpaceBefore(l.src, l.start)
}

func isSpaceBefore(s string, off int) bool {
	switch s[off-1] {
	case ' ', '\t', '\r', '\n':
		return true
	case 0xA0:
		return off >= 2 && s[off-2] == 0xC2
	}
	return false
}
