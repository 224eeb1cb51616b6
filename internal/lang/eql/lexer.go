package eql

import (
	"strings"
	"unicode/utf8"

	"ruledex/internal/lang"
)

// tokenType identifies the kind of a lexed token.
type tokenType int

const (
	tokEOF      tokenType = iota
	tokIdent              // identifier, keyword or dotted field path; val resolved, bq when backquoted
	tokString             // "…", '…' or """…"""; val resolved
	tokNumber             // val as written
	tokLParen             // (
	tokRParen             // )
	tokLBracket           // [
	tokRBracket           // ]
	tokComma              // ,
	tokPipe               // |
	tokColon              // :
	tokEq                 // ==
	tokNeq                // !=
	tokLt                 // <
	tokLe                 // <=
	tokGt                 // >
	tokGe                 // >=
	tokAssign             // =
	tokPlus               // +
	tokMinus              // -
	tokStar               // *
	tokSlash              // /
	tokPercent            // %
	tokBang               // !
	tokQuestion           // ?
)

var tokenNames = [...]string{
	tokEOF: "end of query", tokIdent: "name", tokString: "string", tokNumber: "number",
	tokLParen: `"("`, tokRParen: `")"`, tokLBracket: `"["`, tokRBracket: `"]"`, tokComma: `","`,
	tokPipe: `"|"`, tokColon: `":"`, tokEq: `"=="`, tokNeq: `"!="`, tokLt: `"<"`, tokLe: `"<="`,
	tokGt: `">"`, tokGe: `">="`, tokAssign: `"="`, tokPlus: `"+"`, tokMinus: `"-"`, tokStar: `"*"`,
	tokSlash: `"/"`, tokPercent: `"%"`, tokBang: `"!"`, tokQuestion: `"?"`,
}

func (t tokenType) String() string { return tokenNames[t] }

// token is one lexeme with its byte span in the query.
type token struct {
	typ      tokenType
	pos, end int
	val      string
	bq       bool // an identifier written with backquotes: never a keyword
}

// lexer turns a query into tokens with state functions, in the manner of
// text/template/parse, skipping whitespace and comments.
type lexer struct {
	src    string
	start  int
	pos    int
	tokens []token
	err    *lang.Error
}

type stateFn func(*lexer) stateFn

func lex(src string) ([]token, error) {
	l := &lexer{src: src, tokens: make([]token, 0, len(src)/5+1)}
	for state := lexAny; state != nil; {
		state = state(l)
	}
	if l.err != nil {
		return nil, l.err
	}
	l.tokens = append(l.tokens, token{typ: tokEOF, pos: len(src), end: len(src)})
	return l.tokens, nil
}

func (l *lexer) emit(t tokenType, val string) stateFn {
	l.tokens = append(l.tokens, token{typ: t, pos: l.start, end: l.pos, val: val})
	return lexAny
}

func (l *lexer) errorf(off int, format string, args ...any) stateFn {
	l.err = lang.Errorf(l.src, off, format, args...)
	return nil
}

func (l *lexer) peekAt(i int) byte {
	if l.pos+i < len(l.src) {
		return l.src[l.pos+i]
	}
	return 0
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '@'
}

func isIdentByte(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lexAny skips whitespace and comments and dispatches on the next character.
func lexAny(l *lexer) stateFn {
	for l.pos < len(l.src) {
		switch c := l.src[l.pos]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.pos++
			continue
		case c == '/' && l.peekAt(1) == '/':
			end := strings.IndexByte(l.src[l.pos:], '\n')
			if end < 0 {
				l.pos = len(l.src)
			} else {
				l.pos += end + 1
			}
			continue
		case c == '/' && l.peekAt(1) == '*':
			if st := lexBlockComment(l); st == nil {
				return nil
			}
			continue
		}
		break
	}
	l.start = l.pos
	if l.pos >= len(l.src) {
		return nil
	}
	c := l.src[l.pos]
	switch {
	case isIdentStart(c) || c == '`':
		return lexIdent
	case isDigit(c) || c == '.' && isDigit(l.peekAt(1)):
		return lexNumber
	case c == '"' || c == '\'':
		return lexString
	}
	two := ""
	if l.pos+1 < len(l.src) {
		two = l.src[l.pos : l.pos+2]
	}
	switch two {
	case "==":
		l.pos += 2
		return l.emit(tokEq, two)
	case "!=":
		l.pos += 2
		return l.emit(tokNeq, two)
	case "<=":
		l.pos += 2
		return l.emit(tokLe, two)
	case ">=":
		l.pos += 2
		return l.emit(tokGe, two)
	}
	l.pos++
	if t, ok := singles[c]; ok {
		return l.emit(t, string(c))
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.start:])
	return l.errorf(l.start, "unexpected character %q", r)
}

var singles = map[byte]tokenType{
	'(': tokLParen, ')': tokRParen, '[': tokLBracket, ']': tokRBracket, ',': tokComma,
	'|': tokPipe, ':': tokColon, '<': tokLt, '>': tokGt, '=': tokAssign, '+': tokPlus,
	'-': tokMinus, '*': tokStar, '/': tokSlash, '%': tokPercent, '!': tokBang, '?': tokQuestion,
}

// lexBlockComment skips a /* … */ comment; like Elasticsearch's grammar it
// allows nested comments.
func lexBlockComment(l *lexer) stateFn {
	open := l.pos
	depth := 0
	for l.pos < len(l.src) {
		switch {
		case strings.HasPrefix(l.src[l.pos:], "/*"):
			depth++
			l.pos += 2
		case strings.HasPrefix(l.src[l.pos:], "*/"):
			depth--
			l.pos += 2
			if depth == 0 {
				return lexAny
			}
		default:
			l.pos++
		}
	}
	return l.errorf(open, "unterminated comment: close it with */")
}

