package esql

import (
	"strings"

	"ruledex/internal/lang/kql"
	"ruledex/internal/lang/lucene"
	"ruledex/internal/rule"
)

// convert turns a WHERE condition into the shared expression tree. What
// does not reduce to a test of one field against constants (arithmetic,
// most functions, comparisons with computed values) becomes rule.Opaque
// with the text as written.
func (p *parser) convert(n node) rule.Expr {
	switch n := n.(type) {
	case *parenNode:
		return p.convert(n.x)
	case *binaryNode:
		switch n.op {
		case "and":
			return rule.NewAnd(p.convert(n.l), p.convert(n.r))
		case "or":
			return rule.NewOr(p.convert(n.l), p.convert(n.r))
		case "==", "!=", "=~", "<", "<=", ">", ">=":
			return p.comparison(n)
		}
	case *unaryNode:
		if n.op == "not" {
			return rule.NewNot(p.convert(n.x))
		}
	case *inNode:
		return p.in(n)
	case *isNullNode:
		if f, ok := fieldOf(n.x); ok {
			return p.pred(n, f, "IS NULL", !n.not, rule.Value{Kind: rule.Exists})
		}
	case *likeNode:
		return p.like(n)
	case *matchNode:
		if f, ok := fieldOf(n.field); ok && f.fn == "" {
			if v, ok := literalOf(n.query); ok && v.kind != litNull {
				pr := p.pred(n, f, ":", false, rule.Value{Kind: rule.Eq, Value: v.val})
				pr.Cased = false // full-text match
				return pr
			}
		}
	case *callNode:
		return p.boolCall(n)
	case *identNode, *castNode:
		// A boolean field on its own: WHERE Esql.is_admin.
		if f, ok := fieldOf(n); ok {
			return p.pred(n, f, "==", false, rule.Value{Kind: rule.Eq, Value: "true"})
		}
	}
	return p.opaque(n, "not a test of a field against constants")
}

func (p *parser) opaque(n node, reason string) *rule.Opaque {
	return &rule.Opaque{Text: p.text(n), Reason: reason}
}

// field is the field side of a test: the field, a function applied to it
// (length, mv_count …) and whether TO_LOWER/TO_UPPER folded its case.
type field struct {
	name   string
	fn     string
	folded bool
}

// conversions change a value's type but not what it says: a test of
// TO_STRING(f) is a test of f.
var conversions = map[string]bool{
	"to_string": true, "to_str": true, "to_double": true, "to_dbl": true,
	"to_integer": true, "to_int": true, "to_long": true, "to_unsigned_long": true,
	"to_ul": true, "to_ulong": true, "to_ip": true, "to_version": true, "to_ver": true,
	"to_boolean": true, "to_bool": true, "to_datetime": true, "to_dt": true,
	"to_date_nanos": true, "to_keyword": true,
}

// fieldFuncs are functions of one field whose result rule.Predicate.Func
// records (length(user.id) <= 4).
var fieldFuncs = map[string]bool{
	"length": true, "bit_length": true, "byte_length": true, "mv_count": true,
	"mv_first": true, "mv_last": true, "mv_min": true, "mv_max": true, "abs": true,
}

// fieldOf reports whether n names a field, possibly through conversions,
// case folding and one function of fieldFuncs.
func fieldOf(n node) (field, bool) {
	for depth := 0; depth < 8; depth++ {
		switch x := n.(type) {
		case *identNode:
			return field{name: x.name}, true
		case *parenNode:
			n = x.x
			continue
		case *castNode:
			n = x.x
			continue
		case *callNode:
			if len(x.args) != 1 || x.options != nil {
				return field{}, false
			}
			switch {
			case x.name == "to_lower" || x.name == "to_upper":
				f, ok := fieldOf(x.args[0])
				f.folded = true
				return f, ok && f.fn == ""
			case conversions[x.name]:
				n = x.args[0]
				continue
			case fieldFuncs[x.name]:
				f, ok := fieldOf(x.args[0])
				if !ok || f.fn != "" {
					return field{}, false
				}
				f.fn = x.name
				return f, true
			}
		}
		return field{}, false
	}
	return field{}, false
}

