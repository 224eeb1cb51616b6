package esql

import (
	"strconv"
	"strings"

	"ruledex/internal/lang/lucene"
	"ruledex/internal/rule"
)

// Print writes an expression tree as an ES|QL WHERE condition (without the
// WHERE), so that a stage's Expr reads back to the same indicators.
// Opaque nodes print their text.
func Print(e rule.Expr) string {
	var b strings.Builder
	printExpr(&b, e, 0)
	return b.String()
}

// parent: 0 top, 1 inside OR, 2 inside AND, 3 inside NOT.
func printExpr(b *strings.Builder, e rule.Expr, parent int) {
	switch e := e.(type) {
	case nil:
		b.WriteString("true")
	case *rule.And:
		wrap(b, parent > 0, func() {
			for i, a := range e.Args {
				if i > 0 {
					b.WriteString(" AND ")
				}
				printExpr(b, a, 2)
			}
		})
	case *rule.Or:
		wrap(b, parent > 1, func() {
			for i, a := range e.Args {
				if i > 0 {
					b.WriteString(" OR ")
				}
				printExpr(b, a, 1)
			}
		})
	case *rule.Not:
		b.WriteString("NOT ")
		printExpr(b, e.Arg, 3)
	case *rule.Predicate:
		printPred(b, e, parent)
	case *rule.Opaque:
		wrap(b, parent > 0, func() { b.WriteString(e.Text) })
	}
}

func wrap(b *strings.Builder, paren bool, body func()) {
	if paren {
		b.WriteByte('(')
	}
	body()
	if paren {
		b.WriteByte(')')
	}
}

// printPred writes one predicate. Values of different forms (a LIKE and an
// equality) are joined with OR in parentheses.
func printPred(b *strings.Builder, p *rule.Predicate, parent int) {
	if p.Field == "" {
		// A test without a field (free text, a Lucene /regex/) is only
		// expressible as a query string.
		q := *p
		q.Negated = false
		writeNot(b, p.Negated)
		b.WriteString("QSTR(" + quote(lucene.Print(&q)) + ")")
		return
	}
	f := fieldText(p)
	groups := groupValues(p.Values)
	join := " OR "
	if p.All {
		join = " AND "
	}
	if p.All && strings.EqualFold(p.Op, "MV_CONTAINS") {
		writeNot(b, p.Negated)
		b.WriteString("MV_CONTAINS(" + f + ", [")
		for i, v := range p.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(v.Value))
		}
		b.WriteString("])")
		return
	}
	paren := len(groups) > 1 && parent > 0 || p.Negated && len(groups) > 1
	if p.Negated && len(groups) > 1 {
		b.WriteString("NOT ")
	}
	wrap(b, paren, func() {
		for i, g := range groups {
			if i > 0 {
				b.WriteString(join)
			}
			printGroup(b, p, f, g, p.Negated && len(groups) == 1)
		}
	})
}

// fieldText is the field as ES|QL writes it, with the function and the
// case folding the predicate records.
func fieldText(p *rule.Predicate) string {
	f := ident(p.Field)
	if p.Func != "" {
		f = strings.ToUpper(p.Func) + "(" + f + ")"
	}
	if !p.Cased && p.Op != ":" && p.Op != "=~" && !strings.HasPrefix(strings.ToUpper(p.Op), "MATCH") {
		f = "TO_LOWER(" + f + ")"
	}
	return f
}

// ident writes a field name, quoting parts that are not plain identifiers.
func ident(name string) string {
	parts := strings.Split(name, ".")
	for _, s := range parts {
		if s == "" { // "a..b", "a.": one quoted identifier keeps the dots
			return "`" + strings.ReplaceAll(name, "`", "``") + "`"
		}
	}
	for i, s := range parts {
		plain := s != "" && !isKeyword(s)
		for j := 0; j < len(s) && plain; j++ {
			c := s[j]
			plain = isLetter(c) || (j > 0 && isIDBody(c)) || (j == 0 && (c == '_' || c == '@') && len(s) > 1)
		}
		if !plain {
			parts[i] = "`" + strings.ReplaceAll(s, "`", "``") + "`"
		}
	}
	return strings.Join(parts, ".")
}

// groupValues splits values into runs printed by one operator.
func groupValues(vs []rule.Value) [][]rule.Value {
	var out [][]rule.Value
	form := func(v rule.Value) string {
		switch v.Kind {
		case rule.Eq:
			return "eq"
		case rule.Contains, rule.StartsWith, rule.EndsWith, rule.Wildcard:
			return "like"
		case rule.Regex:
			return "rlike"
		case rule.CIDR:
			return "cidr"
		}
		return string(v.Kind) + v.Value // one per group
	}
	for _, v := range vs {
		if n := len(out); n > 0 && form(out[n-1][0]) == form(v) {
			out[n-1] = append(out[n-1], v)
			continue
		}
		out = append(out, []rule.Value{v})
	}
	return out
}

