// Package lang holds what the query-language parsers share: positioned
// errors and the nesting limit. Each language lives in its own sub-package
// and produces the rule package's expression tree.
package lang

import "fmt"

// MaxDepth is the deepest nesting (parentheses, NOT chains, macro
// expansion) a parser accepts; deeper input is refused with an Error rather
// than risking the stack on untrusted rule files.
const MaxDepth = 1000

// Pos is a position in query text: 1-based line and column (in bytes).
type Pos struct {
	Line, Col int
}

// PosAt returns the position of byte offset off in src.
func PosAt(src string, off int) Pos {
	if off > len(src) {
		off = len(src)
	}
	line, col := 1, 1
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return Pos{line, col}
}

// Error is a parse error at a position of the query text. Msg says what was
// expected and, where it can, how to fix it.
type Error struct {
	Pos
	Msg string
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// Errorf builds an Error at byte offset off of src.
func Errorf(src string, off int, format string, args ...any) *Error {
	return &Error{Pos: PosAt(src, off), Msg: fmt.Sprintf(format, args...)}
}
