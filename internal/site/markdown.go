package site

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Rule text in Markdown (descriptions, Elastic investigation guides) is
// rendered by goldmark without raw HTML and then sanitized by bluemonday's
// user-content policy, so nothing a rule file says can inject markup.
var (
	md       = goldmark.New(goldmark.WithExtensions(extension.GFM))
	sanitize = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireNoFollowOnLinks(true)
		return p
	}()
)

// markdown renders Markdown text as sanitized HTML.
func markdown(src string) template.HTML {
	src = strings.TrimSpace(src)
	if src == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(sanitize.SanitizeBytes(buf.Bytes()))
}
