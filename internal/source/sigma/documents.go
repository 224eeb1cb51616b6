package sigma

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/source"
)

// document is one YAML document of a rule file.
type document struct {
	index int    // 1-based position in the file
	line  int    // file line of the document's first content line
	text  string // the document's text (without its --- marker line)
	node  *yaml.Node
	err   *yamlError
}

// yamlError is a YAML syntax error at a file line.
type yamlError struct {
	line int
	msg  string
}

func (e *yamlError) Error() string { return e.msg }

// fileText holds a file's text split into lines, for cutting sections out
// by line number.
type fileText struct {
	src   string
	start []int // byte offset of each line; start[0] is line 1
}

func newFileText(src string) *fileText {
	f := &fileText{src: src, start: make([]int, 1, 64)}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			f.start = append(f.start, i+1)
		}
	}
	return f
}

// lines returns lines [from, to) (1-based) of the file.
func (f *fileText) lines(from, to int) string {
	if from < 1 {
		from = 1
	}
	last := len(f.start) + 1
	if to > last {
		to = last
	}
	if from >= to {
		return ""
	}
	end := len(f.src)
	if to-1 < len(f.start) {
		end = f.start[to-1]
	}
	return f.src[f.start[from-1]:end]
}

// line returns line n without its line break.
func (f *fileText) line(n int) string {
	return strings.TrimRight(f.lines(n, n+1), "\r\n")
}

// isDocMarker reports whether a line starts a new YAML document. A --- at
// column 0 cannot occur inside a block scalar (those are indented), and YAML
// forbids it inside quoted scalars, so splitting on it is safe.
func isDocMarker(l string) bool {
	if !strings.HasPrefix(l, "---") {
		return false
	}
	rest := strings.TrimRight(l[3:], "\r")
	return rest == "" || rest[0] == ' ' || rest[0] == '\t'
}

// splitDocuments cuts a file into its YAML documents and parses each with
// the file's own line numbers. Documents that hold nothing (a trailing ---)
// are dropped.
func splitDocuments(f *fileText) []*document {
	nlines := len(f.start)
	var docs []*document
	from := 1 // first line of the current chunk (may be its marker)
	flush := func(to int) {
		if from >= to {
			return
		}
		chunk := f.lines(from, to)
		line := from
		text := chunk
		if isDocMarker(f.line(from)) {
			// The marker line stays in what YAML parses (content may follow
			// it on the same line) but not in the document's text.
			text = f.lines(from+1, to)
			line = from + 1
		}
		if blank(chunk) {
			return
		}
		d := &document{index: len(docs) + 1, line: line, text: text}
		d.node, d.err = parseYAML(chunk, from-1)
		docs = append(docs, d)
	}
	for n := 2; n <= nlines; n++ {
		if isDocMarker(f.line(n)) {
			flush(n)
			from = n
		}
	}
	flush(nlines + 1)
	return docs
}

// blank reports whether a chunk holds only blank lines, comments and
// document markers.
func blank(chunk string) bool {
	for len(chunk) > 0 {
		l := chunk
		if i := strings.IndexByte(chunk, '\n'); i >= 0 {
			l, chunk = chunk[:i], chunk[i+1:]
		} else {
			chunk = ""
		}
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "#") && t != "---" && t != "..." {
			return false
		}
	}
	return true
}

// parseYAML parses one document; offset is added to every line so that
// positions are the file's.
func parseYAML(chunk string, offset int) (n *yaml.Node, yerr *yamlError) {
	defer func() {
		if r := recover(); r != nil {
			n, yerr = nil, &yamlError{line: offset + 1, msg: fmt.Sprintf("the YAML parser failed (%v); check the file's syntax", r)}
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(chunk), &doc); err != nil {
		line, msg := source.YAMLSyntaxError([]byte(chunk), err)
		return nil, &yamlError{line: offset + line, msg: "YAML syntax error: " + msg + "; fix the YAML at this line (indentation, a missing quote or colon)"}
	}
	if offset != 0 {
		shiftLines(&doc, offset)
	}
	return &doc, nil
}

// shiftLines adds offset to the line of every node (aliases point at nodes
// that are shifted where they stand).
func shiftLines(n *yaml.Node, offset int) {
	n.Line += offset
	for _, c := range n.Content {
		shiftLines(c, offset)
	}
}
