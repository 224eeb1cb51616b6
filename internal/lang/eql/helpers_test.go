package eql

import (
	"ruledex/internal/rule"
	"ruledex/internal/rule/ruletest"
)

// jsonOf is the tree's stable JSON with line numbers cleared.
func jsonOf(e rule.Expr) string { return ruletest.JSON(e) }
