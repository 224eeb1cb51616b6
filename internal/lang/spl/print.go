package spl

import (
	"slices"
	"strconv"
	"strings"

	"ruledex/internal/rule"
)

// Print renders an expression as readable SPL: in search-term syntax when
// every leaf can be written so (a search or tstats filter), in eval syntax
// (where) otherwise.
func Print(e rule.Expr) string {
	if needsEval(e) {
		return PrintWhere(e)
	}
	return PrintSearch(e)
}

// needsEval reports whether some leaf of e has no search-term form.
func needsEval(e rule.Expr) bool {
	found := false
	rule.Walk(e, func(n rule.Expr, _ int) bool {
		switch n := n.(type) {
		case *rule.Predicate:
			found = found || !searchable(n)
		case *rule.Opaque:
			found = found || (n.Reason != "subsearch" && n.Reason != "token")
		}
		return !found
	})
	return found
}

// searchable reports whether a predicate has a search-term form.
func searchable(p *rule.Predicate) bool {
	if p.Func != "" || p.All || (p.Cased && p.Op != "CASE") {
		return false
	}
	switch p.Op {
	case "like", "LIKE", "match", "cidrmatch", "isnull", "isnotnull", "in", "==":
		return false
	}
	for _, v := range p.Values {
		switch v.Kind {
		case rule.CIDR:
			if p.Op == "cidrmatch" {
				return false
			}
		case rule.Regex, rule.FieldRef:
			return false
		case rule.Wildcard:
			for _, e := range wildcardPattern(v.Value) {
				if e.wild == '?' || strings.IndexByte(e.lit, '*') >= 0 {
					return false
				}
			}
		case rule.Eq, rule.Contains, rule.StartsWith, rule.EndsWith, rule.Keyword:
			if strings.IndexByte(v.Value, '*') >= 0 && v.Kind != rule.Keyword {
				return false
			}
		}
	}
	return len(p.Values) > 0
}

// PrintSearch renders e in search-term syntax (search, tstats where).
// OR groups inside an AND are parenthesised for the reader, though SPL's
// search binds OR tighter anyway.
func PrintSearch(e rule.Expr) string {
	var b strings.Builder
	printSearch(&b, e, false)
	return b.String()
}

func printSearch(b *strings.Builder, e rule.Expr, group bool) {
	switch e := e.(type) {
	case nil:
	case *rule.And:
		if group {
			b.WriteByte('(')
		}
		for i, a := range e.Args {
			if i > 0 {
				b.WriteByte(' ')
			}
			printSearch(b, a, true)
		}
		if group {
			b.WriteByte(')')
		}
	case *rule.Or:
		if group {
			b.WriteByte('(')
		}
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(" OR ")
			}
			printSearch(b, a, true)
		}
		if group {
			b.WriteByte(')')
		}
	case *rule.Not:
		b.WriteString("NOT ")
		printSearch(b, e.Arg, true)
	case *rule.Opaque:
		b.WriteString(e.Text)
	case *rule.Predicate:
		printSearchPredicate(b, e)
	}
}

func printSearchPredicate(b *strings.Builder, p *rule.Predicate) {
	if p.Field == "" && len(p.Values) == 1 && p.Values[0].Kind == rule.Keyword {
		v := wildcardPattern(p.Values[0].Value).text()
		if p.Op == "TERM" || p.Op == "CASE" {
			b.WriteString(p.Op + "(" + v + ")")
			return
		}
		b.WriteString(searchWord(v))
		return
	}
	field := searchField(p.Field)
	if len(p.Values) != 1 || p.Op == "IN" {
		b.WriteString(field + " IN (")
		for i, v := range p.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(searchWord(searchValue(v)))
		}
		b.WriteByte(')')
		return
	}
	v := p.Values[0]
	op := "="
	switch v.Kind {
	case rule.Gt:
		op = ">"
	case rule.Ge:
		op = ">="
	case rule.Lt:
		op = "<"
	case rule.Le:
		op = "<="
	}
	if p.Negated {
		if op != "=" {
			b.WriteString("NOT ")
		} else {
			op = "!="
		}
	}
	val := searchWord(searchValue(v))
	if p.Cased && op[len(op)-1] == '=' && val == searchValue(v) && !strings.ContainsAny(val, "()") {
		val = "CASE(" + val + ")" // field=CASE(x)
	}
	b.WriteString(field + op + val)
}

