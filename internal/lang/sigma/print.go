package sigma

import (
	"strings"

	"ruledex/internal/rule"
)

// Print renders an expression tree the way a Sigma author would read it:
// each predicate as `Field|modifiers: 'value'` (a list in brackets), joined
// with and / or / not and parentheses where precedence needs them. Values
// are written back in Sigma's notation: the wildcards a kind implies are
// added unless the modifier already says so, and literal *, ? and the
// backslashes before them are escaped.
func Print(e rule.Expr) string {
	var b strings.Builder
	printExpr(&b, e, 0)
	return b.String()
}

// Precedence levels for parenthesizing: or < and < not.
const (
	precOr = iota + 1
	precAnd
	precNot
)

func printExpr(b *strings.Builder, e rule.Expr, outer int) {
	switch n := e.(type) {
	case nil:
	case *rule.And:
		printJoined(b, n.Args, " and ", precAnd, outer)
	case *rule.Or:
		printJoined(b, n.Args, " or ", precOr, outer)
	case *rule.Not:
		b.WriteString("not ")
		printExpr(b, n.Arg, precNot)
	case *rule.Predicate:
		printPredicate(b, n)
	case *rule.Opaque:
		b.WriteString(n.Text)
	}
}

func printJoined(b *strings.Builder, args []rule.Expr, sep string, prec, outer int) {
	paren := outer > prec
	if paren {
		b.WriteByte('(')
	}
	// Every group inside another is parenthesized, an and inside an or
	// too: precedence makes those optional, but not for the reader.
	for i, a := range args {
		if i > 0 {
			b.WriteString(sep)
		}
		printExpr(b, a, precNot)
	}
	if paren {
		b.WriteByte(')')
	}
}

func printPredicate(b *strings.Builder, p *rule.Predicate) {
	mods := modSet(p.Op)
	if len(p.Values) == 1 && p.Values[0].Kind == rule.Exists {
		b.WriteString(p.Field)
		b.WriteString(p.Op)
		switch {
		case mods["exists"]:
			if p.Negated != mods["neq"] {
				b.WriteString(": false")
			} else {
				b.WriteString(": true")
			}
		case p.Negated:
			b.WriteString(": null")
		default:
			b.WriteString(": not null")
		}
		return
	}
	if p.Negated && !mods["neq"] {
		b.WriteString("not ")
	}
	if p.Field != "" || p.Op != "" {
		b.WriteString(p.Field)
		b.WriteString(p.Op)
		b.WriteString(": ")
	}
	if len(p.Values) == 1 {
		b.WriteString(printValue(p.Values[0], mods))
		return
	}
	b.WriteByte('[')
	for i, v := range p.Values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(printValue(v, mods))
	}
	b.WriteByte(']')
}

// modSet is the set of modifiers in an Op such as "|contains|all".
func modSet(op string) map[string]bool {
	if op == "" {
		return nil
	}
	m := map[string]bool{}
	for _, s := range strings.Split(strings.TrimPrefix(op, "|"), "|") {
		m[s] = true
	}
	return m
}

// printValue writes one value in Sigma notation.
func printValue(v rule.Value, mods map[string]bool) string {
	switch v.Kind {
	case rule.Gt, rule.Ge, rule.Lt, rule.Le:
		return v.Value
	case rule.Regex, rule.CIDR, rule.FieldRef, rule.Keyword:
		return quote(v.Value)
	case rule.Eq:
		return quote(escapeLiteral(v.Value))
	case rule.Contains:
		if mods["contains"] {
			return quote(escapeLiteral(v.Value))
		}
		return quote(pattern{{wild: '*'}, {lit: v.Value}, {wild: '*'}}.compact().escaped())
	case rule.StartsWith:
		if mods["startswith"] {
			return quote(escapeLiteral(v.Value))
		}
		return quote(pattern{{lit: v.Value}, {wild: '*'}}.compact().escaped())
	case rule.EndsWith:
		if mods["endswith"] {
			return quote(escapeLiteral(v.Value))
		}
		return quote(pattern{{wild: '*'}, {lit: v.Value}}.compact().escaped())
	case rule.Wildcard:
		s := v.Value
		if (mods["contains"] || mods["endswith"]) && strings.HasPrefix(s, "*") {
			s = s[1:]
		}
		if (mods["contains"] || mods["startswith"]) && endsWithWildcard(s) {
			s = s[:len(s)-1]
		}
		return quote(s)
	}
	return quote(v.Value)
}

// endsWithWildcard reports whether s ends with an unescaped *.
func endsWithWildcard(s string) bool {
	if !strings.HasSuffix(s, "*") {
		return false
	}
	n := 0
	for i := len(s) - 2; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n%2 == 0
}

// quote writes a YAML single-quoted string.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
