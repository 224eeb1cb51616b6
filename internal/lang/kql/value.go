package kql

import (
	"net/netip"
	"strings"

	"ruledex/internal/rule"
)

// classify turns an unquoted value into a rule.Value per DESIGN.md:
// "*x*" contains, "x*" starts_with, "*x" ends_with, "*" exists, any other
// pattern with a wildcard stays a wildcard with the whole pattern.
func classify(pt pattern) rule.Value {
	parts := pt.parts
	switch n := len(parts) - 1; {
	case n == 0:
		if isCIDR(parts[0]) {
			return rule.Value{Kind: rule.CIDR, Value: parts[0]}
		}
		return rule.Value{Kind: rule.Eq, Value: parts[0]}
	case n == 1 && parts[0] == "" && parts[1] == "":
		return rule.Value{Kind: rule.Exists}
	case n == 1 && parts[0] == "":
		return rule.Value{Kind: rule.EndsWith, Value: parts[1]}
	case n == 1 && parts[1] == "":
		return rule.Value{Kind: rule.StartsWith, Value: parts[0]}
	case n == 2 && parts[0] == "" && parts[2] == "" && parts[1] != "":
		return rule.Value{Kind: rule.Contains, Value: parts[1]}
	}
	return rule.Value{Kind: rule.Wildcard, Value: patternString(pt)}
}

// quotedValue is a quoted value: always literal, eq unless it is an IP
// prefix (which KQL matches as a CIDR on ip fields).
func quotedValue(s string) rule.Value {
	if isCIDR(s) {
		return rule.Value{Kind: rule.CIDR, Value: s}
	}
	return rule.Value{Kind: rule.Eq, Value: s}
}

func isCIDR(s string) bool {
	if strings.IndexByte(s, '/') < 0 {
		return false
	}
	_, err := netip.ParsePrefix(s)
	return err == nil
}

// patternString writes a pattern in the wildcard notation of the rule
// package: "*" is the wildcard, a literal "*" or "?" is escaped, and a
// literal backslash is doubled only where it would otherwise escape the
// next character (before "*", "?" or "\"), as Sigma writes it.
func patternString(pt pattern) string {
	var b []byte
	for i, part := range pt.parts {
		if i > 0 {
			b = append(b, '*')
		}
		var next byte
		if i < len(pt.parts)-1 {
			next = '*'
		}
		b = rule.AppendGlobLiteral(b, part, next)
	}
	return string(b)
}

func escapable(c byte) bool { return c == '*' || c == '?' || c == '\\' }

// parsePattern reads the wildcard notation back into wildcard-separated
// literal parts; it also reports whether "?" wildcards were present, which
// KQL cannot express.
func parsePattern(s string) (parts []string, hasQuestion bool) {
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && escapable(s[i+1]):
			cur.WriteByte(s[i+1])
			i++
		case c == '*':
			parts = append(parts, cur.String())
			cur.Reset()
		case c == '?':
			hasQuestion = true
			cur.WriteByte('?')
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, cur.String()), hasQuestion
}
