package highlight

import "strings"

// tomlHTML scans TOML in one pass. Values may span lines (arrays,
// multi-line strings), so the scanner tracks bracket depth: a line starts
// with a key or a table header only outside brackets.
func tomlHTML(w *writer, src string) {
	var open []byte // stack of open '[' and '{'
	atLineStart := true
	expectKey := true
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			w.newline()
			i++
			atLineStart = true
			if len(open) == 0 {
				expectKey = true
			}
			continue
		case c == ' ' || c == '\t' || c == '\r':
			w.b.WriteByte(c)
			i++
			continue
		case c == '#':
			end := lineEnd(src, i)
			w.span("c", src[i:end])
			i = end
			continue
		}
		if atLineStart && len(open) == 0 && c == '[' {
			end := lineEnd(src, i)
			header := strings.TrimRight(src[i:end], " \t\r")
			if j := strings.Index(header, "]"); j >= 0 {
				if strings.HasPrefix(header, "[[") {
					j = strings.Index(header, "]]") + 1
				}
				if j > 0 {
					w.span("h", header[:j+1])
					i += j + 1
					atLineStart = false
					expectKey = false
					continue
				}
			}
		}
		atLineStart = false
		if expectKey && len(open) == 0 {
			// key = …: everything up to '=' (quoted parts included).
			j := i
			for j < len(src) && src[j] != '=' && src[j] != '\n' {
				if src[j] == '"' || src[j] == '\'' {
					if n := closeQuote(src[j:lineEnd(src, j)], 1, src[j]); n > 0 {
						j += n
						continue
					}
				}
				j++
			}
			if j < len(src) && src[j] == '=' {
				key := strings.TrimRight(src[i:j], " \t")
				w.span("k", key)
				w.b.WriteString(src[i+len(key) : j])
				w.span("p", "=")
				i = j + 1
				expectKey = false
				continue
			}
		}
		switch c {
		case '"', '\'':
			n := tomlString(src[i:])
			w.span("s", src[i:i+n])
			i += n
		case '[', '{':
			open = append(open, c)
			w.span("p", src[i:i+1])
			i++
			if c == '{' {
				expectKey = true
			}
		case ']', '}':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			w.span("p", src[i:i+1])
			i++
		case ',':
			w.span("p", ",")
			i++
			if len(open) > 0 && open[len(open)-1] == '{' {
				expectKey = true
			}
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n,]}#", rune(src[j])) {
				j++
			}
			if j == i {
				j = i + 1
			}
			word := src[i:j]
			w.span(scalarClass(word), word)
			i = j
		}
	}
}

// tomlString returns the length of the string starting at s[0]: basic,
// literal, and their multi-line forms. An unterminated string runs to the
// end of its line (or of the text, for multi-line ones).
func tomlString(s string) int {
	q := s[0]
	if strings.HasPrefix(s, string([]byte{q, q, q})) {
		end := strings.Index(s[3:], string([]byte{q, q, q}))
		for q == '"' && end >= 0 && escaped(s[3:], end) {
			next := strings.Index(s[3+end+1:], `"""`)
			if next < 0 {
				end = -1
				break
			}
			end += 1 + next
		}
		if end < 0 {
			return len(s)
		}
		n := 3 + end + 3
		for n < len(s) && s[n] == q { // """a"""" ends with the last three quotes
			n++
		}
		return n
	}
	le := lineEnd(s, 0)
	if q == '\'' {
		if j := strings.IndexByte(s[1:le], '\''); j >= 0 {
			return j + 2
		}
		return le
	}
	for i := 1; i < le; i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == '"' {
			return i + 1
		}
	}
	return le
}

// escaped reports whether s[i] is preceded by an odd number of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

func lineEnd(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(s)
}
