// Package ruletest holds what the parsers' tests share for comparing
// expression trees.
package ruletest

import (
	"encoding/json"

	"ruledex/internal/rule"
)

// JSON is the tree's stable JSON with line numbers cleared, for comparing
// trees in tests.
func JSON(e rule.Expr) string {
	b, err := json.Marshal(rule.ExprJSON{Expr: WithoutLines(e)})
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

// WithoutLines is a copy of the tree with every predicate's line cleared:
// the same query parsed from another position compares equal.
func WithoutLines(e rule.Expr) rule.Expr {
	switch e := e.(type) {
	case *rule.And:
		return &rule.And{Args: withoutLines(e.Args)}
	case *rule.Or:
		return &rule.Or{Args: withoutLines(e.Args)}
	case *rule.Not:
		return &rule.Not{Arg: WithoutLines(e.Arg)}
	case *rule.Predicate:
		c := *e
		c.Line = 0
		return &c
	}
	return e
}

func withoutLines(es []rule.Expr) []rule.Expr {
	out := make([]rule.Expr, len(es))
	for i, a := range es {
		out[i] = WithoutLines(a)
	}
	return out
}
