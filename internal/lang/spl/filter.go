package spl

import (
	"strings"

	"ruledex/internal/rule"
)

// filter turns a where expression into the rule tree. Comparisons of a
// field with a literal, and the test functions (like, match, cidrmatch,
// isnull, isnotnull, in, searchmatch) become predicates; everything else
// (arithmetic, other functions) stays Opaque. String comparison in eval is
// case-sensitive, so string predicates are Cased unless lower() or upper()
// folded the field.
func (p *parser) filter(n evalNode) rule.Expr {
	switch n := unparen(n).(type) {
	case *evalBinary:
		switch n.op {
		case "AND":
			return rule.NewAnd(p.filter(n.l), p.filter(n.r))
		case "OR":
			return rule.NewOr(p.filter(n.l), p.filter(n.r))
		case "XOR":
			return p.opaque(n, "xor")
		case "LIKE":
			return p.likeExpr(n, n.l, n.r, "LIKE")
		}
		if cmpOps[n.op] {
			return p.comparison(n)
		}
	case *evalUnary:
		if n.op == "NOT" {
			return rule.NewNot(p.filter(n.x))
		}
	case *evalIn:
		return p.inExpr(n, n.x, n.list, "IN")
	case *evalCall:
		return p.callExpr(n)
	case *evalSubsearch:
		return &rule.Opaque{Text: n.text, Reason: "subsearch"}
	}
	return p.opaque(n, "expression")
}

// operand is what one side of a comparison is: a field (possibly inside
// a function), a literal, or neither.
type operand struct {
	field  string
	fn     string // function applied to the field, "" for none
	folded bool   // lower()/upper() applied
	lit    string
	str    bool // the literal is a string (case matters)
	isLit  bool
	ok     bool
}

// fieldOperand recognises f, 'f', lower(f), upper(f) and fn(f).
func fieldOperand(n evalNode) operand {
	switch n := unparen(n).(type) {
	case *evalField:
		if isBoolWord(n.name) {
			return operand{}
		}
		return operand{field: n.name, ok: true}
	case *evalCall:
		if len(n.args) != 1 {
			return operand{}
		}
		inner := fieldOperand(n.args[0])
		if !inner.ok || inner.fn != "" {
			return operand{}
		}
		switch strings.ToLower(n.name) {
		case "lower", "upper":
			inner.folded = true
			return inner
		case "len", "mvcount", "tonumber", "tostring", "trim", "ltrim", "rtrim", "abs", "urldecode", "mvdedup", "mvsort", "typeof":
			inner.fn = strings.ToLower(n.name)
			return inner
		}
	}
	return operand{}
}

// literalOperand recognises "s", 12, -12 and the words true and false.
func literalOperand(n evalNode) operand {
	switch n := unparen(n).(type) {
	case *evalString:
		if isToken(n.val) {
			return operand{}
		}
		return operand{lit: n.val, str: true, isLit: true, ok: true}
	case *evalNumber:
		return operand{lit: n.val, isLit: true, ok: true}
	case *evalField:
		// Bare true/false are meant as the values, not as fields of that name.
		if isBoolWord(n.name) {
			return operand{lit: n.name, isLit: true, ok: true}
		}
	case *evalUnary:
		if num, ok := unparen(n.x).(*evalNumber); ok && n.op == "-" {
			return operand{lit: "-" + num.val, isLit: true, ok: true}
		}
	}
	return operand{}
}

func isBoolWord(s string) bool { return strings.EqualFold(s, "true") || strings.EqualFold(s, "false") }

var flipOp = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "==": "==", "!=": "!="}

