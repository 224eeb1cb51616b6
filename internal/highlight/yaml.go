package highlight

import "strings"

// yamlHTML scans YAML line by line. State carried between lines: an open
// block scalar (| or >) and its indentation, or an open quoted string.
func yamlHTML(w *writer, src string) {
	blockIndent := -1 // indentation of the key that opened a block scalar
	var quote byte    // open multi-line quoted scalar: ' or "
	for len(src) > 0 {
		line := src
		nl := strings.IndexByte(src, '\n')
		if nl >= 0 {
			line, src = src[:nl], src[nl+1:]
		} else {
			src = ""
		}
		if quote != 0 {
			n := closeQuote(line, 0, quote)
			if n < 0 {
				w.span("s", line)
			} else {
				w.span("s", line[:n])
				quote = yamlRest(w, line[n:])
			}
		} else {
			indent := len(line) - len(strings.TrimLeft(line, " "))
			trimmed := strings.TrimSpace(line)
			if blockIndent >= 0 && (trimmed == "" || indent > blockIndent) {
				w.span("s", line)
			} else {
				blockIndent = -1
				var block bool
				quote, block = yamlLine(w, line, indent)
				if block {
					blockIndent = indent
				}
			}
		}
		if nl >= 0 {
			w.newline()
		}
	}
}

// yamlLine writes one line that starts outside any scalar. It reports an
// unclosed quote and whether the line opens a block scalar.
func yamlLine(w *writer, line string, indent int) (quote byte, block bool) {
	w.b.WriteString(line[:indent])
	rest := line[indent:]
	if strings.HasPrefix(rest, "#") {
		w.span("c", rest)
		return 0, false
	}
	if rest == "---" || rest == "..." {
		w.span("p", rest)
		return 0, false
	}
	// List markers.
	for strings.HasPrefix(rest, "- ") || rest == "-" {
		w.span("p", "-")
		rest = rest[1:]
		sp := len(rest) - len(strings.TrimLeft(rest, " "))
		w.b.WriteString(rest[:sp])
		rest = rest[sp:]
		indent = len(line) - len(rest) - 2
	}
	if k := yamlKeyEnd(rest); k > 0 {
		w.span("k", rest[:k])
		w.span("p", ":")
		rest = rest[k+1:]
		sp := len(rest) - len(strings.TrimLeft(rest, " "))
		w.b.WriteString(rest[:sp])
		rest = rest[sp:]
	}
	if isBlockIndicator(rest) {
		w.span("p", rest)
		return 0, true
	}
	return yamlRest(w, rest), false
}

// yamlRest writes a value (and a trailing comment); it reports a quoted
// scalar left open at the end of the line.
func yamlRest(w *writer, v string) byte {
	for len(v) > 0 {
		switch v[0] {
		case '\'', '"':
			n := closeQuote(v, 1, v[0])
			if n < 0 {
				w.span("s", v)
				return v[0]
			}
			w.span("s", v[:n])
			v = v[n:]
		case '#':
			w.span("c", v)
			return 0
		case ' ', '\t', '[', ']', '{', '}', ',':
			if v[0] == ' ' || v[0] == '\t' {
				w.b.WriteByte(v[0])
			} else {
				w.span("p", v[:1])
			}
			v = v[1:]
		default:
			// A plain scalar runs to a " #" comment (or, inside flow
			// collections, to a delimiter; good enough for display).
			end := len(v)
			if i := strings.Index(v, " #"); i >= 0 {
				end = i
			}
			word := strings.TrimRight(v[:end], " ")
			w.span(scalarClass(word), word)
			v = v[len(word):]
		}
	}
	return 0
}

// closeQuote returns the index just past the quote that closes a scalar
// opened with q (scanning from from), or -1 when the line does not close it.
func closeQuote(s string, from int, q byte) int {
	for i := from; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q:
			if q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
				i++ // '' is an escaped quote
				continue
			}
			return i + 1
		}
	}
	return -1
}

// yamlKeyEnd returns the index of the ':' ending a mapping key at the start
// of s, or -1. Quoted keys are allowed.
func yamlKeyEnd(s string) int {
	if s == "" {
		return -1
	}
	if s[0] == '"' || s[0] == '\'' {
		n := closeQuote(s, 1, s[0])
		if n > 0 && n < len(s) && s[n] == ':' && (n+1 == len(s) || s[n+1] == ' ') {
			return n
		}
		return -1
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':':
			if i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t' {
				if i == 0 {
					return -1
				}
				return i
			}
		case '#', '[', ']', '{', '}', ',':
			if i == 0 || s[i] != '#' || s[i-1] == ' ' {
				return -1
			}
		}
	}
	return -1
}

// isBlockIndicator reports a block scalar header: | or > with optional
// chomping and indentation indicators and an optional comment.
func isBlockIndicator(v string) bool {
	if v == "" || (v[0] != '|' && v[0] != '>') {
		return false
	}
	rest := strings.TrimLeft(v[1:], "+-0123456789")
	rest = strings.TrimSpace(rest)
	return rest == "" || strings.HasPrefix(rest, "#")
}
