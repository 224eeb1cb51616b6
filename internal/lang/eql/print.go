package eql

import (
	"fmt"
	"strings"

	"ruledex/internal/rule"
)

// Precedence levels of the printer: a child of lower precedence than its
// context is parenthesised.
const (
	precOr = iota + 1
	precAnd
	precNot
	precAtom
)

// Print writes e as an EQL condition (what follows "where"). Trees that
// Parse built print to a condition that parses back to the same tree;
// Opaque nodes print as their text. Predicates from other languages print
// as the closest EQL test (eq as == or :, patterns with :, regex with regex).
// A nil Expr prints as "true".
func Print(e rule.Expr) string {
	var b strings.Builder
	printExpr(&b, e, precOr)
	return b.String()
}

func printExpr(b *strings.Builder, e rule.Expr, ctx int) {
	switch e := e.(type) {
	case nil:
		b.WriteString("true")
	case *rule.Or:
		printJoined(b, e.Args, " or ", precOr, ctx)
	case *rule.And:
		printJoined(b, e.Args, " and ", precAnd, ctx)
	case *rule.Not:
		wrap(b, precNot, ctx, func() {
			b.WriteString("not ")
			printExpr(b, e.Arg, precNot)
		})
	case *rule.Predicate:
		printPredicate(b, e, ctx)
	case *rule.Opaque:
		b.WriteString(e.Text)
	}
}

func printJoined(b *strings.Builder, args []rule.Expr, sep string, prec, ctx int) {
	inner := prec + 1
	if prec == precOr { // and inside or: parentheses for the reader
		inner = precNot
	}
	wrap(b, prec, ctx, func() {
		for i, a := range args {
			if i > 0 {
				b.WriteString(sep)
			}
			printExpr(b, a, inner)
		}
	})
}

func wrap(b *strings.Builder, prec, ctx int, body func()) {
	if prec < ctx {
		b.WriteByte('(')
	}
	body()
	if prec < ctx {
		b.WriteByte(')')
	}
}

func printPredicate(b *strings.Builder, p *rule.Predicate, ctx int) {
	field := fieldText(p.Field)
	if p.Func != "" {
		field = p.Func + "(" + field + ")"
	}
	if len(p.Values) == 0 {
		b.WriteString(field + " != null")
		return
	}
	switch name := strings.ToLower(strings.TrimSuffix(p.Op, "~")); name {
	case "startswith", "endswith", "stringcontains", "cidrmatch", "wildcard":
		wrap(b, precNot, ctx, func() {
			if p.Negated {
				b.WriteString("not ")
			}
			b.WriteString(p.Op + "(" + field)
			for _, v := range p.Values {
				b.WriteString(", ")
				if name == "wildcard" {
					writeString(b, patternOf(v))
				} else {
					writeString(b, v.Value)
				}
			}
			b.WriteByte(')')
		})
		return
	}
	v := p.Values[0]
	single := len(p.Values) == 1
	switch {
	case single && v.Kind == rule.Exists:
		if p.Negated {
			b.WriteString(field + " == null")
		} else {
			b.WriteString(field + " != null")
		}
	case single && v.Kind == rule.FieldRef && !strings.Contains(p.Op, "in"):
		op := " == "
		if p.Negated {
			op = " != "
		}
		b.WriteString(field + op + fieldText(v.Value))
	case single && isOrder(v.Kind):
		wrap(b, precNot, ctx, func() {
			if p.Negated {
				b.WriteString("not ")
			}
			b.WriteString(field + " " + orderOp(v.Kind) + " ")
			writeScalar(b, v.Value)
		})
	case single && v.Kind == rule.Eq && (p.Op == "==" || p.Op == "!=" || p.Op == "=" || p.Op == "" && p.Cased):
		op := " == "
		if p.Negated {
			op = " != "
		}
		b.WriteString(field + op)
		writeScalar(b, v.Value)
	default:
		printList(b, p, field, ctx)
	}
}

// printList writes in / : / like / regex with one or more values.
func printList(b *strings.Builder, p *rule.Predicate, field string, ctx int) {
	op := strings.TrimPrefix(p.Op, "not ")
	switch op {
	case "in", "in~", ":", "like", "like~", "regex", "regex~":
	default:
		op = closestOp(p)
	}
	base := strings.TrimSuffix(op, "~")
	negIn := p.Negated && base == "in"
	wrap(b, precNot, ctx, func() {
		if p.Negated && !negIn {
			b.WriteString("not ")
		}
		b.WriteString(field)
		if negIn {
			b.WriteString(" not")
		}
		b.WriteString(" " + op + " ")
		paren := len(p.Values) > 1 || base == "in"
		if paren {
			b.WriteByte('(')
		}
		for i, v := range p.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			switch {
			case v.Kind == rule.FieldRef:
				b.WriteString(fieldText(v.Value))
			case base == "in":
				writeScalar(b, v.Value)
			case v.Kind == rule.Regex:
				writeString(b, v.Value)
			default:
				writeString(b, patternOf(v))
			}
		}
		if paren {
			b.WriteByte(')')
		}
	})
}

// closestOp picks the EQL operator for a predicate from another language.
func closestOp(p *rule.Predicate) string {
	for _, v := range p.Values {
		if v.Kind == rule.Regex {
			if p.Cased && !strings.Contains(p.Flags, "i") {
				return "regex"
			}
			return "regex~"
		}
	}
	if p.Cased {
		return "like"
	}
	return ":"
}

// patternOf is a value as an EQL wildcard pattern.
func patternOf(v rule.Value) string {
	switch v.Kind {
	case rule.Contains:
		return "*" + v.Value + "*"
	case rule.StartsWith:
		return v.Value + "*"
	case rule.EndsWith:
		return "*" + v.Value
	case rule.Wildcard, rule.Keyword:
		return eqlPattern(v.Value)
	case rule.Exists:
		return "*"
	}
	return v.Value
}

func isOrder(k rule.Kind) bool { return k == rule.Gt || k == rule.Ge || k == rule.Lt || k == rule.Le }

func orderOp(k rule.Kind) string {
	switch k {
	case rule.Gt:
		return ">"
	case rule.Ge:
		return ">="
	case rule.Lt:
		return "<"
	}
	return "<="
}

// writeScalar writes numbers and booleans bare and anything else quoted.
func writeScalar(b *strings.Builder, s string) {
	if s == "true" || s == "false" || isNumber(s) {
		b.WriteString(s)
		return
	}
	writeString(b, s)
}

func isNumber(s string) bool {
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// writeString writes an EQL double-quoted string. It works on bytes so
// that invalid UTF-8 in a value survives the round trip.
func writeString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(b, `\u{%02x}`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

// fieldText writes a field name, backquoted when it is not a plain dotted
// identifier.
func fieldText(f string) string {
	if plainField(f) {
		return f
	}
	return "`" + strings.ReplaceAll(f, "`", "``") + "`"
}

func plainField(f string) bool {
	if f == "" || reserved[f] || f == "true" || f == "false" || f == "null" || f == "any" {
		return false
	}
	segStart := true
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '.':
			if segStart {
				return false
			}
			segStart = true
			continue
		case segStart && i == 0 && !isIdentStart(c):
			return false
		case !isIdentByte(c):
			return false
		}
		segStart = false
	}
	return !segStart
}
