package sigma

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// itemType is the type of a condition token.
type itemType int

const (
	itemError   itemType = iota // a lexing error; val is the message
	itemEOF                     // end of the condition
	itemWord                    // identifier, pattern, keyword or number: the parser decides
	itemLParen                  // (
	itemRParen                  // )
	itemPipe                    // | (deprecated aggregation)
	itemCompare                 // > >= < <= = == != (deprecated aggregation)
	itemComma                   // , (deprecated aggregation field lists)
)

// item is one token with its byte offset in the condition.
type item struct {
	typ itemType
	pos int
	val string
}

func (i item) String() string {
	switch i.typ {
	case itemEOF:
		return "the end of the condition"
	case itemError:
		return i.val
	case itemWord:
		return "`" + i.val + "`"
	}
	return "`" + i.val + "`"
}

// lexer holds the state of the condition scanner. It follows
// text/template/parse: a state function returns the next state; tokens are
// collected in a slice since conditions are short.
type lexer struct {
	input string
	start int // start of the current token
	pos   int // current position
	items []item
}

// stateFn is one state of the lexer.
type stateFn func(*lexer) stateFn

// lex tokenizes a condition. The last item is itemEOF or itemError.
func lex(input string) []item {
	l := &lexer{input: input, items: make([]item, 0, 8)}
	for state := lexSpace; state != nil; {
		state = state(l)
	}
	return l.items
}

func (l *lexer) emit(t itemType) {
	l.items = append(l.items, item{t, l.start, l.input[l.start:l.pos]})
	l.start = l.pos
}

func (l *lexer) errorf(format string, args ...any) stateFn {
	l.items = append(l.items, item{itemError, l.start, fmt.Sprintf(format, args...)})
	return nil
}

// isSpace reports whether b separates tokens (YAML folds multi-line
// conditions, but literal blocks keep their newlines).
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

// isPunct reports whether b is a token of its own.
func isPunct(b byte) bool {
	switch b {
	case '(', ')', '|', ',', '<', '>', '=', '!':
		return true
	}
	return false
}

// lexSpace skips blanks and dispatches on the next character.
func lexSpace(l *lexer) stateFn {
	for l.pos < len(l.input) && isSpace(l.input[l.pos]) {
		l.pos++
	}
	l.start = l.pos
	if l.pos >= len(l.input) {
		l.emit(itemEOF)
		return nil
	}
	switch c := l.input[l.pos]; c {
	case '(':
		l.pos++
		l.emit(itemLParen)
	case ')':
		l.pos++
		l.emit(itemRParen)
	case '|':
		l.pos++
		l.emit(itemPipe)
	case ',':
		l.pos++
		l.emit(itemComma)
	case '<', '>', '=', '!':
		return lexCompare
	default:
		return lexWord
	}
	return lexSpace
}

// lexCompare scans a comparison operator of the deprecated aggregations.
func lexCompare(l *lexer) stateFn {
	rest := l.input[l.pos:]
	for _, op := range []string{">=", "<=", "==", "!=", ">", "<", "="} {
		if strings.HasPrefix(rest, op) {
			l.pos += len(op)
			l.emit(itemCompare)
			return lexSpace
		}
	}
	return l.errorf("unexpected `!`; the condition's negation is the word `not`")
}

// lexWord scans an identifier, identifier pattern (with *), keyword or
// number: any run of characters up to a blank or punctuation. Search
// identifiers are YAML keys, so the condition accepts any character in them
// that does not have a meaning of its own.
func lexWord(l *lexer) stateFn {
	for l.pos < len(l.input) {
		c := l.input[l.pos]
		if isSpace(c) || isPunct(c) {
			break
		}
		if c < utf8.RuneSelf {
			l.pos++
			continue
		}
		r, w := utf8.DecodeRuneInString(l.input[l.pos:])
		if r == utf8.RuneError && w == 1 {
			return l.errorf("the condition is not valid UTF-8 at byte %d", l.pos)
		}
		l.pos += w
	}
	l.emit(itemWord)
	return lexSpace
}
