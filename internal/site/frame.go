package site

import (
	"strings"

	"ruledex/internal/rule"
)

// crumb is one step of a page's breadcrumb; the last has no link.
type crumb struct{ text, href string }

// Page roots: how far each kind of page is from the site root.
const (
	rootTop    = ""
	rootRule   = "../../../"
	rootSource = "../../"
	rootSub    = "../" // indicators/, attack/, stories/
)

// head writes the page up to the start of its content: the document head,
// the top bar with the ATT&CK version, and the breadcrumb.
func (s *Site) head(w hw, title, root string, crumbs ...crumb) {
	w.raw("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	w.text(title)
	w.raw(" · ruledex</title>\n<link rel=\"stylesheet\" href=\"", root, "assets/style.css\">\n</head>\n<body>\n",
		`<header class="top"><a class="brand" href="`, root, `index.html">ruledex</a><nav>`,
		`<a href="`, root, `index.html">Rules</a><a href="`, root, `attack/index.html">ATT&amp;CK</a>`,
		`<a href="`, root, `indicators/index.html">Indicators</a><a href="`, root, `problems.html">Problems</a></nav>`,
		`<span class="attackv" title="`)
	w.text(s.c.AttackNote)
	w.raw(`">`)
	w.text(s.attackLabel())
	w.raw("</span></header>\n<main>\n")
	if len(crumbs) > 0 {
		w.raw(`<nav class="crumbs">`)
		for i, c := range crumbs {
			if i > 0 {
				w.raw(" › ")
			}
			if c.href != "" {
				w.a(c.href, c.text)
			} else {
				w.el("span", "", c.text)
			}
		}
		w.raw("</nav>\n")
	}
}

// foot closes what head opened.
func (s *Site) foot(w hw, root string) {
	w.raw("\n</main>\n<footer>ruledex catalog built ")
	w.text(s.c.Built.UTC().Format("2006-01-02 15:04 UTC"))
	w.raw(" · ATT&amp;CK: ")
	w.text(firstLine(s.c.AttackNote))
	w.raw("</footer>\n<script src=\"", root, "assets/site.js\"></script>\n</body>\n</html>\n")
}

func (s *Site) attackLabel() string {
	if m := s.c.Attack; m != nil {
		return m.Label()
	}
	return "ATT&CK: no bundle"
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func ruleHref(root string, r *rule.Rule) string {
	return root + "rules/" + r.Source + "/" + r.Slug + "/"
}

func sourceTitle(kind string) string {
	switch kind {
	case "splunk":
		return "Splunk"
	case "sigma":
		return "Sigma"
	case "elastic":
		return "Elastic"
	}
	return kind
}

// ruleTable writes the filterable list of rules used on the index,
// source, technique and story pages.
func (s *Site) ruleTable(w hw, root string, rules []*rule.Rule) {
	var sources []string
	seen := map[string]bool{}
	for _, r := range rules {
		if !seen[r.Source] {
			seen[r.Source] = true
			sources = append(sources, r.Source)
		}
	}
	w.raw(`<div class="filter"><input type="search" class="q" placeholder="Filter by name, id, technique, file…" aria-label="Filter rules">`)
	if len(sources) > 1 {
		w.raw(`<select class="src" aria-label="Source"><option value="">all sources</option>`)
		for _, src := range sources {
			w.raw(`<option value="`)
			w.text(src)
			w.raw(`">`)
			w.text(src)
			w.raw(`</option>`)
		}
		w.raw(`</select>`)
	}
	w.raw(`<label><input type="checkbox" class="nodep"> hide deprecated and unsupported</label><span class="shown"></span></div>`)
	w.table("rules filterable", "Rule", "Source", "Type", "Severity", "ATT&CK", "Status")
	for _, r := range rules {
		row := s.rows[r]
		w.raw(`<tr data-s="`)
		w.text(r.Source)
		w.raw(`"`)
		if r.Retired() {
			w.raw(` data-dep="1"`)
		}
		w.raw(` data-k="`)
		w.text(row.search)
		w.raw(`"><td>`)
		w.a(ruleHref(root, r), r.Name)
		if n := len(r.Problems); n > 0 {
			w.raw(` <span class="warn" title="`)
			w.int(n)
			w.raw(` problem(s)">⚠</span>`)
		}
		w.raw("</td>")
		w.td(r.Source)
		w.td(r.Type)
		w.td(r.Severity)
		w.el("td", "ids", row.techniques)
		w.raw("<td>")
		w.text(r.Status)
		if r.Deprecated && r.Status != "deprecated" {
			w.raw(` <span class="badge dep">deprecated</span>`)
		}
		w.raw("</td></tr>\n")
	}
	w.endTable()
}

// rowInfo is what every list of rules shows of a rule, computed once: a
// rule appears on the index, its source page, and every technique and
// story page it belongs to.
type rowInfo struct {
	techniques string // ids, space-separated
	search     string // lowercased text the filter box searches
}

func newRowInfo(r *rule.Rule) rowInfo {
	ids := make([]string, 0, len(r.Attack))
	for _, a := range r.Attack {
		ids = append(ids, a.ID)
	}
	t := strings.Join(ids, " ")
	return rowInfo{techniques: t, search: strings.ToLower(r.Name + " " + r.ID + " " + t + " " + r.Path)}
}
