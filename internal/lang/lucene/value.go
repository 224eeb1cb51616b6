package lucene

import "ruledex/internal/rule"

// termValue classifies a term as written (with its \ escapes).
func termValue(raw string) rule.Value { return ParseWildcard(raw).Value() }

// keywordPattern is the value of free text (no field): the term as a
// pattern in rule.Wildcard notation, the way the KQL parser writes free
// text, so that quoted and unquoted text stay distinct.
func keywordPattern(raw string) string { return ParseWildcard(raw).Notation() }

// escapeWild writes literal text (a phrase) in rule.Wildcard notation.
func escapeWild(s string) string { return Literal(s).Notation() }
