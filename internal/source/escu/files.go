package escu

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/lang/spl"
	"ruledex/internal/rule"
	"ruledex/internal/source"
)

// readMacros loads macros/*.yml. A macro file that does not load is a
// file problem; the macro is then undefined for the rules that use it.
func readMacros(repo string) ([]spl.Macro, []source.FileProblem) {
	type macroFile struct {
		Name       string   `yaml:"name"`
		Definition string   `yaml:"definition"`
		Arguments  []string `yaml:"arguments"`
	}
	var out []spl.Macro
	probs := eachYAML(repo, "macros", func(rel string, top *yaml.Node) *rule.Problem {
		var m macroFile
		if err := top.Decode(&m); err != nil {
			return &rule.Problem{Kind: "load", Line: yamlErrorLine(err), Message: "macro file does not load: " + cleanYAMLError(err)}
		}
		if m.Name == "" {
			return &rule.Problem{Kind: "load", Line: 1, Message: "macro file has no name: key; the macro cannot be used"}
		}
		out = append(out, spl.Macro{Name: m.Name, Args: m.Arguments, Definition: m.Definition,
			File: rel, Line: keyLine(top, "definition")})
		return nil
	})
	return out, probs
}

// readDataSources loads data_sources/*.yml, keyed by lowercased name.
func readDataSources(repo string) (map[string]rule.DataSource, []source.FileProblem) {
	type dsFile struct {
		Name       string `yaml:"name"`
		Source     string `yaml:"source"`
		Sourcetype string `yaml:"sourcetype"`
	}
	out := map[string]rule.DataSource{}
	probs := eachYAML(repo, "data_sources", func(rel string, top *yaml.Node) *rule.Problem {
		var d dsFile
		if err := top.Decode(&d); err != nil {
			return &rule.Problem{Kind: "load", Line: yamlErrorLine(err), Message: "data source file does not load: " + cleanYAMLError(err)}
		}
		if d.Name == "" {
			return &rule.Problem{Kind: "load", Line: 1, Message: "data source file has no name: key"}
		}
		out[strings.ToLower(d.Name)] = rule.DataSource{Name: d.Name, Source: d.Source, Sourcetype: d.Sourcetype, Defined: true, File: rel}
		return nil
	})
	return out, probs
}

// readStories loads stories/*.yml (names and descriptions).
func readStories(repo string) ([]source.Story, []source.FileProblem) {
	var out []source.Story
	probs := eachYAML(repo, "stories", func(rel string, top *yaml.Node) *rule.Problem {
		var s source.Story
		if err := top.Decode(&s); err != nil {
			return &rule.Problem{Kind: "load", Line: yamlErrorLine(err), Message: "story file does not load: " + cleanYAMLError(err)}
		}
		s.File = rel
		s.Name = strings.TrimSpace(s.Name)
		s.Description = strings.TrimSpace(s.Description)
		s.Narrative = strings.TrimSpace(s.Narrative)
		if s.Name == "" {
			return &rule.Problem{Kind: "load", Line: 1, Message: "story file has no name: key"}
		}
		out = append(out, s)
		return nil
	})
	return out, probs
}

// eachYAML calls fn for the top mapping of every YAML file in repo/dir, in
// file order, and collects the problems of files that do not load.
func eachYAML(repo, dir string, fn func(rel string, top *yaml.Node) *rule.Problem) []source.FileProblem {
	folder := filepath.Join(repo, dir)
	if ok, _ := statDir(folder); !ok {
		return nil
	}
	files, err := source.Files(folder, ".yml", ".yaml")
	if err != nil {
		return []source.FileProblem{{File: dir, Problem: rule.Problem{Kind: "load", Message: err.Error()}}}
	}
	tops := make([]*yaml.Node, len(files))
	errs := make([]*rule.Problem, len(files))
	source.Parallel(len(files), func(i int) {
		data, err := source.ReadFile(filepath.Join(folder, filepath.FromSlash(files[i])))
		if err != nil {
			errs[i] = &rule.Problem{Kind: "load", Message: err.Error()}
			return
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			line, msg := source.YAMLSyntaxError(data, err)
			errs[i] = &rule.Problem{Kind: "load", Line: line, Message: "YAML does not load: " + msg}
			return
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			errs[i] = &rule.Problem{Kind: "load", Line: 1, Message: "the file is not a YAML mapping"}
			return
		}
		tops[i] = doc.Content[0]
	})
	var probs []source.FileProblem
	for i, f := range files {
		rel := dir + "/" + f
		p := errs[i]
		if p == nil {
			p = fn(rel, tops[i])
		}
		if p != nil {
			probs = append(probs, source.FileProblem{File: rel, Problem: *p})
		}
	}
	return probs
}

func statDir(p string) (bool, error) {
	st, err := os.Stat(p)
	if err != nil {
		return false, err
	}
	return st.IsDir(), nil
}

// keyLine is the line of key in a mapping node, 0 when absent.
func keyLine(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return 0
}

// valueLine is the line where the value of key starts, and whether the
// text starts on that line (plain and quoted scalars) rather than on the
// next one (| and > block scalars).
func valueLine(m *yaml.Node, key string) (line int, inline bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			return v.Line, v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0
		}
	}
	return 0, true
}

// fileLine maps a 1-based line within a YAML value to a line of the file.
// Quoted multi-line scalars fold lines, so the mapping is exact for block
// scalars and single-line values and approximate otherwise.
func fileLine(valueStart int, inline bool, qline int) int {
	if valueStart == 0 || qline == 0 {
		return qline
	}
	if inline {
		return valueStart + qline - 1
	}
	return valueStart + qline
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

// yamlErrorLine finds the line a yaml error names, 0 if none.
func yamlErrorLine(err error) int {
	m := yamlLineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// cleanYAMLError drops the library's "yaml: " prefix.
func cleanYAMLError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: ")
	s = strings.ReplaceAll(s, "\n", "; ")
	return s
}
