package eql

import (
	"encoding/json"

	"ruledex/internal/rule"
)

// jsonOf is the tree's stable JSON with line numbers cleared, for comparing
// trees in tests.
func jsonOf(e rule.Expr) string {
	b, err := json.Marshal(rule.ExprJSON{Expr: withoutLines(e)})
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

func withoutLines(e rule.Expr) rule.Expr {
	switch e := e.(type) {
	case *rule.And:
		args := make([]rule.Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = withoutLines(a)
		}
		return &rule.And{Args: args}
	case *rule.Or:
		args := make([]rule.Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = withoutLines(a)
		}
		return &rule.Or{Args: args}
	case *rule.Not:
		return &rule.Not{Arg: withoutLines(e.Arg)}
	case *rule.Predicate:
		c := *e
		c.Line = 0
		return &c
	}
	return e
}
