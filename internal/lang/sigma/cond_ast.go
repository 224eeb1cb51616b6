package sigma

import "strings"

// Cond is a node of a parsed condition. Span is the node's byte range in
// the condition text, so that a stage can show a term as written.
type Cond interface {
	Span() (start, end int)
}

// Ident is a search identifier named by the condition.
type Ident struct {
	Name       string
	Start, End int
}

// OfExpr is "1 of pattern", "all of pattern", "1 of them", "all of them".
type OfExpr struct {
	All     bool   // all of (AND); otherwise 1 of (OR)
	Them    bool   // every identifier not starting with "_"
	Pattern string // identifier pattern with * wildcards; "" with Them
	Start   int
	End     int
}

// NotExpr is "not X".
type NotExpr struct {
	X     Cond
	Start int
}

// AndExpr is "A and B and …" (two or more terms, in order).
type AndExpr struct {
	Terms []Cond
}

// OrExpr is "A or B or …" (two or more terms, in order).
type OrExpr struct {
	Terms []Cond
}

// ParenExpr is "( X )"; kept so that a term shows as written.
type ParenExpr struct {
	X          Cond
	Start, End int
}

// PipeExpr is the deprecated "search | aggregation" form of Sigma 1.
type PipeExpr struct {
	Search Cond
	Agg    Cond // *AggExpr or *NearExpr
	Pipe   int  // offset of the |
}

// AggExpr is a deprecated aggregation: func(field) [by group] op value.
type AggExpr struct {
	Func    string // count, min, max, avg, sum
	Field   string // "" for count()
	GroupBy string
	Op      string // > >= < <= = ==
	Value   string
	Start   int
	End     int
}

// NearExpr is the deprecated "near X" temporal aggregation.
type NearExpr struct {
	X     Cond
	Start int
}

func (n *Ident) Span() (int, int)     { return n.Start, n.End }
func (n *OfExpr) Span() (int, int)    { return n.Start, n.End }
func (n *ParenExpr) Span() (int, int) { return n.Start, n.End }
func (n *AggExpr) Span() (int, int)   { return n.Start, n.End }

func (n *NotExpr) Span() (int, int) {
	_, e := n.X.Span()
	return n.Start, e
}

func (n *NearExpr) Span() (int, int) {
	_, e := n.X.Span()
	return n.Start, e
}

func (n *AndExpr) Span() (int, int) { return spanOf(n.Terms) }
func (n *OrExpr) Span() (int, int)  { return spanOf(n.Terms) }

func (n *PipeExpr) Span() (int, int) {
	s, _ := n.Search.Span()
	_, e := n.Agg.Span()
	return s, e
}

func spanOf(terms []Cond) (int, int) {
	s, _ := terms[0].Span()
	_, e := terms[len(terms)-1].Span()
	return s, e
}

// FormatCond renders a condition in canonical form (single spaces,
// parentheses as written), for tests and messages.
func FormatCond(c Cond) string {
	var b strings.Builder
	formatCond(&b, c)
	return b.String()
}

func formatCond(b *strings.Builder, c Cond) {
	switch n := c.(type) {
	case *Ident:
		b.WriteString(n.Name)
	case *OfExpr:
		if n.All {
			b.WriteString("all of ")
		} else {
			b.WriteString("1 of ")
		}
		if n.Them {
			b.WriteString("them")
		} else {
			b.WriteString(n.Pattern)
		}
	case *NotExpr:
		b.WriteString("not ")
		formatCond(b, n.X)
	case *AndExpr:
		joinCond(b, n.Terms, " and ")
	case *OrExpr:
		joinCond(b, n.Terms, " or ")
	case *ParenExpr:
		b.WriteByte('(')
		formatCond(b, n.X)
		b.WriteByte(')')
	case *PipeExpr:
		formatCond(b, n.Search)
		b.WriteString(" | ")
		formatCond(b, n.Agg)
	case *AggExpr:
		b.WriteString(n.Func + "(" + n.Field + ")")
		if n.GroupBy != "" {
			b.WriteString(" by " + n.GroupBy)
		}
		b.WriteString(" " + n.Op + " " + n.Value)
	case *NearExpr:
		b.WriteString("near ")
		formatCond(b, n.X)
	}
}

func joinCond(b *strings.Builder, terms []Cond, sep string) {
	for i, t := range terms {
		if i > 0 {
			b.WriteString(sep)
		}
		formatCond(b, t)
	}
}