// searchValue writes a value back as a search pattern.
func searchValue(v rule.Value) string {
	switch v.Kind {
	case rule.Contains:
		return "*" + v.Value + "*"
	case rule.StartsWith:
		return v.Value + "*"
	case rule.EndsWith:
		return "*" + v.Value
	case rule.Exists:
		return "*"
	case rule.CIDR:
		return v.Value
	case rule.Wildcard:
		var b strings.Builder
		for _, e := range wildcardPattern(v.Value) {
			if e.wild != 0 {
				b.WriteByte(e.wild)
			} else {
				b.WriteString(e.lit)
			}
		}
		return b.String()
	}
	return v.Value
}

// searchWord quotes a search term when it would not read back as one word
// (or would read as an operator, or as the search command when it comes
// first).
func searchWord(v string) string {
	if v == "" || v == "AND" || v == "OR" || v == "NOT" || strings.EqualFold(v, "search") ||
		strings.ContainsAny(v, " \t\r\n\f\v()\"=<>!,|[]\\`'") {
		return quote(v)
	}
	return v
}

// searchField writes a field name, quoted when it holds special characters.
func searchField(f string) string {
	if f == "" || strings.ContainsAny(f, " \t\r\n\f\v()\"=<>!,|[]\\`") {
		return quote(f)
	}
	return f
}

// PrintWhere renders e in eval syntax (where). A leaf with no eval form
// (a search-style wildcard or keyword) is written as searchmatch("…").
func PrintWhere(e rule.Expr) string {
	var b strings.Builder
	printWhere(&b, e, 0)
	return b.String()
}

// Eval precedence levels for parenthesising: OR < AND < NOT.
const (
	precOr = iota + 1
	precAnd
	precNot
)

func printWhere(b *strings.Builder, e rule.Expr, outer int) {
	switch e := e.(type) {
	case nil:
	case *rule.And:
		printWhereList(b, e.Args, " AND ", precAnd, outer)
	case *rule.Or:
		printWhereList(b, e.Args, " OR ", precOr, outer)
	case *rule.Not:
		b.WriteString("NOT ")
		printWhere(b, e.Arg, precNot)
	case *rule.Opaque:
		// Only XOR binds looser than AND, OR and NOT.
		if outer > 0 && e.Reason == "xor" {
			b.WriteString("(" + e.Text + ")")
		} else {
			b.WriteString(e.Text)
		}
	case *rule.Predicate:
		printWherePredicate(b, e)
	}
}

// printWhereList parenthesises any group inside another, even where
// precedence would not need it: search and where order AND and OR
// differently, and readers of SPL know it.
func printWhereList(b *strings.Builder, args []rule.Expr, sep string, prec, outer int) {
	paren := outer != 0
	if paren {
		b.WriteByte('(')
	}
	for i, a := range args {
		if i > 0 {
			b.WriteString(sep)
		}
		printWhere(b, a, prec)
	}
	if paren {
		b.WriteByte(')')
	}
}

