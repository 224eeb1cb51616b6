package esql

// The AST of ES|QL expressions. Every node knows its byte span in the query
// so that stage attributes and Opaque conditions can quote the text as
// written. Commands are not AST nodes: the parser turns each straight into
// a rule.Stage.

type node interface {
	span() (pos, end int)
}

type base struct{ pos, end int }

func (b base) span() (int, int) { return b.pos, b.end }

// identNode is a field name: process.name, `odd-name`.parts, @timestamp.
type identNode struct {
	base
	name string // parts joined with "."
}

type litKind int

const (
	litString  litKind = iota
	litInt             // 42, -1
	litDecimal         // 0.7
	litBool            // true, false
	litNull            // null
	litParam           // ?name
	litSpan            // 7 day, 30 seconds
	litArray           // ["a", "b"]
)

// literalNode is a constant. val is unquoted and unescaped; an array keeps
// its elements in items.
type literalNode struct {
	base
	kind  litKind
	val   string
	items []*literalNode
}

// callNode is a function call: TO_LOWER(process.name), COUNT(*).
type callNode struct {
	base
	name    string // lower case: ES|QL function names are case-insensitive
	args    []node
	star    bool     // COUNT(*)
	options *mapNode // trailing {"fuzziness": 1}
}

// unaryNode is NOT x, -x or +x.
type unaryNode struct {
	base
	op string // "not", "-", "+"
	x  node
}

// binaryNode is a logical (and, or), comparison (== != < <= > >= =~) or
// arithmetic (+ - * / %) operation.
type binaryNode struct {
	base
	op   string
	l, r node
}

// inNode is x [NOT] IN (a, b, …).
type inNode struct {
	base
	x    node
	list []node
	not  bool
}

// isNullNode is x IS [NOT] NULL.
type isNullNode struct {
	base
	x   node
	not bool
}

// likeNode is x [NOT] LIKE "pattern", x [NOT] RLIKE "regex", or either
// with a parenthesised list of patterns.
type likeNode struct {
	base
	x        node
	patterns []*literalNode
	not      bool
	regex    bool
}

// matchNode is the full-text match operator: field : "query".
type matchNode struct {
	base
	field node
	query node
}

// castNode is x::type.
type castNode struct {
	base
	x   node
	typ string
}

// parenNode keeps parentheses so that spans include them.
type parenNode struct {
	base
	x node
}

// mapNode is {"key": value, …}, the options of MATCH or COMPLETION … WITH.
type mapNode struct {
	base
	keys   []string
	values []node
}