// literalOf reports whether n is a constant (through casts and parentheses).
func literalOf(n node) (*literalNode, bool) {
	for {
		switch x := n.(type) {
		case *literalNode:
			switch x.kind {
			case litString, litInt, litDecimal, litBool, litNull:
				return x, true
			}
			return nil, false
		case *castNode:
			n = x.x
		case *parenNode:
			n = x.x
		default:
			return nil, false
		}
	}
}

// pred builds a predicate on f at n's line. ES|QL string comparison is
// case-sensitive unless the field went through TO_LOWER/TO_UPPER.
func (p *parser) pred(n node, f field, op string, negated bool, vals ...rule.Value) *rule.Predicate {
	pos, _ := n.span()
	return &rule.Predicate{Field: f.name, Func: f.fn, Op: op, Values: vals, Negated: negated,
		Cased: !f.folded, Line: p.lines.line(pos)}
}

var flipped = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=", "=~": "=~"}

var orderKinds = map[string]rule.Kind{"<": rule.Lt, "<=": rule.Le, ">": rule.Gt, ">=": rule.Ge}

func (p *parser) comparison(n *binaryNode) rule.Expr {
	op := n.op
	f, fok := fieldOf(n.l)
	lit, lok := literalOf(n.r)
	if !fok || !lok {
		// constant op field: turn it around.
		if f2, ok := fieldOf(n.r); ok {
			if lit2, ok := literalOf(n.l); ok {
				f, lit, fok, lok, op = f2, lit2, true, true, flipped[op]
			}
		}
	}
	if fok && lok {
		if lit.kind == litNull {
			return p.opaque(n, "a comparison with null is never true in ES|QL; use IS NULL or IS NOT NULL")
		}
		switch op {
		case "==", "!=":
			return p.pred(n, f, op, op == "!=", rule.Value{Kind: rule.Eq, Value: lit.val})
		case "=~":
			pr := p.pred(n, f, op, false, rule.Value{Kind: rule.Eq, Value: lit.val})
			pr.Cased = false
			return pr
		default:
			return p.pred(n, f, op, false, rule.Value{Kind: orderKinds[op], Value: lit.val})
		}
	}
	// field op field: equality of two fields is a fieldref.
	if g, ok := fieldOf(n.r); fok && ok && g.fn == "" && (op == "==" || op == "!=") {
		pr := p.pred(n, f, op, op == "!=", rule.Value{Kind: rule.FieldRef, Value: g.name})
		pr.Cased = !f.folded && !g.folded
		return pr
	}
	return p.opaque(n, "compares computed values, not a field with a constant")
}

func (p *parser) in(n *inNode) rule.Expr {
	if lit, ok := literalOf(n.x); ok && lit.kind == litBool {
		// true IN (cond, cond …): any of the conditions holds.
		terms := make([]rule.Expr, 0, len(n.list))
		for _, el := range n.list {
			c := p.convert(el)
			if lit.val == "false" {
				c = rule.NewNot(c)
			}
			terms = append(terms, c)
		}
		if n.not {
			return rule.NewNot(rule.NewOr(terms...))
		}
		return rule.NewOr(terms...)
	}
	f, ok := fieldOf(n.x)
	if !ok {
		return p.opaque(n, "IN applies to a computed value, not a field")
	}
	vals := make([]rule.Value, 0, len(n.list))
	for _, el := range n.list {
		if lit, ok := literalOf(el); ok && lit.kind != litNull {
			vals = append(vals, rule.Value{Kind: rule.Eq, Value: lit.val})
		} else if g, ok := fieldOf(el); ok && g.fn == "" && !g.folded {
			vals = append(vals, rule.Value{Kind: rule.FieldRef, Value: g.name})
		} else {
			return p.opaque(n, "the IN list holds computed values")
		}
	}
	op := "IN"
	if n.not {
		op = "NOT IN"
	}
	return p.pred(n, f, op, n.not, vals...)
}