// lexIdent scans a name: identifier segments or backquoted segments joined
// by dots ("process.parent.name", "`my-field`.x"), plus a "~" suffix on a
// single plain word ("in~", "startsWith~").
func lexIdent(l *lexer) stateFn {
	var b []byte // only used when a segment is backquoted
	bq := false
	for {
		if l.src[l.pos] == '`' {
			segStart := l.pos
			seg, ok := l.backquoted()
			if !ok {
				return l.errorf(l.pos, "unterminated backquoted name: close it with ` (write `` for a backquote inside)")
			}
			if !bq {
				b = append(b, l.src[l.start:segStart]...)
				bq = true
			}
			b = append(b, seg...)
		} else {
			s := l.pos
			for l.pos < len(l.src) && isIdentByte(l.src[l.pos]) {
				l.pos++
			}
			if bq {
				b = append(b, l.src[s:l.pos]...)
			}
		}
		if l.peekAt(0) == '.' && (isIdentByte(l.peekAt(1)) || l.peekAt(1) == '`') {
			if bq {
				b = append(b, '.')
			}
			l.pos++
			continue
		}
		break
	}
	if bq {
		l.tokens = append(l.tokens, token{typ: tokIdent, pos: l.start, end: l.pos, val: string(b), bq: true})
		return lexAny
	}
	if l.peekAt(0) == '~' && strings.IndexByte(l.src[l.start:l.pos], '.') < 0 {
		l.pos++
	}
	return l.emit(tokIdent, l.src[l.start:l.pos])
}

// backquoted reads `…` at l.pos, where “ is a literal backquote.
func (l *lexer) backquoted() (string, bool) {
	var b strings.Builder
	i := l.pos + 1
	for i < len(l.src) {
		if l.src[i] == '`' {
			if i+1 < len(l.src) && l.src[i+1] == '`' {
				b.WriteByte('`')
				i += 2
				continue
			}
			l.pos = i + 1
			return b.String(), true
		}
		b.WriteByte(l.src[i])
		i++
	}
	return "", false
}

// lexNumber scans an integer or decimal: 12, 1.5, .5, 1e3.
func lexNumber(l *lexer) stateFn {
	for isDigit(l.peekAt(0)) {
		l.pos++
	}
	if l.peekAt(0) == '.' {
		l.pos++
		for isDigit(l.peekAt(0)) {
			l.pos++
		}
	}
	if c := l.peekAt(0); c == 'e' || c == 'E' {
		i := 1
		if s := l.peekAt(1); s == '+' || s == '-' {
			i = 2
		}
		if isDigit(l.peekAt(i)) {
			l.pos += i
			for isDigit(l.peekAt(0)) {
				l.pos++
			}
		}
	}
	return l.emit(tokNumber, l.src[l.start:l.pos])
}

// lexString scans "…" and '…' strings with escapes, and """…""" raw
// strings, which have no escapes at all.
func lexString(l *lexer) stateFn {
	q := l.src[l.pos]
	if q == '"' && strings.HasPrefix(l.src[l.pos:], `"""`) {
		return lexRawString
	}
	l.pos++
	seg := l.pos
	var buf []byte
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == q {
			val := l.src[seg:l.pos]
			if buf != nil {
				val = string(append(buf, val...))
			}
			l.pos++
			return l.emit(tokString, val)
		}
		if c != '\\' {
			l.pos++
			continue
		}
		r, n, msg := stringEscape(l.src[l.pos+1:])
		if msg != "" {
			return l.errorf(l.pos, "%s", msg)
		}
		buf = append(buf, l.src[seg:l.pos]...)
		buf = utf8.AppendRune(buf, r)
		l.pos += 1 + n
		seg = l.pos
	}
	return l.errorf(l.start, "unterminated string: add the closing %c (write \\%c for a quote inside the string)", q, q)
}

// stringEscape resolves the escape after a backslash: the rune, the bytes
// used, or a message saying how to write it.
func stringEscape(s string) (rune, int, string) {
	if s == "" {
		return 0, 0, "unterminated string: a string cannot end in a backslash"
	}
	switch s[0] {
	case '"', '\'', '\\':
		return rune(s[0]), 1, ""
	case 'n':
		return '\n', 1, ""
	case 'r':
		return '\r', 1, ""
	case 't':
		return '\t', 1, ""
	case 'b':
		return '\b', 1, ""
	case 'f':
		return '\f', 1, ""
	case 'u':
		if len(s) > 1 && s[1] == '{' {
			end := strings.IndexByte(s, '}')
			if end >= 4 && end <= 10 {
				if r, ok := parseHex(s[2:end]); ok && utf8.ValidRune(r) {
					return r, end + 1, ""
				}
			}
		}
		return 0, 0, `bad unicode escape: write \u{XXXX} with 2 to 8 hex digits of a valid code point`
	}
	r, _ := utf8.DecodeRuneInString(s)
	return 0, 0, `unknown escape \` + string(r) + ` in string: write \\ for a backslash, or use a raw string """…"""`
}

func parseHex(s string) (rune, bool) {
	var r rune
	for i := 0; i < len(s); i++ {
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

// lexRawString scans """…""": everything up to the next three quotes, where
// up to two more quotes right before the closing ones belong to the value
// (as in Elasticsearch's grammar).
func lexRawString(l *lexer) stateFn {
	body := l.pos + 3
	end := strings.Index(l.src[body:], `"""`)
	if end < 0 {
		return l.errorf(l.start, `unterminated raw string: close it with """`)
	}
	end += body
	for i := 0; i < 2 && end+3 < len(l.src) && l.src[end+3] == '"'; i++ {
		end++
	}
	l.pos = end + 3
	return l.emit(tokString, l.src[body:end])
}
