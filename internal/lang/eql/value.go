package eql

import (
	"strings"

	"ruledex/internal/rule"
)

// classify turns the pattern of ":", like, like~ or wildcard() into a
// rule.Value per DESIGN.md: in EQL every "*" and "?" of such a pattern is a
// wildcard (there is no escape for them). "*x*" is contains x, "x*"
// starts_with, "*x" ends_with, any other pattern with a wildcard stays a
// wildcard holding the whole pattern.
func classify(s string) rule.Value {
	if strings.IndexAny(s, "*?") < 0 {
		return rule.Value{Kind: rule.Eq, Value: s}
	}
	if strings.IndexByte(s, '?') < 0 {
		inner := strings.Trim(s, "*")
		if inner != "" && strings.IndexByte(inner, '*') < 0 {
			lead, trail := s[0] == '*', s[len(s)-1] == '*'
			switch {
			case lead && trail && s == "*"+inner+"*":
				return rule.Value{Kind: rule.Contains, Value: inner}
			case trail && !lead && s == inner+"*":
				return rule.Value{Kind: rule.StartsWith, Value: inner}
			case lead && !trail && s == "*"+inner:
				return rule.Value{Kind: rule.EndsWith, Value: inner}
			}
		}
	}
	return rule.Value{Kind: rule.Wildcard, Value: wildcardPattern(s)}
}

// wildcardPattern writes an EQL pattern in the wildcard notation of the rule
// package, where "\*", "\?" and "\\" are literal: a literal backslash is
// doubled only where it would otherwise escape the next character (before
// "*", "?" or "\"), as Sigma writes it.
func wildcardPattern(s string) string {
	var b []byte
	for {
		i := strings.IndexAny(s, "*?")
		if i < 0 {
			return string(rule.AppendGlobLiteral(b, s, 0))
		}
		b = rule.AppendGlobLiteral(b, s[:i], s[i])
		b = append(b, s[i])
		s = s[i+1:]
	}
}

// eqlPattern reads the wildcard notation back into an EQL pattern; a
// literal "*" or "?" cannot be written in EQL and becomes a wildcard.
func eqlPattern(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?' || s[i+1] == '\\') {
			i++
			c = s[i]
		}
		b.WriteByte(c)
	}
	return b.String()
}
