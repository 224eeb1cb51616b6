package site

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Rule text in Markdown (descriptions, Elastic investigation guides) is
// rendered by goldmark in its safe mode: raw HTML in the source is dropped
// (never passed through) and links with dangerous schemes (javascript:,
// vbscript:, file:, data:) lose their destination. That is the sanitizer:
// nothing a rule file says can inject markup. TestMarkdownIsSanitized
// holds it to that. (bluemonday on top cost 0.7 s of CPU per corpus build
// for nothing goldmark lets through.)
//
// GitHub's extensions, less strikethrough: it takes single tildes too, and
// Linux and macOS guides write home paths ("~/Pictures … (~/bin") that it
// struck through; no rule in the three corpora uses ~~strikethrough~~.
var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Linkify, extension.TaskList))

// markdown renders Markdown text as sanitized HTML.
func markdown(src string) string {
	src = strings.TrimSpace(src)
	if src == "" {
		return ""
	}
	if plainText(src) {
		// What CommonMark makes of one line of text without markup, at a
		// fraction of the cost (most Sigma descriptions).
		// (<, > and & never reach here; goldmark writes " as &quot;.)
		return "<p>" + strings.ReplaceAll(src, `"`, "&quot;") + "</p>\n"
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return "<p>" + html.EscapeString(src) + "</p>"
	}
	return buf.String()
}

// sharedMarkdown is markdown for texts that many rules repeat word for
// word (ESCU's how-to-implement notes, Elastic's setup guides: 1,200 of
// them are 300 distinct texts), each rendered once per site.
func (s *Site) sharedMarkdown(src string) string {
	if html, ok := s.markdownCache.Load(src); ok {
		return html.(string)
	}
	html := markdown(src)
	s.markdownCache.Store(src, html)
	return html
}

// plainText reports whether src is a single line with no character that
// Markdown could read as markup.
func plainText(src string) bool {
	if strings.ContainsAny(src, "\n\r*_`[]<>#!|~&\\:") {
		return false
	}
	switch src[0] {
	case '-', '+', '=', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return false
	}
	return true
}
