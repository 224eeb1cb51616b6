// Package rule is ruledex's model: a detection rule, its stages and the one
// boolean expression tree that every query language parses into. Indicators,
// corpus counts, rendered predicates and the evaluation of rules against
// events are all derived from that tree; nothing downstream re-reads query
// text. The package does no I/O.
package rule

import (
	"encoding/json"
	"fmt"
)

// Kind is how a predicate compares a field with one value.
type Kind string

// The kinds of DESIGN.md, in the order the site lists them.
const (
	Eq         Kind = "eq"          // equal (case rules: see Predicate.Cased)
	Contains   Kind = "contains"    // substring
	StartsWith Kind = "starts_with" // prefix
	EndsWith   Kind = "ends_with"   // suffix
	// Wildcard is a glob: * any run, ? one character. A backslash before
	// *, ? or another backslash makes that character literal; any other
	// backslash is itself (Windows paths need no doubling).
	Wildcard Kind = "wildcard"
	Regex    Kind = "regex"  // regular expression as written (Predicate.Flags holds i/m/s)
	CIDR     Kind = "cidr"   // IPv4 or IPv6 network
	Gt       Kind = "gt"     // numeric (or lexical when not numbers) >
	Ge       Kind = "ge"     // >=
	Lt       Kind = "lt"     // <
	Le       Kind = "le"     // <=
	Exists   Kind = "exists" // the field is present and not null; value ""
	// Keyword is free text anywhere in the event (field ""). Its value is a
	// pattern in the Wildcard notation: * and ? glob, \* \? \\ are literal.
	Keyword  Kind = "keyword"
	FieldRef Kind = "fieldref" // equal to another field, named by the value
)

// Kinds lists every Kind.
var Kinds = []Kind{Eq, Contains, StartsWith, EndsWith, Wildcard, Regex, CIDR, Gt, Ge, Lt, Le, Exists, Keyword, FieldRef}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Expr is a node of the expression tree: *And, *Or, *Not, *Predicate or
// *Opaque. A nil Expr means "no condition" (the stage does not filter).
type Expr interface {
	exprNode()
}

// And is true when every Arg is true.
type And struct {
	Args []Expr
}

// Or is true when any Arg is true.
type Or struct {
	Args []Expr
}

// Not negates Arg.
type Not struct {
	Arg Expr
}

// Value is one value a predicate compares against, with the kind of
// comparison it implies (an SPL IN list mixes *a* contains with b* starts_with).
type Value struct {
	Kind  Kind   `json:"kind"`
	Value string `json:"value"`
}

// Predicate is a leaf: Field compared with Values. With several Values the
// predicate is true when any value matches, or every value when All is set.
// Negated is the leaf's own negation (SPL !=, NOT IN, isnull); negations
// above the leaf are Not nodes.
type Predicate struct {
	Field  string  // as the rule writes it where the test happens; "" for free text
	Op     string  // operator as written ("=", "!=", "IN", "like", "|contains|all", ":" …), for printers
	Values []Value // at least one; Exists has one Value{Exists, ""}
	All    bool    // every value must match (Sigma |all)
	// Negated inverts the leaf. The indicator's negated flag is this XOR the
	// parity of Not nodes above.
	Negated bool
	// Cased makes string comparison case-sensitive (Sigma |cased, SPL where
	// ==, EQL ==). Languages whose default is case-sensitive set it.
	Cased bool
	// Func names a function applied to the field before comparing, as
	// written ("len", "mvcount", "hour"); "" for the field itself. Case
	// folding functions (lower, upper) are not recorded here: they clear Cased.
	Func string
	// Flags are regex flags (i, m, s) that apply to Regex values.
	Flags string
	// Anchored makes Regex values match the whole value, as Lucene-style
	// regexes do (EQL regex, ES|QL RLIKE, Lucene /…/); otherwise a regex
	// matches anywhere in the value (Sigma re, SPL match and regex).
	Anchored bool
	// Modifiers records transformations already applied to Values that a
	// reader may want to see (Sigma "base64offset", "windash", "utf16le").
	Modifiers []string
	// Line is the 1-based line of the predicate in the rule file, 0 if unknown.
	Line int
}

// Opaque is a condition ruledex keeps as text because it does not reduce to
// field predicates (arithmetic, a subsearch result, an unsupported function).
// It yields no indicators, and a rule with one cannot be evaluated exactly.
type Opaque struct {
	Text   string
	Reason string
}

func (*And) exprNode()       {}
func (*Or) exprNode()        {}
func (*Not) exprNode()       {}
func (*Predicate) exprNode() {}
func (*Opaque) exprNode()    {}

// NewAnd builds a conjunction, flattening nested Ands and dropping nils.
// It returns nil for no terms and the term itself for one.
func NewAnd(terms ...Expr) Expr {
	var args []Expr
	for _, t := range terms {
		switch t := t.(type) {
		case nil:
		case *And:
			args = append(args, t.Args...)
		default:
			args = append(args, t)
		}
	}
	switch len(args) {
	case 0:
		return nil
	case 1:
		return args[0]
	}
	return &And{Args: args}
}

// NewOr builds a disjunction, flattening nested Ors and dropping nils.
func NewOr(terms ...Expr) Expr {
	var args []Expr
	for _, t := range terms {
		switch t := t.(type) {
		case nil:
		case *Or:
			args = append(args, t.Args...)
		default:
			args = append(args, t)
		}
	}
	switch len(args) {
	case 0:
		return nil
	case 1:
		return args[0]
	}
	return &Or{Args: args}
}

// NewNot negates e; nil stays nil.
func NewNot(e Expr) Expr {
	if e == nil {
		return nil
	}
	return &Not{Arg: e}
}

