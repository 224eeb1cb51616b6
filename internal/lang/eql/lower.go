package eql

import (
	"strings"

	"ruledex/internal/rule"
)

// Lowering turns the AST of a condition into ruledex's expression tree:
// field tests become Predicates, anything else (arithmetic, comparisons of
// computed values, unknown functions) an Opaque with the text as written.

// lowerCondition lowers a stage's condition; "where true" does not filter.
func (p *parser) lowerCondition(n node) rule.Expr {
	if lit, ok := unparen(n).(*literalNode); ok && lit.kind == litBool && lit.val == "true" {
		return nil
	}
	return p.lower(n)
}

func (p *parser) lower(n node) rule.Expr {
	switch n := n.(type) {
	case *parenNode:
		return p.lower(n.inner)
	case *logicNode:
		args := make([]rule.Expr, len(n.args))
		for i, a := range n.args {
			args[i] = p.lower(a)
		}
		if n.op == "and" {
			return rule.NewAnd(args...)
		}
		return rule.NewOr(args...)
	case *notNode:
		return rule.NewNot(p.lower(n.arg))
	case *compareNode:
		return p.lowerCompare(n)
	case *matchNode:
		return p.lowerMatch(n)
	case *callNode:
		return p.lowerCall(n)
	case *fieldNode:
		return p.opaque(n, "a field used as a condition")
	case *literalNode:
		return p.opaque(n, "a constant condition")
	case *lineageNode:
		return p.opaque(n, "process lineage ("+n.relation+" of) is Endgame EQL, which Elasticsearch does not run")
	}
	return p.opaque(n, "arithmetic")
}

func (p *parser) opaque(n node, reason string) *rule.Opaque {
	pos, end := n.span()
	return &rule.Opaque{Text: p.src[pos:end], Reason: reason}
}

// fieldOf returns the field a node tests: a field, or a one-argument
// function of a field ("length(f)", "string(f)"), named in fn.
func fieldOf(n node) (field, fn string, ok bool) {
	switch n := unparen(n).(type) {
	case *fieldNode:
		return n.name, "", true
	case *callNode:
		if len(n.args) == 1 {
			if f, ok := unparen(n.args[0]).(*fieldNode); ok {
				return f.name, n.name, true
			}
		}
	}
	return "", "", false
}

func constOf(n node) (*literalNode, bool) {
	lit, ok := unparen(n).(*literalNode)
	return lit, ok
}

// flipped is the comparison with its sides swapped: 3 < f is f > 3.
var flipped = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func (p *parser) lowerCompare(n *compareNode) rule.Expr {
	op := n.op
	field, fn, okf := fieldOf(n.left)
	lit, okc := constOf(n.right)
	if !okf || !okc {
		if f2, fn2, ok := fieldOf(n.right); ok {
			if l2, ok := constOf(n.left); ok {
				field, fn, lit, op = f2, fn2, l2, flipped[op]
				okf, okc = true, true
			}
		}
	}
	pos, _ := n.span()
	pred := &rule.Predicate{Field: field, Func: fn, Op: op, Line: p.line(pos)}
	switch {
	case okf && okc && lit.kind == litNull:
		switch op {
		case "==": // f == null: the field is absent
			pred.Values, pred.Negated = []rule.Value{{Kind: rule.Exists}}, true
		case "!=":
			pred.Values = []rule.Value{{Kind: rule.Exists}}
		default:
			return p.opaque(n, "an ordering comparison with null")
		}
		return pred
	case okf && okc:
		pred.Cased = true // ==, != and string ordering are case-sensitive in EQL
		switch op {
		case "==":
			pred.Values = []rule.Value{{Kind: rule.Eq, Value: lit.val}}
		case "!=":
			pred.Values, pred.Negated = []rule.Value{{Kind: rule.Eq, Value: lit.val}}, true
		default:
			pred.Values = []rule.Value{{Kind: orderKind[op], Value: lit.val}}
		}
		return pred
	}
	lf, okl := unparen(n.left).(*fieldNode)
	rf, okr := unparen(n.right).(*fieldNode)
	if okl && okr && (op == "==" || op == "!=") {
		pred.Field, pred.Func, pred.Cased = lf.name, "", true
		pred.Values, pred.Negated = []rule.Value{{Kind: rule.FieldRef, Value: rf.name}}, op == "!="
		return pred
	}
	return p.opaque(n, "a comparison of computed values")
}