func writeNot(b *strings.Builder, neg bool) {
	if neg {
		b.WriteString("NOT ")
	}
}

func printGroup(b *strings.Builder, p *rule.Predicate, f string, vs []rule.Value, neg bool) {
	v := vs[0]
	switch v.Kind {
	case rule.Eq:
		op := strings.ToUpper(p.Op)
		switch {
		case op == ":" && len(vs) == 1:
			writeNot(b, neg)
			b.WriteString(f + " : " + quote(v.Value))
		case strings.HasPrefix(op, "MATCH") && len(vs) == 1:
			writeNot(b, neg)
			b.WriteString(op + "(" + f + ", " + quote(v.Value) + ")")
		case len(vs) > 1 || op == "IN" || op == "NOT IN":
			b.WriteString(f)
			if neg {
				b.WriteString(" NOT")
			}
			b.WriteString(" IN (")
			for i, v := range vs {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(eqLiteral(v.Value))
			}
			b.WriteString(")")
		default:
			cmp := " == "
			if neg {
				cmp = " != "
			}
			if p.Op == "=~" && !neg {
				cmp = " =~ "
			}
			b.WriteString(f + cmp + eqLiteral(v.Value))
		}
	case rule.Contains, rule.StartsWith, rule.EndsWith, rule.Wildcard:
		if len(vs) == 1 && strings.EqualFold(p.Op, "STARTS_WITH") && v.Kind == rule.StartsWith ||
			len(vs) == 1 && strings.EqualFold(p.Op, "ENDS_WITH") && v.Kind == rule.EndsWith ||
			len(vs) == 1 && strings.EqualFold(p.Op, "CONTAINS") && v.Kind == rule.Contains {
			writeNot(b, neg)
			b.WriteString(strings.ToUpper(p.Op) + "(" + f + ", " + quote(v.Value) + ")")
			return
		}
		likeList(b, f, "LIKE", neg, vs, likePattern)
	case rule.Regex:
		likeList(b, f, "RLIKE", neg, vs, func(v rule.Value) string { return v.Value })
	case rule.CIDR:
		writeNot(b, neg)
		b.WriteString("CIDR_MATCH(" + f)
		for _, v := range vs {
			b.WriteString(", " + quote(v.Value))
		}
		b.WriteString(")")
	case rule.Exists:
		if neg {
			b.WriteString(f + " IS NULL")
		} else {
			b.WriteString(f + " IS NOT NULL")
		}
	case rule.Gt, rule.Ge, rule.Lt, rule.Le:
		writeNot(b, neg)
		op := map[rule.Kind]string{rule.Gt: " > ", rule.Ge: " >= ", rule.Lt: " < ", rule.Le: " <= "}[v.Kind]
		b.WriteString(f + op + literal(v.Value))
	case rule.FieldRef:
		if neg {
			b.WriteString(f + " != " + ident(v.Value))
		} else {
			b.WriteString(f + " == " + ident(v.Value))
		}
	case rule.Keyword:
		// Free text has no ES|QL form of its own: a Lucene query string
		// holds every pattern (KQL has no ? wildcard).
		writeNot(b, neg)
		b.WriteString("QSTR(" + quote(lucene.Print(&rule.Predicate{Values: vs})) + ")")
	default:
		writeNot(b, neg)
		b.WriteString(f + " == " + quote(v.Value))
	}
}

func likeList(b *strings.Builder, f, op string, neg bool, vs []rule.Value, pat func(rule.Value) string) {
	b.WriteString(f)
	if neg {
		b.WriteString(" NOT")
	}
	b.WriteString(" " + op + " ")
	if len(vs) > 1 {
		b.WriteString("(")
	}
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(patternString(pat(v)))
	}
	if len(vs) > 1 {
		b.WriteString(")")
	}
}

// patternString quotes a LIKE/RLIKE pattern, preferring """…""" when the
// pattern has backslashes so that it reads as written.
func patternString(s string) string {
	if strings.Contains(s, `\`) && !strings.Contains(s, `"""`) && !strings.ContainsAny(s, "\r\n") && !strings.HasSuffix(s, `"`) {
		return `"""` + s + `"""`
	}
	return quote(s)
}

// eqLiteral writes an equality value: the tree does not keep whether 4624
// was a number or a string, and detection rules compare keyword fields far
// more often, so only true and false stay bare.
func eqLiteral(s string) string {
	if s == "true" || s == "false" {
		return s
	}
	return quote(s)
}

// literal writes a value: numbers and booleans bare, everything else quoted.
func literal(s string) string {
	if s == "true" || s == "false" {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xXnNiI_+") && !strings.HasPrefix(s, ".") && !strings.HasSuffix(s, ".") {
		if len(s) > 1 && s[0] == '0' && s[1] != '.' {
			return quote(s) // 0123 keeps its zero as a string
		}
		return s
	}
	return quote(s)
}
