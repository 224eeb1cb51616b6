package lucene

import (
	"strings"

	"ruledex/internal/rule"
)

// Print writes an expression tree in Lucene query syntax, so that what
// Parse produced reads back to the same tree's indicators. Opaque nodes
// print their text.
func Print(e rule.Expr) string {
	var b strings.Builder
	printExpr(&b, e, 0)
	return b.String()
}

// Lucene has no operator precedence (AND and OR only mark clauses
// required or optional), so every nested group is wrapped: parent is 0 at
// the top, 1 inside OR, 2 inside AND, 3 inside NOT. A NOT inside an OR is
// wrapped too: "a OR NOT b" would make b prohibited for the whole group;
// and a NOT inside a NOT, as a clause takes one modifier.
func printExpr(b *strings.Builder, e rule.Expr, parent int) {
	switch e := e.(type) {
	case nil:
	case *rule.And:
		wrap(b, parent == 1 || parent == 3, func() {
			for i, a := range e.Args {
				if i > 0 {
					b.WriteString(" AND ")
				}
				printExpr(b, a, 2)
			}
		})
	case *rule.Or:
		wrap(b, parent == 2 || parent == 3, func() {
			for i, a := range e.Args {
				if i > 0 {
					b.WriteString(" OR ")
				}
				printExpr(b, a, 1)
			}
		})
	case *rule.Not:
		wrap(b, parent == 1 || parent == 3, func() {
			b.WriteString("NOT ")
			printExpr(b, e.Arg, 3)
		})
	case *rule.Predicate:
		wrap(b, (parent == 1 || parent == 3) && e.Negated, func() { printPred(b, e) })
	case *rule.Opaque:
		b.WriteString(e.Text)
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

func printPred(b *strings.Builder, p *rule.Predicate) {
	if p.Negated {
		b.WriteString("NOT ")
	}
	if p.All && len(p.Values) > 0 && isRange(p.Values) {
		printRange(b, p)
		return
	}
	if len(p.Values) > 1 {
		sep := " OR "
		if p.All {
			sep = " AND "
		}
		field(b, p.Field)
		b.WriteByte('(')
		for i, v := range p.Values {
			if i > 0 {
				b.WriteString(sep)
			}
			value(b, v)
		}
		b.WriteByte(')')
		return
	}
	if len(p.Values) == 1 && p.Values[0].Kind == rule.Exists {
		b.WriteString("_exists_:" + escapeTerm(p.Field))
		return
	}
	field(b, p.Field)
	if len(p.Values) == 1 {
		value(b, p.Values[0])
	}
}

func field(b *strings.Builder, f string) {
	if f != "" {
		b.WriteString(escapeTerm(f))
		b.WriteByte(':')
	}
}

func isRange(vs []rule.Value) bool {
	for _, v := range vs {
		switch v.Kind {
		case rule.Gt, rule.Ge, rule.Lt, rule.Le:
		default:
			return false
		}
	}
	return true
}

func printRange(b *strings.Builder, p *rule.Predicate) {
	lo, hi, open, close := "*", "*", "[", "]"
	for _, v := range p.Values {
		switch v.Kind {
		case rule.Gt:
			lo, open = rangeBound(v.Value), "{"
		case rule.Ge:
			lo = rangeBound(v.Value)
		case rule.Lt:
			hi, close = rangeBound(v.Value), "}"
		case rule.Le:
			hi = rangeBound(v.Value)
		}
	}
	field(b, p.Field)
	b.WriteString(open + lo + " TO " + hi + close)
}

func rangeBound(s string) string {
	if s == "" || strings.ContainsAny(s, " ]}\"\t\n\r\f\u3000\\") || s == "*" || s == "TO" {
		return phrase(s)
	}
	return s
}

func value(b *strings.Builder, v rule.Value) {
	switch v.Kind {
	case rule.Keyword:
		if v.Value == "" {
			b.WriteString(`""`)
		} else {
			b.WriteString(escapeWildcard(v.Value))
		}
	case rule.Eq:
		if v.Value == "" || strings.ContainsAny(v.Value, " \t\n") {
			b.WriteString(phrase(v.Value))
		} else {
			b.WriteString(escapeTerm(v.Value))
		}
	case rule.Contains:
		b.WriteString("*" + escapeTerm(v.Value) + "*")
	case rule.StartsWith:
		b.WriteString(escapeTerm(v.Value) + "*")
	case rule.EndsWith:
		b.WriteString("*" + escapeTerm(v.Value))
	case rule.Wildcard:
		b.WriteString(escapeWildcard(v.Value))
	case rule.Regex:
		b.WriteString("/" + strings.ReplaceAll(v.Value, "/", `\/`) + "/")
	case rule.Exists:
		b.WriteString("*")
	case rule.Gt:
		b.WriteString(">" + escapeTerm(v.Value))
	case rule.Ge:
		b.WriteString(">=" + escapeTerm(v.Value))
	case rule.Lt:
		b.WriteString("<" + escapeTerm(v.Value))
	case rule.Le:
		b.WriteString("<=" + escapeTerm(v.Value))
	default: // cidr, fieldref: no Lucene form; a phrase keeps the text
		b.WriteString(phrase(v.Value))
	}
}

// escapeTerm escapes Lucene's special characters, white space and the
// operator words.
func escapeTerm(s string) string {
	switch s {
	case "AND", "OR", "NOT", "&&", "||":
		return `\` + s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(special, c) >= 0 || c == '&' || c == '|' || c == '<' || c == '>' || c == '=' || isSpace(c) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return escapeIdeographicSpace(b.String())
}

// escapeWildcard writes a rule.Wildcard notation pattern as a Lucene term.
func escapeWildcard(s string) string {
	switch s {
	case "AND", "OR", "NOT", "&&", "||":
		return `\` + s
	}
	return escapeIdeographicSpace(WildcardNotation(s).Syntax(func(c byte) bool {
		return strings.IndexByte(special, c) >= 0 || c == '&' || c == '|' || c == '<' || c == '>' || c == '=' || isSpace(c)
	}))
}

// escapeIdeographicSpace escapes U+3000, which Lucene treats as white
// space: a byte-wise escape cannot see it.
func escapeIdeographicSpace(s string) string {
	if !strings.Contains(s, "\u3000") {
		return s
	}
	return strings.ReplaceAll(s, "\u3000", "\\\u3000")
}

func phrase(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