// Walk calls fn for e and every node below it, depth first, with the number
// of Not nodes above the node. It stops descending when fn returns false.
func Walk(e Expr, fn func(e Expr, nots int) bool) {
	walk(e, 0, fn)
}

func walk(e Expr, nots int, fn func(Expr, int) bool) {
	if e == nil || !fn(e, nots) {
		return
	}
	switch e := e.(type) {
	case *And:
		for _, a := range e.Args {
			walk(a, nots, fn)
		}
	case *Or:
		for _, a := range e.Args {
			walk(a, nots, fn)
		}
	case *Not:
		walk(e.Arg, nots+1, fn)
	}
}

// Predicates returns the leaves of e in order.
func Predicates(e Expr) []*Predicate {
	var out []*Predicate
	Walk(e, func(n Expr, _ int) bool {
		if p, ok := n.(*Predicate); ok {
			out = append(out, p)
		}
		return true
	})
	return out
}

// HasOpaque reports whether e contains an Opaque node.
func HasOpaque(e Expr) bool {
	found := false
	Walk(e, func(n Expr, _ int) bool {
		if _, ok := n.(*Opaque); ok {
			found = true
		}
		return !found
	})
	return found
}

// exprJSON is the stable JSON shape of a node (see rule.json in DESIGN.md):
//
//	{"op":"and","args":[…]}  {"op":"or","args":[…]}  {"op":"not","arg":…}
//	{"op":"pred","field":"…","operator":"…","values":[{"kind":"eq","value":"…"}],…}
//	{"op":"opaque","text":"…","reason":"…"}
type exprJSON struct {
	Op        string      `json:"op"`
	Args      []*exprJSON `json:"args,omitempty"`
	Arg       *exprJSON   `json:"arg,omitempty"`
	Field     *string     `json:"field,omitempty"`
	Operator  string      `json:"operator,omitempty"`
	Values    []Value     `json:"values,omitempty"`
	All       bool        `json:"all,omitempty"`
	Negated   bool        `json:"negated,omitempty"`
	Cased     bool        `json:"cased,omitempty"`
	Func      string      `json:"func,omitempty"`
	Flags     string      `json:"flags,omitempty"`
	Anchored  bool        `json:"anchored,omitempty"`
	Modifiers []string    `json:"modifiers,omitempty"`
	Line      int         `json:"line,omitempty"`
	Text      string      `json:"text,omitempty"`
	Reason    string      `json:"reason,omitempty"`
}

// ExprJSON wraps an Expr so that it marshals to and from the stable JSON shape.
type ExprJSON struct {
	Expr Expr
}

// MarshalJSON implements json.Marshaler.
func (w ExprJSON) MarshalJSON() ([]byte, error) {
	if w.Expr == nil {
		return []byte("null"), nil
	}
	return json.Marshal(toJSON(w.Expr))
}

// UnmarshalJSON implements json.Unmarshaler.
func (w *ExprJSON) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		w.Expr = nil
		return nil
	}
	var j exprJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	e, err := fromJSON(&j)
	w.Expr = e
	return err
}

// toJSON converts a tree to plain structs, so that encoding/json encodes
// it in one pass (nested Marshalers would each be re-scanned).
func toJSON(e Expr) *exprJSON {
	switch e := e.(type) {
	case nil:
		return nil
	case *And:
		return &exprJSON{Op: "and", Args: toJSONAll(e.Args)}
	case *Or:
		return &exprJSON{Op: "or", Args: toJSONAll(e.Args)}
	case *Not:
		return &exprJSON{Op: "not", Arg: toJSON(e.Arg)}
	case *Predicate:
		f := e.Field
		return &exprJSON{Op: "pred", Field: &f, Operator: e.Op, Values: e.Values, All: e.All,
			Negated: e.Negated, Cased: e.Cased, Func: e.Func, Flags: e.Flags, Anchored: e.Anchored, Modifiers: e.Modifiers, Line: e.Line}
	case *Opaque:
		return &exprJSON{Op: "opaque", Text: e.Text, Reason: e.Reason}
	}
	panic(fmt.Sprintf("rule: unknown Expr %T", e))
}

func toJSONAll(es []Expr) []*exprJSON {
	out := make([]*exprJSON, len(es))
	for i, e := range es {
		out[i] = toJSON(e)
	}
	return out
}

func fromJSON(j *exprJSON) (Expr, error) {
	if j == nil {
		return nil, nil
	}
	all := func(js []*exprJSON) ([]Expr, error) {
		out := make([]Expr, len(js))
		for i, x := range js {
			e, err := fromJSON(x)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	switch j.Op {
	case "and", "or":
		args, err := all(j.Args)
		if err != nil {
			return nil, err
		}
		if j.Op == "and" {
			return &And{Args: args}, nil
		}
		return &Or{Args: args}, nil
	case "not":
		if j.Arg == nil {
			return nil, fmt.Errorf("rule: \"not\" node without arg")
		}
		arg, err := fromJSON(j.Arg)
		return &Not{Arg: arg}, err
	case "pred":
		p := &Predicate{Op: j.Operator, Values: j.Values, All: j.All, Negated: j.Negated,
			Cased: j.Cased, Func: j.Func, Flags: j.Flags, Anchored: j.Anchored, Modifiers: j.Modifiers, Line: j.Line}
		if j.Field != nil {
			p.Field = *j.Field
		}
		return p, nil
	case "opaque":
		return &Opaque{Text: j.Text, Reason: j.Reason}, nil
	}
	return nil, fmt.Errorf("rule: unknown expression op %q", j.Op)
}
