// Package printers renders an expression tree back in the language of the
// rule it came from, using each language package's own printer.
package printers

import (
	"ruledex/internal/rule"
)

var byLanguage = map[string]func(rule.Expr) string{
	// TODO(lead): "spl": spl.Print once it exists.
}

// Print renders e in language; languages without a printer get the
// neutral notation of rule.Format.
func Print(language string, e rule.Expr) string {
	if p, ok := byLanguage[language]; ok {
		return p(e)
	}
	return rule.Format(e)
}
