package lucene

import (
	"strings"
	"unicode/utf8"
)

// itemType identifies a lexical item of the Lucene query syntax, after the
// token set of Lucene's classic QueryParser.
type itemType int

const (
	itemError      itemType = iota
	itemEOF                 // end of input
	itemAnd                 // AND, &&
	itemOr                  // OR, ||
	itemNot                 // NOT, !
	itemPlus                // + (required)
	itemMinus               // - (prohibited)
	itemLParen              // (
	itemRParen              // )
	itemColon               // :
	itemCaret               // ^ boost, val holds the number
	itemTilde               // ~ fuzziness or slop, val holds the number
	itemStar                // * alone
	itemTerm                // a word; val unescaped, raw as written
	itemQuoted              // "phrase"; val unescaped
	itemRegex               // /regex/; val between the slashes
	itemRangeStart          // [ or {
	itemRangeEnd            // ] or }
	itemRangeTo             // TO inside a range
	itemRangeTerm           // a bound inside a range
)

var itemNames = [...]string{
	itemError: "error", itemEOF: "end of query", itemAnd: "AND", itemOr: "OR", itemNot: "NOT",
	itemPlus: "+", itemMinus: "-", itemLParen: "(", itemRParen: ")", itemColon: ":",
	itemCaret: "^", itemTilde: "~", itemStar: "*", itemTerm: "term", itemQuoted: "phrase",
	itemRegex: "regular expression", itemRangeStart: "range", itemRangeEnd: "end of range",
	itemRangeTo: "TO", itemRangeTerm: "range bound",
}

func (t itemType) String() string {
	if int(t) < len(itemNames) {
		return itemNames[t]
	}
	return "item"
}

// item is one lexical item with its byte span.
type item struct {
	typ      itemType
	pos, end int
	val      string // unescaped text (terms, phrases), regex body, number
	wild     bool   // a term with an unescaped * or ?
}

func (i item) describe(src string) string {
	switch i.typ {
	case itemEOF:
		return "the end of the query"
	case itemError:
		return i.val
	}
	return "\"" + src[i.pos:i.end] + "\""
}

// lexer scans the whole query into items with state functions, like
// text/template's lexer; the range state reads bounds between [ and ].
type lexer struct {
	input string
	start int
	pos   int
	items []item
	wild  bool
}

type stateFn func(*lexer) stateFn

func lex(input string) []item {
	l := &lexer{input: input}
	for state := lexText; state != nil; {
		state = state(l)
	}
	return l.items
}

func (l *lexer) emit(t itemType, val string) {
	l.items = append(l.items, item{typ: t, pos: l.start, end: l.pos, val: val, wild: l.wild})
	l.start, l.wild = l.pos, false
}

func (l *lexer) errorf(msg string) stateFn {
	l.items = append(l.items, item{typ: itemError, pos: l.start, end: l.pos, val: msg})
	return nil
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.input) {
		r, n := utf8.DecodeRuneInString(l.input[l.pos:])
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' && r != '\u3000' && r != '\f' {
			break
		}
		l.pos += n
	}
	l.start = l.pos
}

// special are the characters that cannot start a term (Lucene's
// _TERM_START_CHAR excludes them); inside a term + and - are allowed.
const special = "+-!():^[]\"{}~*?\\/"

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func lexText(l *lexer) stateFn {
	l.skipSpace()
	if l.pos >= len(l.input) {
		l.emit(itemEOF, "")
		return nil
	}
	c := l.input[l.pos]
	one := func(t itemType) stateFn {
		l.pos++
		l.emit(t, l.input[l.start:l.pos])
		return lexText
	}
	switch c {
	case '(':
		return one(itemLParen)
	case ')':
		return one(itemRParen)
	case ':':
		return one(itemColon)
	case '+':
		return one(itemPlus)
	case '-':
		return one(itemMinus)
	case '!':
		return one(itemNot)
	case '"':
		return lexQuoted
	case '/':
		return lexRegex
	case '[', '{':
		l.pos++
		l.emit(itemRangeStart, string(c))
		return lexRange
	case ']', '}':
		l.pos++
		return l.errorf("unexpected " + string(c) + " outside a range; escape it with \\ or write a range as [a TO b]")
	case '^', '~':
		l.pos++
		num := l.number()
		t := itemCaret
		if c == '~' {
			t = itemTilde
		}
		l.emit(t, num)
		return lexText
	case '*':
		if l.pos+1 >= len(l.input) || isSpace(l.input[l.pos+1]) || strings.IndexByte("():^~", l.input[l.pos+1]) >= 0 {
			return one(itemStar)
		}
	}
	return lexTerm
}