func (p *parser) like(n *likeNode) rule.Expr {
	f, ok := fieldOf(n.x)
	if !ok {
		return p.opaque(n, "LIKE applies to a computed value, not a field")
	}
	vals := make([]rule.Value, 0, len(n.patterns))
	for _, pat := range n.patterns {
		if pat.kind != litString {
			return p.opaque(n, "the pattern is a query parameter")
		}
		if n.regex {
			vals = append(vals, rule.Value{Kind: rule.Regex, Value: pat.val})
		} else {
			vals = append(vals, likeValue(pat.val))
		}
	}
	op := "LIKE"
	if n.regex {
		op = "RLIKE"
	}
	if n.not {
		op = "NOT " + op
	}
	pr := p.pred(n, f, op, n.not, vals...)
	pr.Anchored = n.regex // RLIKE matches the whole value
	return pr
}

// boolCall converts the functions that test a field: STARTS_WITH,
// ENDS_WITH, CONTAINS, CIDR_MATCH, MV_CONTAINS, MATCH, and the embedded
// query languages KQL("…") and QSTR("…").
func (p *parser) boolCall(n *callNode) rule.Expr {
	switch n.name {
	case "kql", "qstr":
		if len(n.args) != 1 {
			break
		}
		lit, ok := literalOf(n.args[0])
		if !ok || lit.kind != litString {
			break
		}
		return p.embedded(n, lit.val)
	case "starts_with", "ends_with", "contains", "match", "match_phrase", "mv_contains":
		if len(n.args) != 2 {
			break
		}
		f, ok := fieldOf(n.args[0])
		if !ok {
			break
		}
		kind := map[string]rule.Kind{"starts_with": rule.StartsWith, "ends_with": rule.EndsWith, "contains": rule.Contains}[n.name]
		if kind == "" {
			kind = rule.Eq
		}
		op := strings.ToUpper(n.name)
		if arr, ok := n.args[1].(*literalNode); ok && arr.kind == litArray && n.name == "mv_contains" {
			vals := make([]rule.Value, 0, len(arr.items))
			for _, it := range arr.items {
				vals = append(vals, rule.Value{Kind: rule.Eq, Value: it.val})
			}
			pr := p.pred(n, f, op, false, vals...)
			pr.All = true
			return pr
		}
		lit, ok := literalOf(n.args[1])
		if !ok || lit.kind == litNull {
			break
		}
		pr := p.pred(n, f, op, false, rule.Value{Kind: kind, Value: lit.val})
		if n.name == "match" || n.name == "match_phrase" {
			pr.Cased = false // full-text match on the analyzed field
			if n.options != nil {
				for i, k := range n.options.keys {
					pr.Modifiers = append(pr.Modifiers, k+"="+p.text(n.options.values[i]))
				}
			}
		}
		return pr
	case "cidr_match":
		if len(n.args) < 2 {
			break
		}
		f, ok := fieldOf(n.args[0])
		if !ok || f.fn != "" {
			break
		}
		vals := make([]rule.Value, 0, len(n.args)-1)
		for _, a := range n.args[1:] {
			lit, ok := literalOf(a)
			if !ok || lit.kind != litString {
				return p.opaque(n, "CIDR_MATCH with a computed network")
			}
			vals = append(vals, rule.Value{Kind: rule.CIDR, Value: lit.val})
		}
		return p.pred(n, f, "CIDR_MATCH", false, vals...)
	}
	return p.opaque(n, strings.ToUpper(n.name)+"(…) does not reduce to a test of a field against constants")
}

// embedded parses KQL("…") with the KQL parser and QSTR("…") with the
// Lucene parser; their predicates take the line of the call.
func (p *parser) embedded(n *callNode, src string) rule.Expr {
	var e rule.Expr
	var err error
	switch n.name {
	case "kql":
		e, err = kql.Parse(src)
	case "qstr":
		e, err = lucene.Parse(src)
	}
	if err != nil {
		return p.opaque(n, "the embedded "+strings.ToUpper(n.name)+" query does not parse: "+err.Error())
	}
	pos, _ := n.span()
	line := p.lines.line(pos)
	fn := strings.ToUpper(n.name)
	rule.Walk(e, func(x rule.Expr, _ int) bool {
		switch x := x.(type) {
		case *rule.Predicate:
			x.Line = line
		case *rule.Opaque:
			// Keep the piece in ES|QL syntax: it prints inside a WHERE.
			x.Text = fn + "(" + quote(x.Text) + ")"
		}
		return true
	})
	return e
}
