package site

import (
	"encoding/json"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"ruledex/internal/rule"
)

// extraSections renders the source-specific metadata that has no section
// of its own on the page (Elastic details) as a generic
// definition list, so that nothing a rule says is hidden.
func extraSections(r *rule.Rule) []section {
	var out []section
	add := func(title string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			return
		}
		var tree any
		if err := json.Unmarshal(b, &tree); err != nil {
			return
		}
		var sb strings.Builder
		genericHTML(&sb, tree, 0)
		if sb.Len() > 0 {
			out = append(out, section{Title: title, HTML: template.HTML(sb.String())})
		}
	}
	if r.Elastic != nil {
		add("Elastic", r.Elastic)
	}
	return out
}

// genericHTML writes decoded JSON as nested definition lists; strings that
// are URLs become links, everything is escaped.
func genericHTML(b *strings.Builder, v any, depth int) {
	if depth > 20 {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(`<dl class="meta">`)
		for _, k := range keys {
			if isEmpty(v[k]) {
				continue
			}
			b.WriteString("<dt>")
			esc(b, strings.ReplaceAll(k, "_", " "))
			b.WriteString("</dt><dd>")
			genericHTML(b, v[k], depth+1)
			b.WriteString("</dd>")
		}
		b.WriteString("</dl>")
	case []any:
		if len(v) == 0 {
			return
		}
		b.WriteString("<ul>")
		for _, x := range v {
			b.WriteString("<li>")
			genericHTML(b, x, depth+1)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	case string:
		if isURL(v) {
			b.WriteString(`<a href="`)
			esc(b, v)
			b.WriteString(`" rel="noopener noreferrer">`)
			esc(b, v)
			b.WriteString("</a>")
			return
		}
		if strings.Contains(v, "\n") {
			b.WriteString(`<pre class="code">`)
			esc(b, v)
			b.WriteString("</pre>")
			return
		}
		esc(b, v)
	case nil:
	default:
		esc(b, fmt.Sprint(v))
	}
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	case bool:
		return !v
	}
	return false
}
