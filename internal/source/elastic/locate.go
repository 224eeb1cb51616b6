package elastic

import "strings"

// position is where a query starts in its rule file: 1-based line and
// column, and the byte offset just past it (to find the next query).
type position struct {
	line, col int
	end       int
}

// locate finds query (a decoded TOML string) in the file body at or after
// offset from. Queries are almost always ”'literal”' strings, whose
// decoded text appears verbatim; otherwise the line of "key =" is used
// (the next line when a multi-line string opens there).
func locate(body, query string, from int, key string) position {
	if from > len(body) {
		from = len(body)
	}
	if i := strings.Index(body[from:], query); i >= 0 && query != "" {
		off := from + i
		line := strings.Count(body[:off], "\n") + 1
		col := off - (strings.LastIndexByte(body[:off], '\n') + 1) + 1
		return position{line: line, col: col, end: off + len(query)}
	}
	off := keyOffset(body[from:], key+" =")
	if off < 0 {
		return position{col: 1, end: from}
	}
	off += from
	line := strings.Count(body[:off], "\n") + 1
	text := body[off:]
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	if t := strings.TrimSpace(text); strings.HasSuffix(t, `"""`) || strings.HasSuffix(t, `'''`) {
		line++
	}
	return position{line: line, col: 1, end: off + len(text)}
}

// keyOffset is the offset of the first line of body that starts with
// prefix, -1 if none.
func keyOffset(body, prefix string) int {
	for off := 0; off <= len(body); {
		if strings.HasPrefix(body[off:], prefix) {
			return off
		}
		i := strings.IndexByte(body[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return -1
}

// keyLine is the 1-based line of the first line starting with prefix, 0
// if none.
func keyLine(body, prefix string) int {
	off := keyOffset(body, prefix)
	if off < 0 {
		return 0
	}
	return strings.Count(body[:off], "\n") + 1
}
