package esql

import (
	"strings"
	"unicode/utf8"
)

// mode tells the lexer which tokens the parser expects next. ES|QL's own
// grammar switches lexer modes by command (FROM reads index patterns, KEEP
// reads field patterns, WHERE reads expressions); here the parser asks for
// each item in the mode it needs, which keeps the lexer small.
type mode int

const (
	modeExpr    mode = iota // expressions: WHERE, EVAL, STATS, SORT …
	modeSource              // index patterns: FROM, TS, LOOKUP JOIN
	modePattern             // field-name patterns: KEEP, DROP, RENAME, ENRICH ON/WITH
	modePolicy              // an ENRICH policy name
)

// lexer scans one item at a time from pos, in the mode asked for. Like
// text/template's lexer it is a set of state functions; unlike it, it is
// driven by the parser so that the mode can follow the grammar.
type lexer struct {
	input   string
	start   int // start of the item being scanned
	pos     int // current position
	mode    mode
	item    item // the item scanned last
	emitted bool
}

type stateFn func(*lexer) stateFn

// scan returns the item at offset pos in mode m.
func (l *lexer) scan(pos int, m mode) item {
	l.pos, l.start, l.mode, l.emitted = pos, pos, m, false
	for state := lexSpace; !l.emitted; {
		state = state(l)
	}
	return l.item
}

func (l *lexer) emit(t itemType, val string) stateFn {
	l.item = item{typ: t, pos: l.start, end: l.pos, val: val}
	l.emitted = true
	return nil
}

func (l *lexer) errorf(msg string) stateFn {
	l.item = item{typ: itemError, pos: l.start, end: l.pos, val: msg}
	l.emitted = true
	return nil
}

func (l *lexer) peekByte(off int) byte {
	if l.pos+off < len(l.input) {
		return l.input[l.pos+off]
	}
	return 0
}

// lexSpace skips white space and comments, then dispatches on the mode.
func lexSpace(l *lexer) stateFn {
	for l.pos < len(l.input) {
		switch c := l.input[l.pos]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.pos++
		case c == '/' && l.peekByte(1) == '/':
			if i := strings.IndexByte(l.input[l.pos:], '\n'); i >= 0 {
				l.pos += i + 1
			} else {
				l.pos = len(l.input)
			}
		case c == '/' && l.peekByte(1) == '*':
			l.start = l.pos
			if !l.skipBlockComment() {
				return l.errorf("comment /* is never closed; add */")
			}
		default:
			l.start = l.pos
			return lexItem
		}
	}
	l.start = l.pos
	return l.emit(itemEOF, "")
}

// skipBlockComment skips a /* */ comment; ES|QL block comments nest.
func (l *lexer) skipBlockComment() bool {
	depth := 0
	for l.pos < len(l.input) {
		switch {
		case strings.HasPrefix(l.input[l.pos:], "/*"):
			depth++
			l.pos += 2
		case strings.HasPrefix(l.input[l.pos:], "*/"):
			depth--
			l.pos += 2
			if depth == 0 {
				return true
			}
		default:
			l.pos++
		}
	}
	return false
}

// lexItem scans the punctuation every mode shares, then the mode's words.
func lexItem(l *lexer) stateFn {
	c := l.input[l.pos]
	switch c {
	case '|':
		l.pos++
		return l.emit(itemPipe, "|")
	case ',':
		l.pos++
		return l.emit(itemComma, ",")
	case '(':
		l.pos++
		return l.emit(itemLParen, "(")
	case ')':
		l.pos++
		return l.emit(itemRParen, ")")
	case '[':
		l.pos++
		return l.emit(itemLBracket, "[")
	case ']':
		l.pos++
		return l.emit(itemRBracket, "]")
	case '"':
		return lexString
	case '`':
		if l.mode == modePattern {
			return lexPattern
		}
		return lexQuotedIdent
	case ':':
		if l.peekByte(1) == ':' {
			l.pos += 2
			return l.emit(itemCast, "::")
		}
		l.pos++
		return l.emit(itemColon, ":")
	case '=':
		switch l.peekByte(1) {
		case '=':
			l.pos += 2
			return l.emit(itemCompare, "==")
		case '~':
			l.pos += 2
			return l.emit(itemCompare, "=~")
		}
		l.pos++
		return l.emit(itemAssign, "=")
	}
	switch l.mode {
	case modeSource:
		return lexSource
	case modePolicy:
		return lexPolicy
	case modePattern:
		return lexPatternItem
	}
	return lexExprItem
}

