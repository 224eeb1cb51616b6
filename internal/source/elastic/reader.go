// Package elastic reads Elastic's detection-rules repository layout: one
// TOML file per rule under rules/ and rules_building_block/ ([metadata],
// [rule], [[rule.threat]], [transform]) and the hunting queries under
// hunting/ ([hunt]). Each query is parsed in its own language: KQL
// (kuery), EQL, ES|QL and Lucene.
package elastic

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"ruledex/internal/rule"
	"ruledex/internal/source"
)

// Reader loads an elastic/detection-rules checkout (or any folder of its
// TOML rule files, or one file).
type Reader struct{}

// fileResult is what one file yields: a rule, or a problem of a file that
// is not a rule.
type fileResult struct {
	rule    *rule.Rule
	problem *source.FileProblem
}

// Read implements source.Reader. Files are parsed concurrently, each read
// once; a file that does not load becomes a placeholder rule with the
// problem, and the load goes on.
func (Reader) Read(root string) (*source.Result, error) {
	files, err := source.Files(root, ".toml")
	if err != nil {
		return nil, err
	}
	dir := source.RootDir(root)
	results := make([]fileResult, len(files))
	source.Parallel(len(files), func(i int) {
		results[i] = readFile(dir, files[i])
	})
	res := &source.Result{}
	var nRules, nBBR, nHunts, nDeprecated, nML int
	for _, fr := range results {
		if fr.problem != nil {
			res.Problems = append(res.Problems, *fr.problem)
			continue
		}
		r := fr.rule
		res.Rules = append(res.Rules, r)
		switch {
		case r.Type == "hunting":
			nHunts++
		case r.Elastic != nil && r.Elastic.BuildingBlockType != "":
			nBBR++
		default:
			nRules++
		}
		if r.Deprecated {
			nDeprecated++
		}
		if r.Type == "machine_learning" {
			nML++
		}
	}
	res.Notes = append(res.Notes, fmt.Sprintf("%d detection rules, %d building-block rules, %d hunting queries (%d deprecated, %d machine learning)",
		nRules, nBBR, nHunts, nDeprecated, nML))
	return res, nil
}

// readFile loads one TOML file. It never panics on bad input: an
// unexpected panic becomes the file's problem.
func readFile(dir, rel string) (fr fileResult) {
	defer func() {
		if r := recover(); r != nil {
			fr = fileResult{rule: placeholder(rel, "", 0, fmt.Sprintf("internal error reading the rule: %v", r))}
		}
	}()
	data, err := source.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return fileResult{rule: placeholder(rel, "", 0, err.Error())}
	}
	return parseFile(rel, data)
}

// parseFile turns one file's bytes into its rule (or file problem).
func parseFile(rel string, data []byte) fileResult {
	body := string(data)
	var f tomlFile
	if err := toml.Unmarshal(data, &f); err != nil {
		line, msg := tomlError(err)
		return fileResult{rule: placeholder(rel, body, line, "the file is not valid TOML: "+msg)}
	}
	f.normalize()
	switch {
	case f.Rule != nil:
		return fileResult{rule: buildRule(rel, body, &f)}
	case f.Hunt != nil:
		return fileResult{rule: buildHunt(rel, body, &f)}
	}
	return fileResult{problem: &source.FileProblem{File: rel, Problem: rule.Problem{
		Message: "TOML file with neither a [rule] nor a [hunt] table: not an Elastic rule or hunting query; move it out of the ruleset or add the table",
		Kind:    "load"}}}
}

// tomlError returns the line and message of a TOML decoding error.
func tomlError(err error) (int, string) {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if k := de.Key(); len(k) > 0 {
			msg += " (key " + strings.Join(k, ".") + ")"
		}
		return line, fmt.Sprintf("line %d, column %d: %s", line, col, msg)
	}
	return 0, strings.TrimPrefix(err.Error(), "toml: ")
}

// placeholder is the rule that stands for a file that did not load, named
// after the file so that the problem shows up in the catalog.
func placeholder(rel, body string, line int, msg string) *rule.Rule {
	base := path.Base(rel)
	r := &rule.Rule{
		ID:   rel,
		Name: strings.TrimSuffix(base, path.Ext(base)),
		Path: rel,
		Line: 1,
		Body: body,
	}
	r.Problems = append(r.Problems, rule.Problem{Message: msg, Line: line, Kind: "load"})
	return r
}