// number scans the digits of a boost or fuzziness.
func (l *lexer) number() string {
	from := l.pos
	for l.pos < len(l.input) && (l.input[l.pos] >= '0' && l.input[l.pos] <= '9' || l.input[l.pos] == '.') {
		l.pos++
	}
	return l.input[from:l.pos]
}

// lexTerm scans a term: term characters, \-escapes and the wildcards * ?.
func lexTerm(l *lexer) stateFn {
	var b strings.Builder
	for l.pos < len(l.input) {
		c := l.input[l.pos]
		if c == '\\' {
			if l.pos+1 >= len(l.input) {
				l.pos++
				return l.errorf("the query ends with a lone \\; escape a backslash as \\\\")
			}
			_, n := utf8.DecodeRuneInString(l.input[l.pos+1:])
			b.WriteString(l.input[l.pos+1 : l.pos+1+n])
			l.pos += 1 + n
			continue
		}
		if isSpace(c) || (strings.IndexByte(special, c) >= 0 && c != '+' && c != '-' && c != '*' && c != '?') {
			break
		}
		if c == '*' || c == '?' {
			l.wild = true
		}
		r, n := utf8.DecodeRuneInString(l.input[l.pos:])
		if r == '\u3000' {
			break
		}
		b.WriteString(l.input[l.pos : l.pos+n])
		l.pos += n
	}
	raw := l.input[l.start:l.pos]
	if raw == "" {
		l.pos++
		return l.errorf("unexpected character " + l.input[l.start:l.pos])
	}
	switch raw {
	case "AND", "&&":
		l.emit(itemAnd, raw)
	case "OR", "||":
		l.emit(itemOr, raw)
	case "NOT":
		l.emit(itemNot, raw)
	default:
		l.emit(itemTerm, b.String())
	}
	return lexText
}

// lexQuoted scans "phrase"; \ escapes any character.
func lexQuoted(l *lexer) stateFn {
	l.pos++
	var b strings.Builder
	for l.pos < len(l.input) {
		c := l.input[l.pos]
		switch c {
		case '\\':
			if l.pos+1 < len(l.input) {
				b.WriteByte(l.input[l.pos+1])
				l.pos += 2
				continue
			}
		case '"':
			l.pos++
			l.emit(itemQuoted, b.String())
			return lexText
		}
		b.WriteByte(c)
		l.pos++
	}
	return l.errorf("phrase is never closed; add \"")
}

// lexRegex scans /regex/; \/ stands for a slash and other escapes stay
// as written, for the regex engine.
func lexRegex(l *lexer) stateFn {
	l.pos++
	var b strings.Builder
	for l.pos < len(l.input) {
		c := l.input[l.pos]
		switch c {
		case '\\':
			if l.pos+1 < len(l.input) {
				if l.input[l.pos+1] != '/' {
					b.WriteByte('\\')
				}
				b.WriteByte(l.input[l.pos+1])
				l.pos += 2
				continue
			}
		case '/':
			l.pos++
			l.emit(itemRegex, b.String())
			return lexText
		}
		b.WriteByte(c)
		l.pos++
	}
	return l.errorf("regular expression is never closed; add / (or escape a literal slash as \\/)")
}

// lexRange scans the inside of [a TO b] or {a TO b}.
func lexRange(l *lexer) stateFn {
	for {
		l.skipSpace()
		if l.pos >= len(l.input) {
			return l.errorf("range is never closed; add ] or }")
		}
		switch c := l.input[l.pos]; c {
		case ']', '}':
			l.pos++
			l.emit(itemRangeEnd, string(c))
			return lexText
		case '"':
			if st := lexQuoted(l); st == nil {
				return nil
			}
			l.items[len(l.items)-1].typ = itemRangeTerm
			continue
		}
		from := l.pos
		for l.pos < len(l.input) && !isSpace(l.input[l.pos]) && l.input[l.pos] != ']' && l.input[l.pos] != '}' {
			l.pos++
		}
		word := l.input[from:l.pos]
		if word == "TO" {
			l.emit(itemRangeTo, word)
		} else {
			l.emit(itemRangeTerm, word)
		}
	}
}
