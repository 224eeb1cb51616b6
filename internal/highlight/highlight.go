// Package highlight colours rule files (YAML, TOML) as escaped HTML.
//
// It is a small scanner, not a general highlighter, because the general
// one we measured (chroma v2) runs at 2–3 MB/s on these files: about 20 s
// for the three rulesets, against a 3 s budget for the whole build. The
// scanner only has to tell keys, strings, numbers and comments apart, in
// one pass, and every byte it writes is escaped.
//
// Classes: k key, s string, n number/boolean/null, c comment, h TOML table
// header, p punctuation (list dashes, block-scalar indicators, brackets).
package highlight

import (
	"bytes"
	"strings"
)

// HTML highlights src written in lang ("yaml", "toml"; anything else is
// only escaped).
func HTML(lang, src string) string {
	var b bytes.Buffer
	Write(&b, lang, src, nil)
	return b.String()
}

// Write highlights src into dst. lineStart, when not nil, is called at the
// start of every line (a page puts line anchors there); a final newline of
// src starts no line.
func Write(dst *bytes.Buffer, lang, src string, lineStart func(dst *bytes.Buffer)) {
	w := writer{b: dst, lineStart: lineStart}
	dst.Grow(len(src) + len(src)/2)
	body := strings.TrimSuffix(src, "\n")
	w.startLine()
	switch strings.ToLower(lang) {
	case "yaml", "yml":
		yamlHTML(&w, body)
	case "toml":
		tomlHTML(&w, body)
	default:
		w.text(body)
	}
	if len(body) < len(src) {
		dst.WriteByte('\n')
	}
}

type writer struct {
	b         *bytes.Buffer
	lineStart func(*bytes.Buffer)
}

func (w *writer) startLine() {
	if w.lineStart != nil {
		w.lineStart(w.b)
	}
}

// newline ends a line outside any span.
func (w *writer) newline() {
	w.b.WriteByte('\n')
	w.startLine()
}

// span writes s escaped inside <span class=cls>.
func (w *writer) span(cls, s string) {
	if s == "" {
		return
	}
	w.b.WriteString(`<span class="`)
	w.b.WriteString(cls)
	w.b.WriteString(`">`)
	w.text(s)
	w.b.WriteString(`</span>`)
}

// text writes s HTML-escaped; a newline in it (a multi-line string)
// starts a line too.
func (w *writer) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '\n':
			w.b.WriteString(s[last : i+1])
			last = i + 1
			w.startLine()
			continue
		default:
			continue
		}
		w.b.WriteString(s[last:i])
		w.b.WriteString(esc)
		last = i + 1
	}
	w.b.WriteString(s[last:])
}

// scalarClass tells a plain scalar's class: numbers, booleans and nulls
// are "n", the rest strings.
func scalarClass(v string) string {
	switch strings.ToLower(v) {
	case "true", "false", "null", "~", "yes", "no", "on", "off", "inf", "nan", "+inf", "-inf":
		return "n"
	}
	if v == "" {
		return "s"
	}
	digits := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' || c == '-' || c == '+' || c == '_' || c == ':' || c == 'e' || c == 'E' || c == 'x' || c == 'T' || c == 'Z':
		default:
			return "s"
		}
	}
	if digits == 0 {
		return "s"
	}
	return "n"
}
