package esql

import "strings"

// itemType identifies a lexical item. Keywords are not item types: ES|QL
// keywords are case-insensitive words, and whether a word is a keyword
// depends on the command, so the parser checks them with isWord.
type itemType int

const (
	itemError       itemType = iota // the lexer's error; val is the message
	itemEOF                         // end of the query
	itemPipe                        // |
	itemWord                        // unquoted identifier or keyword: process, name, by, and
	itemQuotedIdent                 // `backquoted identifier`; val is unescaped
	itemSource                      // index pattern or policy name (FROM, JOIN, ENRICH)
	itemPattern                     // field-name pattern with * (KEEP, DROP, RENAME)
	itemString                      // "…" or """…"""; val is unescaped
	itemInt                         // 42
	itemDecimal                     // 4.2, .5, 1e3
	itemParam                       // ?, ?name, ?1, ??name
	itemLParen                      // (
	itemRParen                      // )
	itemLBracket                    // [
	itemRBracket                    // ]
	itemLBrace                      // {
	itemRBrace                      // }
	itemComma                       // ,
	itemDot                         // .
	itemAssign                      // =
	itemColon                       // :
	itemCast                        // ::
	itemSemicolon                   // ;
	itemCompare                     // == != < <= > >= =~
	itemArith                       // + - * / %
)

var itemNames = [...]string{
	itemError: "error", itemEOF: "end of query", itemPipe: "|", itemWord: "word",
	itemQuotedIdent: "quoted identifier", itemSource: "index name", itemPattern: "field pattern",
	itemString: "string", itemInt: "integer", itemDecimal: "number", itemParam: "parameter",
	itemLParen: "(", itemRParen: ")", itemLBracket: "[", itemRBracket: "]", itemLBrace: "{",
	itemRBrace: "}", itemComma: ",", itemDot: ".", itemAssign: "=", itemColon: ":", itemCast: "::",
	itemSemicolon: ";", itemCompare: "comparison", itemArith: "operator",
}

func (t itemType) String() string {
	if int(t) < len(itemNames) {
		return itemNames[t]
	}
	return "item"
}

// item is one lexical item: its type, its byte span in the query and its
// value (unescaped for strings and quoted identifiers, as written otherwise).
type item struct {
	typ      itemType
	pos, end int
	val      string
}

// describe names the item for error messages.
func (i item) describe() string {
	switch i.typ {
	case itemEOF:
		return "the end of the query"
	case itemString:
		return "string " + quote(i.val)
	case itemError:
		return i.val
	}
	return quoteBack(i.val)
}

// isWord reports whether the item is the unquoted word w (case-insensitive).
func (i item) isWord(w string) bool {
	return i.typ == itemWord && strings.EqualFold(i.val, w)
}

// keywords are the words an expression cannot use as unquoted field names.
var keywords = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "is": true, "null": true,
	"like": true, "rlike": true, "by": true, "asc": true, "desc": true, "nulls": true,
	"true": true, "false": true, "where": true,
}

func isKeyword(s string) bool {
	if len(s) > 5 {
		return false
	}
	return keywords[strings.ToLower(s)]
}

func quoteBack(s string) string { return "`" + s + "`" }
