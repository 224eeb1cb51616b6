// Package examples embeds the small example rulesets that `ruledex serve`
// (and show, build) use when no ruleset is given: rules written for
// ruledex to show what it does: ESCU searches with macros with arguments,
// IN lists, NOT, where with like/match/cidrmatch, a subsearch, a join, an
// aggregation, a deprecated rule and an undefined macro; Sigma rules with
// modifiers, a correlation and a filter; Elastic rules in KQL, EQL (an
// event query and a sequence), ES|QL and a threshold rule.
package examples

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed splunk sigma elastic
var files embed.FS

// Kinds lists the example rulesets, each a folder of the embedded tree.
var Kinds = []string{"splunk", "sigma", "elastic"}

// Extract writes the examples under dir (one folder per kind) and returns
// the folder of each kind. Readers work on files, so the examples are
// materialised once rather than giving every reader a second file system.
func Extract(dir string) (map[string]string, error) {
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, k := range Kinds {
		out[k] = filepath.Join(dir, k)
	}
	return out, nil
}