func printWherePredicate(b *strings.Builder, p *rule.Predicate) {
	f := evalName(p.Field)
	if p.Func != "" {
		f = p.Func + "(" + f + ")"
	}
	lit := func(v string) string {
		if p.Cased || !isNumberOrBool(v) {
			return quote(v)
		}
		return v
	}
	// Case folding: an uncased string comparison was written on lower(f).
	folded := func() string {
		for _, v := range p.Values {
			if (v.Kind == rule.Eq || v.Kind == rule.FieldRef) && !p.Cased && !isNumberOrBool(v.Value) {
				return "lower(" + f + ")"
			}
		}
		return f
	}
	switch p.Op {
	case "isnull":
		b.WriteString("isnull(" + f + ")")
		return
	case "isnotnull":
		b.WriteString("isnotnull(" + f + ")")
		return
	case "match":
		if len(p.Values) == 1 {
			b.WriteString("match(" + foldIf(f, p.Cased) + ", " + quote(p.Values[0].Value) + ")")
			return
		}
	case "cidrmatch":
		if len(p.Values) == 1 {
			b.WriteString("cidrmatch(" + quote(p.Values[0].Value) + ", " + f + ")")
			return
		}
	case "like", "LIKE":
		if len(p.Values) == 1 {
			pat, ok := likeText(p.Values[0])
			if ok {
				if p.Op == "like" {
					b.WriteString("like(" + foldIf(f, p.Cased) + ", " + quote(pat) + ")")
				} else {
					b.WriteString(foldIf(f, p.Cased) + " LIKE " + quote(pat))
				}
				return
			}
		}
	case "in", "IN":
		if allKind(p.Values, rule.Eq, rule.FieldRef) {
			vals := make([]string, len(p.Values))
			for i, v := range p.Values {
				if v.Kind == rule.FieldRef {
					vals[i] = evalName(v.Value)
				} else {
					vals[i] = lit(v.Value)
				}
			}
			if p.Op == "in" {
				b.WriteString("in(" + folded() + ", " + strings.Join(vals, ", ") + ")")
			} else {
				b.WriteString(folded() + " IN (" + strings.Join(vals, ", ") + ")")
			}
			return
		}
	}
	if len(p.Values) == 1 && p.Field != "" {
		v := p.Values[0]
		switch v.Kind {
		case rule.FieldRef, rule.Eq:
			op := p.Op
			if op != "==" {
				op = "="
			}
			if p.Negated {
				op = "!="
			}
			rhs := lit(v.Value)
			lhs := folded()
			if v.Kind == rule.FieldRef {
				rhs = evalName(v.Value)
				if !p.Cased {
					lhs, rhs = "lower("+f+")", "lower("+rhs+")"
				}
			}
			b.WriteString(lhs + op + rhs)
			return
		case rule.Gt, rule.Ge, rule.Lt, rule.Le:
			ops := map[rule.Kind]string{rule.Gt: ">", rule.Ge: ">=", rule.Lt: "<", rule.Le: "<="}
			if p.Negated {
				b.WriteString("NOT ")
			}
			b.WriteString(f + ops[v.Kind] + lit(v.Value))
			return
		case rule.Regex:
			if p.Negated {
				b.WriteString("NOT ")
			}
			b.WriteString("match(" + f + ", " + quote(v.Value) + ")")
			return
		}
	}
	// No eval form: fall back to the search syntax inside searchmatch().
	var s strings.Builder
	printSearchPredicate(&s, p)
	b.WriteString("searchmatch(" + quote(s.String()) + ")")
}

func foldIf(f string, cased bool) string {
	if cased {
		return f
	}
	return "lower(" + f + ")"
}

// allKind reports whether every value is of one of kinds.
func allKind(vs []rule.Value, kinds ...rule.Kind) bool {
	for _, v := range vs {
		if !slices.Contains(kinds, v.Kind) {
			return false
		}
	}
	return len(vs) > 0
}

// likeText writes a value back as a like() pattern, if it has one.
func likeText(v rule.Value) (string, bool) {
	if strings.ContainsAny(v.Value, "%_") && v.Kind != rule.Wildcard {
		return "", false
	}
	switch v.Kind {
	case rule.Eq:
		return v.Value, true
	case rule.Contains:
		return "%" + v.Value + "%", true
	case rule.StartsWith:
		return v.Value + "%", true
	case rule.EndsWith:
		return "%" + v.Value, true
	case rule.Exists:
		return "%", true
	case rule.Wildcard:
		var b strings.Builder
		for _, e := range wildcardPattern(v.Value) {
			switch {
			case e.wild == '*':
				b.WriteByte('%')
			case e.wild == '?':
				b.WriteByte('_')
			case strings.ContainsAny(e.lit, "%_"):
				return "", false
			default:
				b.WriteString(e.lit)
			}
		}
		return b.String(), true
	}
	return "", false
}

// evalName writes a field name for eval, single-quoted unless it is a
// plain name.
func evalName(f string) string {
	if f == "" || isDigit(f[0]) || f[0] == '.' || evalReserved[strings.ToUpper(f)] || strings.EqualFold(f, "in") || isBoolWord(f) {
		return "'" + f + "'"
	}
	for i := 0; i < len(f); i++ {
		if c := f[i]; !isEvalWord(c) && !(c == '.' && i+1 < len(f) && isEvalWord(f[i+1])) {
			return "'" + f + "'"
		}
	}
	return f
}

func isNumberOrBool(v string) bool {
	if isBoolWord(v) {
		return true
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil && !strings.ContainsAny(v, "xXpPnN_") && v != "" && (isDigit(v[0]) || v[0] == '-' || v[0] == '.')
}
