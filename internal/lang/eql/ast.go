package eql

// The AST of an EQL condition. Every node knows its byte span in the query,
// so that a part ruledex cannot reduce to field tests becomes a rule.Opaque
// holding exactly the text as written.

type node interface {
	span() (pos, end int)
}

type spanned struct{ pos, end int }

func (s spanned) span() (int, int) { return s.pos, s.end }

// logicNode is "a and b and …" or "a or b or …" (op "and" / "or").
type logicNode struct {
	spanned
	op   string
	args []node
}

// notNode is "not x".
type notNode struct {
	spanned
	arg node
}

// compareNode is "left op right" with op == != < <= > >=.
type compareNode struct {
	spanned
	op          string
	left, right node
}

// matchNode is a lookup or pattern test: "f in (…)", "f not in~ (…)",
// "f : "x"", "f like~ ("a", "b")", "f regex "…"".
type matchNode struct {
	spanned
	op      string // in, in~, :, like, like~, regex, regex~ (as written)
	negated bool   // not in / not in~
	left    node
	list    []node
	paren   bool // the values were written in parentheses
}

// callNode is a function call "name(args)"; name as written, with "~".
type callNode struct {
	spanned
	name string
	args []node
}

// fieldNode is a field reference; the optional "?" is recorded but not
// part of the name.
type fieldNode struct {
	spanned
	name     string
	optional bool
}

// arithNode is "left op right" with op + - * / %.
type arithNode struct {
	spanned
	op          string
	left, right node
}

// unaryNode is "-x" or "+x".
type unaryNode struct {
	spanned
	op  string
	arg node
}

type litKind int

const (
	litString litKind = iota
	litNumber
	litBool
	litNull
)

// literalNode is a constant; val is resolved for strings, as written for
// numbers and booleans.
type literalNode struct {
	spanned
	kind litKind
	val  string
}

// lineageNode is Endgame's "descendant of [ … ]", "child of", "event of".
type lineageNode struct {
	spanned
	relation string
}