// lexExprItem scans an expression-mode item.
func lexExprItem(l *lexer) stateFn {
	c := l.input[l.pos]
	switch {
	case isDigit(c) || (c == '.' && isDigit(l.peekByte(1))):
		return lexNumber
	case isLetter(c):
		return lexWord
	case c == '_' || c == '@':
		if isIDBody(l.peekByte(1)) {
			return lexWord
		}
		l.pos++
		return l.errorf(quote(string(c)) + " alone is not a field name; quote odd names with backquotes: `" + string(c) + "`")
	case c == '?':
		return lexParam
	}
	l.pos++
	switch c {
	case '.':
		return l.emit(itemDot, ".")
	case '{':
		return l.emit(itemLBrace, "{")
	case '}':
		return l.emit(itemRBrace, "}")
	case ';':
		return l.emit(itemSemicolon, ";")
	case '+', '-', '*', '/', '%':
		return l.emit(itemArith, string(c))
	case '<', '>':
		if l.peekByte(0) == '=' {
			l.pos++
			return l.emit(itemCompare, string(c)+"=")
		}
		return l.emit(itemCompare, string(c))
	case '!':
		if l.peekByte(0) == '=' {
			l.pos++
			return l.emit(itemCompare, "!=")
		}
		return l.errorf(`"!" is not an ES|QL operator; write NOT for negation or != for "not equal"`)
	}
	l.pos = l.start + runeLen(l.input[l.start:])
	return l.errorf("unexpected character " + quote(l.input[l.start:l.pos]) + "; field names with special characters need backquotes")
}

func lexWord(l *lexer) stateFn {
	l.pos++
	for l.pos < len(l.input) && isIDBody(l.input[l.pos]) {
		l.pos++
	}
	return l.emit(itemWord, l.input[l.start:l.pos])
}

func lexNumber(l *lexer) stateFn {
	decimal := false
	digits := func() {
		for l.pos < len(l.input) && isDigit(l.input[l.pos]) {
			l.pos++
		}
	}
	digits()
	if l.peekByte(0) == '.' && !isLetter(l.peekByte(1)) && l.peekByte(1) != '_' {
		decimal = true
		l.pos++
		digits()
	}
	if c := l.peekByte(0); c == 'e' || c == 'E' {
		save := l.pos
		l.pos++
		if c := l.peekByte(0); c == '+' || c == '-' {
			l.pos++
		}
		if isDigit(l.peekByte(0)) {
			decimal = true
			digits()
		} else {
			l.pos = save // 7e is 7 followed by the word e…
		}
	}
	if decimal {
		return l.emit(itemDecimal, l.input[l.start:l.pos])
	}
	return l.emit(itemInt, l.input[l.start:l.pos])
}

func lexParam(l *lexer) stateFn {
	l.pos++
	if l.peekByte(0) == '?' {
		l.pos++
	}
	if c := l.peekByte(0); isLetter(c) || c == '_' {
		for l.pos < len(l.input) && isIDBody(l.input[l.pos]) {
			l.pos++
		}
	} else {
		for l.pos < len(l.input) && isDigit(l.input[l.pos]) {
			l.pos++
		}
	}
	return l.emit(itemParam, l.input[l.start:l.pos])
}

// lexString scans "…" (escapes \t \n \r \" \\) or """…""" (no escapes,
// one line, up to two extra closing quotes that belong to the text).
func lexString(l *lexer) stateFn {
	if strings.HasPrefix(l.input[l.pos:], `"""`) {
		body := l.input[l.pos+3:]
		end := strings.Index(body, `"""`)
		if nl := strings.IndexAny(body, "\r\n"); nl >= 0 && (end < 0 || nl < end) {
			l.pos += 3 + nl
			return l.errorf(`a triple-quoted string cannot span lines in ES|QL; close it with """ on the same line`)
		}
		if end < 0 {
			l.pos = len(l.input)
			return l.errorf(`string """ is never closed; add """`)
		}
		// """a"""" is the text a": up to two quotes after the closing
		// three belong to the text.
		for first := end; end < first+2 && end+3 < len(body) && body[end+3] == '"'; {
			end++
		}
		l.pos += 3 + end + 3
		return l.emit(itemString, body[:end])
	}
	l.pos++ // opening quote
	var b *strings.Builder
	from := l.pos
	for l.pos < len(l.input) {
		c := l.input[l.pos]
		switch c {
		case '"':
			val := l.input[from:l.pos]
			if b != nil {
				b.WriteString(val)
				val = b.String()
			}
			l.pos++
			return l.emit(itemString, val)
		case '\r', '\n':
			return l.errorf(`string is not closed on its line; add " or use a triple-quoted string ("""…""")`)
		case '\\':
			var r byte
			switch l.peekByte(1) {
			case 't':
				r = '\t'
			case 'n':
				r = '\n'
			case 'r':
				r = '\r'
			case '"':
				r = '"'
			case '\\':
				r = '\\'
			default:
				l.start = l.pos
				l.pos += 1 + runeLen(l.input[l.pos+1:])
				return l.errorf(`unknown escape ` + quote(l.input[l.start:l.pos]) + ` in a string; ES|QL strings know \t \n \r \" and \\ (write \\ for a backslash, or use a triple-quoted string """…""")`)
			}
			if b == nil {
				b = &strings.Builder{}
			}
			b.WriteString(l.input[from:l.pos])
			b.WriteByte(r)
			l.pos += 2
			from = l.pos
		default:
			l.pos++
		}
	}
	return l.errorf(`string is never closed; add "`)
}

