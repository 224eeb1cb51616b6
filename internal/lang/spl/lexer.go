package spl

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// itemType identifies a token.
type itemType uint8

const (
	itemError     itemType = iota // val is the message
	itemEOF                       //
	itemWord                      // a bare term, field name, command or keyword
	itemString                    // "…" with its quotes, escapes unresolved
	itemField                     // '…' field name (eval), with its quotes
	itemNumber                    // a number (eval)
	itemOp                        // = == != < <= > >= (both modes); + - * / % . ! (eval)
	itemLParen                    // (
	itemRParen                    // )
	itemComma                     // ,
	itemSubsearch                 // […] including the brackets
)

var itemNames = [...]string{"error", "end of command", "word", "string", "quoted field", "number", "operator",
	"'('", "')'", "','", "subsearch"}

func (t itemType) String() string {
	if int(t) < len(itemNames) {
		return itemNames[t]
	}
	return fmt.Sprintf("item(%d)", t)
}

// item is a token; pos and end are offsets in the whole expanded text.
type item struct {
	typ      itemType
	pos, end int
	val      string
}

func (i item) String() string {
	switch i.typ {
	case itemEOF:
		return "end of command"
	case itemError:
		return i.val
	}
	return fmt.Sprintf("%q", i.val)
}

// lexMode selects how text is split: search terms keep * and most
// punctuation inside words; eval expressions have arithmetic operators.
type lexMode uint8

const (
	modeSearch lexMode = iota
	modeEval
)

// lexer holds the state of the scanner, after text/template/parse: state
// functions emit items into a slice (the parser wants look-ahead anyway and
// commands are short).
type lexer struct {
	s     *structure // brackets of the whole text
	input string     // the whole expanded text
	start int        // start of the current item
	pos   int        // current position
	end   int        // end of the range being lexed
	mode  lexMode
	items []item
}

type stateFn func(*lexer) stateFn

// lex tokenises input[lo:hi], appending to buf[:0]. The result always ends
// with itemEOF or itemError.
func lex(s *structure, lo, hi int, mode lexMode, buf []item) []item {
	l := &lexer{s: s, input: s.text, start: lo, pos: lo, end: hi, mode: mode, items: buf[:0]}
	state := lexAny
	for state != nil {
		state = state(l)
	}
	return l.items
}

func (l *lexer) emit(t itemType) {
	l.items = append(l.items, item{typ: t, pos: l.start, end: l.pos, val: l.input[l.start:l.pos]})
	l.start = l.pos
}

func (l *lexer) errorf(format string, args ...any) stateFn {
	l.items = append(l.items, item{typ: itemError, pos: l.start, end: l.pos, val: fmt.Sprintf(format, args...)})
	return nil
}

func (l *lexer) peek() byte {
	if l.pos < l.end {
		return l.input[l.pos]
	}
	return 0
}

func (l *lexer) peekAt(n int) byte {
	if l.pos+n < l.end {
		return l.input[l.pos+n]
	}
	return 0
}

func (l *lexer) skipSpace() {
	for l.pos < l.end && isSpace(l.input[l.pos]) {
		l.pos++
	}
	l.start = l.pos
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// lexAny lexes between tokens.
func lexAny(l *lexer) stateFn {
	l.skipSpace()
	if l.pos >= l.end {
		l.emit(itemEOF)
		return nil
	}
	switch c := l.input[l.pos]; {
	case c == '(':
		l.pos++
		l.emit(itemLParen)
	case c == ')':
		l.pos++
		l.emit(itemRParen)
	case c == ',':
		l.pos++
		l.emit(itemComma)
	case c == '"':
		return lexString
	case c == '[' && l.bracketEnd() >= 0:
		l.pos = l.bracketEnd() + 1
		l.emit(itemSubsearch)
	case c == '=' || c == '<' || c == '>' || (c == '!' && l.peekAt(1) == '='):
		l.pos++
		if l.peek() == '=' {
			l.pos++
		}
		l.emit(itemOp)
		if l.mode == modeSearch {
			return lexValue
		}
	case l.mode == modeEval:
		return lexEval
	default:
		return lexWord
	}
	return lexAny
}

// bracketEnd is the matching ']' of the '[' at pos, if it lies in range.
func (l *lexer) bracketEnd() int {
	j := l.s.matching(l.pos)
	if j >= l.end {
		return -1
	}
	return j
}

// lexString scans a double-quoted string; \" and \\ do not end it.
func lexString(l *lexer) stateFn {
	for l.pos++; l.pos < l.end; l.pos++ {
		switch l.input[l.pos] {
		case '\\':
			l.pos++
		case '"':
			l.pos++
			l.emit(itemString)
			return lexAny
		}
	}
	l.pos = l.end
	return l.errorf("unterminated quoted string: add the closing \"")
}

// searchBreak reports whether c ends a search-mode word.
func (l *lexer) searchBreak(c byte, value bool) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '(', ')', '"', ',':
		return true
	case '[':
		return l.bracketEnd() >= 0
	case '=', '<', '>':
		return !value
	case '!':
		return !value && l.peekAt(1) == '='
	}
	return false
}

