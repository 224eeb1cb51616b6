package site

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
)

// Pages are written with hw, a thin writer whose every method that takes
// rule text escapes it. We measured html/template at ~600 µs and 2,300
// allocations per rule page (reflection for every action), which for
// 8,000 rules is more than the whole build's time budget; hw writes the
// same pages in a fraction of that. The rule is simple: markup literals go
// through raw, everything else through text, attr or the helpers.
type hw struct {
	b *bytes.Buffer
}

// raw writes trusted markup (literals of this package, never rule text).
func (w hw) raw(ss ...string) {
	for _, s := range ss {
		w.b.WriteString(s)
	}
}

// text writes s escaped for an element's content or a quoted attribute.
func (w hw) text(s string) {
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
		case 0:
			esc = "\uFFFD"
		default:
			continue
		}
		w.b.WriteString(s[last:i])
		w.b.WriteString(esc)
		last = i + 1
	}
	w.b.WriteString(s[last:])
}

func (w hw) int(n int) {
	var buf [20]byte
	w.b.Write(strconv.AppendInt(buf[:0], int64(n), 10))
}

// el writes <tag class="cls">text</tag>; cls may be "".
func (w hw) el(tag, cls, text string) {
	w.b.WriteByte('<')
	w.b.WriteString(tag)
	if cls != "" {
		w.raw(` class="`, cls, `"`)
	}
	w.b.WriteByte('>')
	w.text(text)
	w.raw("</", tag, ">")
}

func (w hw) code(s string) { w.el("code", "", s) }

// a writes a link to a page of the site; href is built by this package
// from sanitized slugs, and still escaped.
func (w hw) a(href, text string) {
	w.raw(`<a href="`)
	w.text(href)
	w.raw(`">`)
	w.text(text)
	w.raw(`</a>`)
}

// aCode is a link whose text is code.
func (w hw) aCode(href, text string) {
	w.raw(`<a href="`)
	w.text(href)
	w.raw(`"><code>`)
	w.text(text)
	w.raw(`</code></a>`)
}

// ext writes an outside link when s is an http(s) URL, else plain text:
// rule files may hold javascript: or data: URLs.
func (w hw) ext(s string) {
	if !isURL(s) {
		w.text(s)
		return
	}
	w.raw(`<a href="`)
	w.text(strings.TrimSpace(s))
	w.raw(`" rel="noopener noreferrer nofollow">`)
	w.text(s)
	w.raw(`</a>`)
}

// isURL reports whether s is an absolute http(s) URL, the only links made
// from rule text.
func isURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// dl writes a definition list row when value is not empty.
func (w hw) dt(name, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	w.el("dt", "", name)
	w.el("dd", "", value)
}

// dtCodes writes a definition list row of code values joined by commas.
func (w hw) dtCodes(name string, values []string) {
	if len(values) == 0 {
		return
	}
	w.el("dt", "", name)
	w.raw("<dd>")
	for i, v := range values {
		if i > 0 {
			w.raw(", ")
		}
		w.code(v)
	}
	w.raw("</dd>")
}

// badge writes a small rounded label.
func (w hw) badge(cls, text string) {
	if text == "" {
		return
	}
	if cls == "" {
		w.el("span", "badge", text)
		return
	}
	w.el("span", "badge "+cls, text)
}

// section opens <section id=…><h2>title</h2>; close with w.raw("</section>").
func (w hw) section(id, title string) {
	w.raw(`<section id="`, id, `"><h2>`)
	w.text(title)
	w.raw(`</h2>`)
}

// p writes a paragraph of text with a class.
func (w hw) p(cls, text string) {
	w.el("p", cls, text)
}

// table starts a scrollable table with a header row.
func (w hw) table(cls string, headers ...string) {
	w.raw(`<div class="scroll"><table`)
	if cls != "" {
		w.raw(` class="`, cls, `"`)
	}
	w.raw(`><thead><tr>`)
	for _, h := range headers {
		w.el("th", "", h)
	}
	w.raw(`</tr></thead><tbody>`)
}

func (w hw) endTable() { w.raw(`</tbody></table></div>`) }

// td writes a cell of text.
func (w hw) td(s string) { w.el("td", "", s) }