var orderKind = map[string]rule.Kind{"<": rule.Lt, "<=": rule.Le, ">": rule.Gt, ">=": rule.Ge}

// lowerMatch lowers in / : / like / regex: one Predicate with one value per
// list element.
func (p *parser) lowerMatch(n *matchNode) rule.Expr {
	field, fn, ok := fieldOf(n.left)
	if !ok {
		return p.opaque(n, "a lookup on a computed value")
	}
	pos, _ := n.span()
	base := strings.TrimSuffix(n.op, "~")
	insensitive := n.op == ":" || strings.HasSuffix(n.op, "~")
	pred := &rule.Predicate{Field: field, Func: fn, Op: n.op, Cased: !insensitive, Line: p.line(pos)}
	if n.negated {
		pred.Op, pred.Negated = "not "+n.op, true
	}
	if base == "regex" {
		// Elasticsearch regexes match the whole value.
		pred.Anchored = true
		if insensitive {
			pred.Flags = "i"
		}
	}
	pred.Values = make([]rule.Value, 0, len(n.list))
	for _, el := range n.list {
		if base == "in" {
			if f, ok := unparen(el).(*fieldNode); ok {
				pred.Values = append(pred.Values, rule.Value{Kind: rule.FieldRef, Value: f.name})
				continue
			}
		}
		lit, ok := constOf(el)
		if !ok || lit.kind == litNull {
			return p.opaque(n, "a lookup list with computed values or null")
		}
		var v rule.Value
		switch {
		case base == "regex":
			v = rule.Value{Kind: rule.Regex, Value: lit.val}
		case lit.kind != litString || base == "in":
			v = rule.Value{Kind: rule.Eq, Value: lit.val}
		default: // : like like~
			v = classify(lit.val)
		}
		pred.Values = append(pred.Values, v)
	}
	return pred
}

// lowerCall lowers the string and network test functions to Predicates.
// Function names are matched case-insensitively (rules write both
// cidrMatch and cidrmatch); "~" makes the test case-insensitive.
func (p *parser) lowerCall(n *callNode) rule.Expr {
	name := strings.ToLower(strings.TrimSuffix(n.name, "~"))
	var kind rule.Kind
	cased := !strings.HasSuffix(n.name, "~")
	switch name {
	case "startswith":
		kind = rule.StartsWith
	case "endswith":
		kind = rule.EndsWith
	case "stringcontains":
		kind = rule.Contains
	case "cidrmatch":
		kind, cased = rule.CIDR, false
	case "wildcard": // Endgame EQL: case-insensitive wildcard patterns
		kind, cased = rule.Wildcard, false
	default:
		return p.opaque(n, "the function "+n.name+" is not a field test")
	}
	if len(n.args) < 2 {
		return p.opaque(n, n.name+" needs a field and at least one value")
	}
	field, fn, ok := fieldOf(n.args[0])
	if !ok {
		return p.opaque(n, n.name+" of a computed value")
	}
	pos, _ := n.span()
	pred := &rule.Predicate{Field: field, Func: fn, Op: n.name, Cased: cased, Line: p.line(pos)}
	for _, a := range n.args[1:] {
		lit, ok := constOf(a)
		if !ok || lit.kind != litString {
			return p.opaque(n, n.name+" with a computed value")
		}
		if kind == rule.Wildcard {
			pred.Values = append(pred.Values, classify(lit.val))
		} else {
			pred.Values = append(pred.Values, rule.Value{Kind: kind, Value: lit.val})
		}
	}
	return pred
}