// lexQuotedIdent scans `name`; a doubled “ inside stands for one backquote.
func lexQuotedIdent(l *lexer) stateFn {
	val, ok := l.scanBackquoted()
	if !ok {
		return l.errorf("quoted identifier is never closed; add `")
	}
	if val == "" {
		return l.errorf("empty quoted identifier ``; write a field name between the backquotes")
	}
	return l.emit(itemQuotedIdent, val)
}

func (l *lexer) scanBackquoted() (string, bool) {
	l.pos++
	var b strings.Builder
	for l.pos < len(l.input) {
		c := l.input[l.pos]
		if c == '`' {
			if l.peekByte(1) == '`' {
				b.WriteByte('`')
				l.pos += 2
				continue
			}
			l.pos++
			return b.String(), true
		}
		b.WriteByte(c)
		l.pos++
	}
	return "", false
}

// lexSource scans an index pattern: anything but :"=|,[]() white space,
// and / only when it does not start a comment.
func lexSource(l *lexer) stateFn {
	for l.pos < len(l.input) {
		c := l.input[l.pos]
		if strings.IndexByte(":\"=|,[]() \t\r\n", c) >= 0 {
			break
		}
		if c == '/' && (l.peekByte(1) == '/' || l.peekByte(1) == '*') {
			break
		}
		l.pos++
	}
	if l.pos == l.start {
		l.pos++
		return l.errorf("unexpected " + quote(l.input[l.start:l.pos]) + " where an index name was expected")
	}
	return l.emit(itemSource, l.input[l.start:l.pos])
}

// lexPolicy scans an ENRICH policy name: no \ / ? " < > | , # : or space.
func lexPolicy(l *lexer) stateFn {
	for l.pos < len(l.input) && strings.IndexByte("\\/?\"<>|,#: \t\r\n", l.input[l.pos]) < 0 {
		l.pos++
	}
	if l.pos == l.start {
		l.pos++
		return l.errorf("unexpected " + quote(l.input[l.start:l.pos]) + " where an enrich policy name was expected")
	}
	return l.emit(itemSource, l.input[l.start:l.pos])
}

// lexPatternItem scans what KEEP, DROP and RENAME read: field patterns,
// dots, commas, parameters.
func lexPatternItem(l *lexer) stateFn {
	c := l.input[l.pos]
	switch {
	case c == '.':
		l.pos++
		return l.emit(itemDot, ".")
	case c == '?':
		return lexParam
	case isLetter(c) || c == '*' || ((c == '_' || c == '@') && (isIDBody(l.peekByte(1)) || l.peekByte(1) == '*')):
		return lexPattern
	}
	l.pos += runeLen(l.input[l.pos:])
	return l.errorf("unexpected " + quote(l.input[l.start:l.pos]) + " where a field name was expected; quote odd names with backquotes")
}

// lexPattern scans one dot-free part of a field pattern, unquoted parts
// and `quoted` parts run together.
func lexPattern(l *lexer) stateFn {
	var b strings.Builder
	for l.pos < len(l.input) {
		c := l.input[l.pos]
		switch {
		case c == '`':
			val, ok := l.scanBackquoted()
			if !ok {
				return l.errorf("quoted identifier is never closed; add `")
			}
			b.WriteString(val)
		case isIDBody(c) || c == '*' || c == '@':
			b.WriteByte(c)
			l.pos++
		default:
			return l.emit(itemPattern, b.String())
		}
	}
	return l.emit(itemPattern, b.String())
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isIDBody(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

// runeLen is the byte length of the first UTF-8 character of s (1 for an
// invalid byte), so that errors never split a character.
func runeLen(s string) int {
	if s == "" {
		return 0
	}
	_, n := utf8.DecodeRuneInString(s)
	return n
}
