// Command ruledex reads detection-rule repositories (Splunk ESCU, Sigma,
// Elastic), parses every rule's query into one expression tree, and shows
// the catalog as a static site, a JSON API, a web server and a terminal
// view.
//
//	ruledex serve                         the built-in examples on :8080
//	ruledex build --out site splunk=./security_content
//	ruledex show splunk=./security_content "BITS Job Persistence"
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "ruledex:", err)
		os.Exit(1)
	}
}

// newRoot assembles the command tree.
func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "ruledex",
		Short: "A catalog of detection rules, parsed for real",
		Long: `ruledex reads detection-rule repositories as their authors publish them
(Splunk ESCU, Sigma, Elastic), parses every query language into one
expression tree, and shows what each rule looks for: stages, predicates,
indicators with their corpus counts, ATT&CK coverage and the log events it needs.

Rulesets are given as KIND=PATH, e.g. splunk=./security_content. With no
ruleset, ruledex uses its built-in examples.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(buildCmd(), showCmd(), serveCmd(), statsCmd(), matchCmd())
	return root
}
