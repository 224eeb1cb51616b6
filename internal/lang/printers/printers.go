// Package printers renders an expression tree back in the language of the
// rule it came from, using each language package's own printer.
package printers

import (
	"ruledex/internal/lang/eql"
	"ruledex/internal/lang/esql"
	"ruledex/internal/lang/kql"
	"ruledex/internal/lang/lucene"
	"ruledex/internal/lang/sigma"
	"ruledex/internal/lang/spl"
	"ruledex/internal/rule"
)

// byLanguage maps rule.Rule.Language to its printer.
var byLanguage = map[string]func(rule.Expr) string{
	"kql":    kql.Print,
	"eql":    eql.Print,
	"esql":   esql.Print,
	"lucene": lucene.Print,
	"sigma":  sigma.Print,
	"spl":    spl.Print,
}

// Print renders e in language; languages without a printer get the
// neutral notation of rule.Format.
func Print(language string, e rule.Expr) string {
	if p, ok := byLanguage[language]; ok {
		return p(e)
	}
	return rule.Format(e)
}