func (p *parser) comparison(n *evalBinary) rule.Expr {
	l, r, op := n.l, n.r, n.op
	if literalOperand(l).ok && fieldOperand(r).ok {
		l, r, op = r, l, flipOp[op]
	}
	f := fieldOperand(l)
	if !f.ok {
		return p.opaque(n, "expression")
	}
	lo, _ := n.span()
	pr := &rule.Predicate{Field: f.field, Op: op, Func: f.fn, Line: p.line(lo)}
	if g := fieldOperand(r); g.ok {
		if g.fn != "" || f.fn != "" || (op != "=" && op != "==" && op != "!=") {
			return p.opaque(n, "field comparison")
		}
		pr.Values = []rule.Value{{Kind: rule.FieldRef, Value: g.field}}
		pr.Negated = op == "!="
		pr.Cased = !f.folded && !g.folded
		return pr
	}
	v := literalOperand(r)
	if !v.ok {
		return p.opaque(n, "expression")
	}
	switch op {
	case "=", "==", "!=":
		pr.Values = []rule.Value{{Kind: rule.Eq, Value: v.lit}}
		pr.Negated = op == "!="
		pr.Cased = v.str && !f.folded
	case "<":
		pr.Values = []rule.Value{{Kind: rule.Lt, Value: v.lit}}
	case "<=":
		pr.Values = []rule.Value{{Kind: rule.Le, Value: v.lit}}
	case ">":
		pr.Values = []rule.Value{{Kind: rule.Gt, Value: v.lit}}
	case ">=":
		pr.Values = []rule.Value{{Kind: rule.Ge, Value: v.lit}}
	}
	return pr
}

// likeExpr handles like(f, "p") and f LIKE "p": % → *, _ → ?, then the
// usual wildcard classification.
func (p *parser) likeExpr(n, field, pat evalNode, op string) rule.Expr {
	f := fieldOperand(field)
	v := literalOperand(pat)
	if !f.ok || !v.ok || !v.str {
		return p.opaque(n, "expression")
	}
	lo, _ := n.span()
	return &rule.Predicate{Field: f.field, Func: f.fn, Op: op, Cased: !f.folded, Line: p.line(lo),
		Values: []rule.Value{likePattern(v.lit).classify()}}
}

// inExpr handles f IN (a, b) and in(f, a, b): one predicate, a value each.
func (p *parser) inExpr(n evalNode, field evalNode, list []evalNode, op string) rule.Expr {
	f := fieldOperand(field)
	if !f.ok {
		return p.opaque(n, "expression")
	}
	lo, _ := n.span()
	pr := &rule.Predicate{Field: f.field, Func: f.fn, Op: op, Line: p.line(lo)}
	for _, x := range list {
		if v := literalOperand(x); v.ok {
			pr.Values = append(pr.Values, rule.Value{Kind: rule.Eq, Value: v.lit})
			pr.Cased = pr.Cased || v.str && !f.folded
			continue
		}
		// A field in the list compares with that field's value.
		if g := fieldOperand(x); g.ok && g.fn == "" {
			pr.Values = append(pr.Values, rule.Value{Kind: rule.FieldRef, Value: g.field})
			continue
		}
		return p.opaque(n, "expression")
	}
	return pr
}

func (p *parser) callExpr(c *evalCall) rule.Expr {
	name := strings.ToLower(c.name)
	lo, _ := c.span()
	arg := func(i int) evalNode {
		if i < len(c.args) {
			return c.args[i]
		}
		return nil
	}
	switch {
	case name == "like" && len(c.args) == 2:
		return p.likeExpr(c, c.args[0], c.args[1], "like")
	case name == "match" && len(c.args) == 2:
		f, v := fieldOperand(arg(0)), literalOperand(arg(1))
		if f.ok && v.ok && v.str {
			return &rule.Predicate{Field: f.field, Func: f.fn, Op: "match", Cased: !f.folded, Line: p.line(lo),
				Values: []rule.Value{{Kind: rule.Regex, Value: v.lit}}}
		}
	case name == "cidrmatch" && len(c.args) == 2:
		v, f := literalOperand(arg(0)), fieldOperand(arg(1))
		if f.ok && v.ok && v.str {
			return &rule.Predicate{Field: f.field, Func: f.fn, Op: "cidrmatch", Line: p.line(lo),
				Values: []rule.Value{{Kind: rule.CIDR, Value: v.lit}}}
		}
	case (name == "isnull" || name == "isnotnull") && len(c.args) == 1:
		if f := fieldOperand(arg(0)); f.ok && f.fn == "" {
			return &rule.Predicate{Field: f.field, Op: name, Negated: name == "isnull", Line: p.line(lo),
				Values: []rule.Value{{Kind: rule.Exists}}}
		}
	case name == "in" && len(c.args) >= 2:
		return p.inExpr(c, c.args[0], c.args[1:], "in")
	case name == "searchmatch" && len(c.args) == 1:
		if v := literalOperand(arg(0)); v.ok && v.str {
			return p.q.searchString(v.lit, lo)
		}
	}
	return p.opaque(c, "function "+name)
}
