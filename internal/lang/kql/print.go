package kql

import (
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

// Print writes e as KQL. Trees that Parse built print to a query that parses
// back to the same tree (nested queries come out flattened, with full field
// names); a nil Expr prints as the empty query. Kinds KQL cannot express (regex, fieldref, a "?" wildcard) are
// printed as the closest KQL, and an Opaque node as its text.
func Print(e rule.Expr) string {
	var b strings.Builder
	printExpr(&b, e, precOr)
	return b.String()
}

func printExpr(b *strings.Builder, e rule.Expr, ctx int) {
	switch e := e.(type) {
	case nil: // the empty query
	case *rule.Or:
		// And terms inside an or are parenthesised for the reader, though
		// and binds tighter anyway.
		printJoined(b, e.Args, " or ", precOr, ctx)
	case *rule.And:
		printJoined(b, e.Args, " and ", precAnd, ctx)
	case *rule.Not:
		open(b, precNot, ctx)
		b.WriteString("not ")
		printExpr(b, e.Arg, precNot)
		closeParen(b, precNot, ctx)
	case *rule.Predicate:
		printPredicate(b, e, ctx)
	case *rule.Opaque:
		b.WriteString(e.Text)
	}
}

func printJoined(b *strings.Builder, args []rule.Expr, sep string, prec, ctx int) {
	open(b, prec, ctx)
	inner := prec + 1
	if prec == precOr {
		inner = precNot
	}
	for i, a := range args {
		if i > 0 {
			b.WriteString(sep)
		}
		printExpr(b, a, inner)
	}
	closeParen(b, prec, ctx)
}

func open(b *strings.Builder, prec, ctx int) {
	if prec < ctx {
		b.WriteByte('(')
	}
}

func closeParen(b *strings.Builder, prec, ctx int) {
	if prec < ctx {
		b.WriteByte(')')
	}
}

func printPredicate(b *strings.Builder, p *rule.Predicate, ctx int) {
	if p.Negated {
		open(b, precNot, ctx)
		b.WriteString("not ")
	}
	switch {
	case p.Field == "":
		printValueList(b, p, printKeyword)
	case len(p.Values) == 1 && isRange(p.Values[0].Kind):
		b.WriteString(fieldText(p.Field))
		b.WriteString(" " + rangeOp(p.Values[0].Kind) + " ")
		b.WriteString(plainOrQuoted(p.Values[0].Value))
	default:
		b.WriteString(fieldText(p.Field))
		b.WriteByte(':')
		printValueList(b, p, printValue)
	}
	if p.Negated {
		closeParen(b, precNot, ctx)
	}
}

func printValueList(b *strings.Builder, p *rule.Predicate, one func(*strings.Builder, rule.Value)) {
	if len(p.Values) == 1 {
		one(b, p.Values[0])
		return
	}
	sep := " or "
	if p.All {
		sep = " and "
	}
	b.WriteByte('(')
	for i, v := range p.Values {
		if i > 0 {
			b.WriteString(sep)
		}
		one(b, v)
	}
	b.WriteByte(')')
}

func isRange(k rule.Kind) bool {
	return k == rule.Gt || k == rule.Ge || k == rule.Lt || k == rule.Le
}

func rangeOp(k rule.Kind) string {
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

func printValue(b *strings.Builder, v rule.Value) {
	switch v.Kind {
	case rule.Exists:
		b.WriteByte('*')
	case rule.Contains:
		b.WriteByte('*')
		writeUnquoted(b, v.Value)
		b.WriteByte('*')
	case rule.StartsWith:
		writeUnquoted(b, v.Value)
		b.WriteByte('*')
	case rule.EndsWith:
		b.WriteByte('*')
		writeUnquoted(b, v.Value)
	case rule.Wildcard:
		writePattern(b, v.Value)
	case rule.Gt, rule.Ge, rule.Lt, rule.Le:
		// Only reachable for mixed lists; KQL has no range inside ":".
		b.WriteString(plainOrQuoted(v.Value))
	default: // eq, cidr, and the kinds KQL lacks (regex, fieldref)
		b.WriteString(plainOrQuoted(v.Value))
	}
}

// printKeyword writes free text: quoted when it has no wildcard.
func printKeyword(b *strings.Builder, v rule.Value) {
	if v.Kind != rule.Keyword {
		printValue(b, v)
		return
	}
	parts, _ := parsePattern(v.Value)
	if len(parts) == 1 {
		writeQuoted(b, parts[0])
		return
	}
	// Free text matches anywhere: the stars around it change nothing (the
	// parser drops them), and they keep edge spaces in the value.
	b.WriteByte('*')
	writePattern(b, v.Value)
	b.WriteByte('*')
}

// writePattern writes a wildcard-notation pattern as an unquoted KQL value.
func writePattern(b *strings.Builder, pat string) {
	parts, _ := parsePattern(pat)
	for i, part := range parts {
		if i > 0 {
			b.WriteByte('*')
		}
		writeUnquoted(b, part)
	}
}

// plainOrQuoted writes simple words (numbers, names, dotted values)
// unquoted for readability and anything else quoted.
func plainOrQuoted(s string) string {
	if plainWord(s) {
		return s
	}
	var b strings.Builder
	writeQuoted(&b, s)
	return b.String()
}

func plainWord(s string) bool {
	if s == "" || isKeyword(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-@$+,=%#&!~?';[]|^`", c) >= 0) {
			return false
		}
	}
	return !isCIDR(s)
}

func isKeyword(s string) bool {
	return strings.EqualFold(s, "and") || strings.EqualFold(s, "or") || strings.EqualFold(s, "not")
}

func fieldText(f string) string {
	for i := 0; i < len(f); i++ {
		c := f[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-@*", c) >= 0) {
			var b strings.Builder
			writeQuoted(&b, f)
			return b.String()
		}
	}
	if f == "" || isKeyword(f) {
		var b strings.Builder
		writeQuoted(&b, f)
		return b.String()
	}
	return f
}

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// writeUnquoted escapes a literal for an unquoted value: special
// characters, escaped whitespace, and words that would read as keywords.
func writeUnquoted(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '(', ')', ':', '<', '>', '"', '*', '{', '}':
			b.WriteByte('\\')
			b.WriteByte(c)
			continue
		case '\t':
			b.WriteString(`\t`)
			continue
		case '\r':
			b.WriteString(`\r`)
			continue
		case '\n':
			b.WriteString(`\n`)
			continue
		}
		if w := keywordAt(s, i); w > 0 {
			if s[i] == 'n' { // "\n" would be a newline: spell the n as \u006e
				b.WriteString(`\u006e`)
				b.WriteString(s[i+1 : i+w])
			} else {
				b.WriteByte('\\')
				b.WriteString(s[i : i+w])
			}
			i += w - 1
			continue
		}
		b.WriteByte(c)
	}
}

// keywordAt returns the length of a standalone and/or/not word at i, 0 if
// there is none.
func keywordAt(s string, i int) int {
	if i > 0 && isWordByte(s[i-1]) {
		return 0
	}
	for _, kw := range [...]string{"and", "not", "or"} {
		if hasFold(s[i:], kw) && (i+len(kw) == len(s) || !isWordByte(s[i+len(kw)])) {
			return len(kw)
		}
	}
	return 0
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}
