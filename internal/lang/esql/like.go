package esql

import (
	"ruledex/internal/lang/lucene"
	"ruledex/internal/rule"
)

// likeValue classifies an ES|QL LIKE pattern (after string unescaping).
// LIKE is evaluated as a Lucene wildcard: * is any run, ? one character
// and \ makes the next character literal; the classes are DESIGN.md's
// ("*x*" contains x, "x*" starts_with …).
func likeValue(pattern string) rule.Value {
	return lucene.ParseWildcard(pattern).Value()
}

// likePattern writes a value back as a LIKE pattern (the inverse of likeValue).
func likePattern(v rule.Value) string {
	lit := func(s string) string { return lucene.Literal(s).Syntax(nil) }
	switch v.Kind {
	case rule.Contains:
		return "*" + lit(v.Value) + "*"
	case rule.StartsWith:
		return lit(v.Value) + "*"
	case rule.EndsWith:
		return "*" + lit(v.Value)
	case rule.Exists:
		return "*"
	case rule.Wildcard:
		return lucene.WildcardNotation(v.Value).Syntax(nil)
	}
	return lit(v.Value)
}