// lexWord scans a search term: anything up to a space, a parenthesis, a
// quote, a comma, an operator or a subsearch. * stays part of the word.
func lexWord(l *lexer) stateFn {
	for l.pos < l.end && !l.searchBreak(l.input[l.pos], false) {
		l.skipEscape()
		l.pos++
	}
	if l.pos == l.start { // a lone breaker nothing else claimed
		l.pos++
	}
	l.emit(itemWord)
	return lexAny
}

// skipEscape steps over a backslash so that the character it escapes
// (\" in a bare term) does not end the word.
func (l *lexer) skipEscape() {
	if l.input[l.pos] == '\\' && l.pos+1 < l.end {
		l.pos++
	}
}

// lexValue scans the value after a search operator, which may itself hold
// = < > ! (CommandLine=*--key=value*).
func lexValue(l *lexer) stateFn {
	l.skipSpace()
	if l.pos >= l.end || l.searchBreak(l.input[l.pos], true) {
		return lexAny
	}
	for l.pos < l.end && !l.searchBreak(l.input[l.pos], true) {
		l.skipEscape()
		l.pos++
	}
	l.emit(itemWord)
	return lexAny
}

// isEvalWord reports whether c may appear in an eval field or function name.
func isEvalWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '@' || c == '$' || c == '{' || c == '}' || c == ':' || c >= utf8.RuneSelf
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lexEval scans one eval token that is not punctuation, a string or a
// comparison.
func lexEval(l *lexer) stateFn {
	c := l.input[l.pos]
	switch {
	case c == '\'':
		i := strings.IndexByte(l.input[l.pos+1:l.end], '\'')
		if i < 0 {
			l.pos = l.end
			return l.errorf("unterminated quoted field name: add the closing '")
		}
		l.pos += i + 2
		l.emit(itemField)
	case isDigit(c) || c == '.' && isDigit(l.peekAt(1)):
		return lexNumber
	case isEvalWord(c):
		l.scanEvalWord()
		l.emit(itemWord)
	case strings.IndexByte("+-*/%.!", c) >= 0:
		l.pos++
		l.emit(itemOp)
	default:
		r, _ := utf8.DecodeRuneInString(l.input[l.pos:l.end])
		l.pos++
		return l.errorf("unexpected %q in an eval expression; quote strings with \" and field names with '", r)
	}
	return lexAny
}

// scanEvalWord scans a field or function name; a dot joins words
// (Processes.process_name) but a spaced dot is concatenation.
func (l *lexer) scanEvalWord() {
	for l.pos < l.end {
		c := l.input[l.pos]
		if isEvalWord(c) || c == '.' && isEvalWord(l.peekAt(1)) && l.pos > l.start {
			l.pos++
			continue
		}
		break
	}
}

// lexNumber scans 12, 1.5, .5, 1e3; a number running into letters is a
// name after all (1st_field).
func lexNumber(l *lexer) stateFn {
	for isDigit(l.peek()) {
		l.pos++
	}
	if l.peek() == '.' && isDigit(l.peekAt(1)) {
		l.pos++
		for isDigit(l.peek()) {
			l.pos++
		}
	}
	if c := l.peek(); (c == 'e' || c == 'E') && (isDigit(l.peekAt(1)) || (l.peekAt(1) == '-' || l.peekAt(1) == '+') && isDigit(l.peekAt(2))) {
		l.pos += 2
		for isDigit(l.peek()) {
			l.pos++
		}
	}
	if c := l.peek(); isEvalWord(c) || c == '.' && isEvalWord(l.peekAt(1)) {
		l.scanEvalWord()
		l.emit(itemWord)
		return lexAny
	}
	l.emit(itemNumber)
	return lexAny
}
