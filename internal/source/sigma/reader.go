// Package sigma reads Sigma rulesets: the SigmaHQ layout (rules*,
// deprecated, unsupported) or any folder of Sigma files. Each YAML document
// becomes a rule.Rule: detection rules with one stage per condition term,
// correlation rules with an aggregate stage, filters with the negation of
// their selection; correlations and filters are linked both ways to the
// rules they reference.
package sigma

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ruledex/internal/rule"
	"ruledex/internal/source"
)

// Reader reads a Sigma ruleset. It implements source.Reader.
type Reader struct{}

var _ source.Reader = Reader{}

// fileResult is what one file yielded.
type fileResult struct {
	rules    []*rule.Rule
	skipped  int // YAML documents that are not Sigma documents
	problems []source.FileProblem
}

// Read loads every Sigma file under root (a folder or one file). In the
// SigmaHQ layout (a root with rules or rules-* folders) it reads the rules*
// folders, deprecated and unsupported, and leaves out the repository's
// other YAML (tests, regression data, CI); elsewhere it reads every .yml and
// .yaml file.
func (Reader) Read(root string) (*source.Result, error) {
	files, err := source.Files(root, ".yml", ".yaml")
	if err != nil {
		return nil, err
	}
	dir := source.RootDir(root)
	if sigmaHQLayout(root) {
		files = ruleFolders(files)
	}
	results := make([]fileResult, len(files))
	source.Parallel(len(files), func(i int) {
		results[i] = readFile(dir, files[i])
	})

	res := &source.Result{}
	skipped := 0
	var firstSkipped string
	for i, fr := range results {
		res.Rules = append(res.Rules, fr.rules...)
		res.Problems = append(res.Problems, fr.problems...)
		if fr.skipped > 0 && firstSkipped == "" {
			firstSkipped = files[i]
		}
		skipped += fr.skipped
	}
	link(res.Rules)
	res.Notes = notes(res.Rules, len(files), skipped, firstSkipped)
	return res, nil
}

// sigmaHQLayout reports whether root is a SigmaHQ-style repository.
func sigmaHQLayout(root string) bool {
	entries, err := os.ReadDir(root)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.IsDir() && isRulesFolder(e.Name()) {
			return true
		}
	}
	return false
}

func isRulesFolder(name string) bool {
	return name == "rules" || strings.HasPrefix(name, "rules-")
}

// ruleFolders keeps the files under rules*, deprecated and unsupported.
func ruleFolders(files []string) []string {
	out := files[:0:0]
	for _, f := range files {
		top, _, ok := strings.Cut(f, "/")
		if ok && (isRulesFolder(top) || top == "deprecated" || top == "unsupported") {
			out = append(out, f)
		}
	}
	return out
}

// readFile reads one file into its rules. It never fails: a file that
// cannot be read or parsed gives a placeholder rule with the problem.
func readFile(dir, rel string) (fr fileResult) {
	defer func() {
		if r := recover(); r != nil {
			fr = fileResult{rules: []*rule.Rule{placeholder(rel, 1, 1, "", rule.Problem{Kind: "load",
				Message: fmt.Sprintf("internal error reading the file (%v); please report it", r)})}}
		}
	}()
	data, err := source.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return fileResult{rules: []*rule.Rule{placeholder(rel, 1, 1, "", rule.Problem{Kind: "load", Message: err.Error()})}}
	}
	return parseFile(rel, data)
}

// parseFile turns a file's bytes into its rules.
func parseFile(rel string, data []byte) (fr fileResult) {
	text := strings.TrimPrefix(string(data), "\ufeff")
	f := newFileText(text)
	docs := splitDocuments(f)
	if len(docs) == 0 {
		fr.skipped++ // an empty file: nothing to load, but say so
	}
	for _, rd := range collect(docs) {
		d := rd.doc
		switch {
		case d.err != nil:
			fr.rules = append(fr.rules, placeholder(rel, d.index, d.line, d.text, rule.Problem{Kind: "load", Line: d.err.line, Message: d.err.msg}))
		case rd.node == nil:
			if d.node != nil && len(d.node.Content) > 0 && !isNullDoc(d) {
				fr.skipped++
			}
		case !isSigma(rd.node):
			fr.skipped++
		default:
			fr.rules = append(fr.rules, buildRule(rel, f, rd))
		}
	}
	return fr
}

// isNullDoc reports whether a document holds only null.
func isNullDoc(d *document) bool {
	n := d.node
	return n != nil && len(n.Content) == 1 && n.Content[0].Tag == "!!null"
}

// placeholder is the rule that stands for a document that did not load,
// named after its file so that the problem shows up in the catalog.
func placeholder(rel string, index, line int, text string, p rule.Problem) *rule.Rule {
	r := &rule.Rule{
		ID:       fallbackID(rel, index),
		Name:     fileStem(rel),
		Path:     rel,
		Line:     max(line, 1),
		Language: "sigma",
		Type:     "detection",
		Body:     text,
		Sigma:    &rule.SigmaMeta{},
		Problems: []rule.Problem{p},
	}
	return r
}

// notes summarises the ruleset for its source page.
func notes(rules []*rule.Rule, files, skipped int, firstSkipped string) []string {
	kinds := map[string]int{}
	deprecated, unsupported := 0, 0
	for _, r := range rules {
		kinds[r.Type]++
		if r.Deprecated {
			deprecated++
		}
		if r.Sigma != nil && r.Sigma.Unsupported {
			unsupported++
		}
	}
	out := []string{fmt.Sprintf("%d rules from %d files: %d detection, %d correlation, %d filter; %d deprecated, %d unsupported",
		len(rules), files, kinds["detection"], kinds["correlation"], kinds["filter"], deprecated, unsupported)}
	if skipped > 0 {
		out = append(out, fmt.Sprintf("%d YAML documents that are not Sigma rules (or empty files) were skipped (the first in %s)", skipped, firstSkipped))
	}
	return out
}
