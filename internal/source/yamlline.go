package source

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// YAMLSyntaxError turns the error yaml.v3 gives for text that does not
// parse into the line at fault and a message without the library's
// prefix. yaml.v3 names the line where the enclosing block or flow
// collection starts ("line 4: did not find expected key" for a key
// indented wrongly on line 5), so the line is found again: the first
// prefix of the text, from that line on, that fails to parse by itself
// ends at the line at fault. Cutting YAML at a line end leaves it valid
// unless a quoted string or a flow collection is open there; those stop
// the search at the line they open on, which is where the fix goes.
func YAMLSyntaxError(text []byte, err error) (line int, msg string) {
	msg = strings.ReplaceAll(strings.TrimPrefix(err.Error(), "yaml: "), "\n", "; ")
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 1, msg
	}
	line, _ = strconv.Atoi(m[1])
	msg = strings.TrimPrefix(err.Error(), m[0])
	if line < 1 {
		line = 1
	}
	// The search is bounded (lines tried, bytes parsed in all): a huge
	// file with an error keeps yaml.v3's line rather than cost seconds.
	const maxSearch, maxParsed = 200, 4 << 20
	parsed := 0
	end := 0
	for n := 1; n < line && end < len(text); n++ {
		i := bytes.IndexByte(text[end:], '\n')
		if i < 0 {
			return line, msg
		}
		end += i + 1
	}
	for n := line; n < line+maxSearch && end < len(text); n++ {
		i := bytes.IndexByte(text[end:], '\n')
		if i < 0 {
			end = len(text)
		} else {
			end += i + 1
		}
		if parsed += end; parsed > maxParsed {
			break
		}
		var doc yaml.Node
		if yaml.Unmarshal(text[:end], &doc) != nil {
			return n, msg
		}
	}
	return line, msg
}
