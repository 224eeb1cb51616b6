package site

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"strings"

	"ruledex/internal/catalog"
)

// Indicator pages are grouped into indicatorBuckets files by a hash of the
// slug, each indicator a section that the URL fragment selects (CSS
// :target shows it alone). A file per indicator would be some 40,000
// files for the three rulesets, most of them for indicators only one rule
// has; creating files, not rendering them, would then dominate the build.
const indicatorBuckets = 256

// indicatorBucket is the file (without extension) holding an indicator.
func indicatorBucket(slug string) string {
	h := fnv.New32a()
	h.Write([]byte(slug))
	return fmt.Sprintf("%02x", h.Sum32()%indicatorBuckets)
}

// indicatorHref is the link to an indicator from a page at root.
func indicatorHref(root string, in *catalog.Indicator) string {
	return root + "indicators/" + indicatorBucket(in.Slug) + ".html#" + in.Slug
}

func (s *Site) renderIndicatorBucket(out *bytes.Buffer, bucket string, list []*catalog.Indicator) error {
	w := hw{out}
	s.head(w, "Indicators "+bucket, rootSub, crumb{"Detection rules", rootSub + "index.html"}, crumb{"Indicators", "index.html"})
	w.raw(`<div class="bucket-index"><h1>Indicators, group `, bucket, `</h1><p class="lead">Indicator pages are grouped `)
	w.int(len(list))
	w.raw(` to a file; a link to one indicator shows it alone. The indicators of this group:</p><ul class="cols">`)
	for _, in := range list {
		w.raw(`<li><a href="#`, in.Slug, `">`)
		if in.Negated {
			w.raw("not ")
		}
		w.code(fieldLabel(in.Field))
		w.raw(" ")
		w.text(string(in.Kind))
		w.raw(" ")
		w.code(shownValue(in.Kind, in.Value))
		w.raw("</a> (")
		w.int(in.Count.Total)
		w.raw(")</li>")
	}
	w.raw("</ul></div>\n")
	for _, in := range list {
		s.indicatorSection(w, in)
	}
	s.foot(w, rootSub)
	return nil
}

// indicatorSection lists every rule with one indicator, the value as each
// writes it, and the indicators with the same field and value but another
// kind or negation.
func (s *Site) indicatorSection(w hw, in *catalog.Indicator) {
	w.raw(`<section class="ind" id="`, in.Slug, `"><h1>`)
	if in.Negated {
		w.raw(`<span class="neg">not</span> `)
	}
	w.code(fieldLabel(in.Field))
	w.raw(" ")
	w.text(string(in.Kind))
	w.raw(" ")
	w.el("code", "val", shownValue(in.Kind, in.Value))
	w.raw(`</h1><p class="lead">Tested by `)
	w.text(corpusLabel(in.Count))
	if in.Count.Total == 1 {
		w.raw(" rule")
	} else {
		w.raw(" rules")
	}
	if in.Negated {
		w.raw(", always negated (the rule excludes events that match)")
	}
	w.raw(".</p>")
	w.table("", "Rule", "Source", "Value as written", "Type")
	for i, r := range in.Rules {
		value := in.Written[i]
		w.raw("<tr><td>")
		w.a(ruleHref(rootSub, r), r.Name)
		if r.Deprecated {
			w.raw(` <span class="badge dep">deprecated</span>`)
		}
		w.raw("</td>")
		w.td(r.Source)
		w.raw("<td>")
		w.code(shownValue(in.Kind, value))
		w.raw("</td>")
		w.td(r.Type)
		w.raw("</tr>")
	}
	w.endTable()
	first := true
	for _, o := range s.c.Variants(in) {
		if first {
			w.raw("<h2>Same field and value, other kinds</h2><ul>")
			first = false
		}
		w.raw(`<li><a href="`)
		w.text(indicatorHref(rootSub, o))
		w.raw(`">`)
		if o.Negated {
			w.raw("not ")
		}
		w.text(string(o.Kind))
		w.raw(" ")
		w.code(shownValue(o.Kind, o.Value))
		w.raw("</a> — ")
		w.text(corpusLabel(o.Count))
		w.raw("</li>")
	}
	if !first {
		w.raw("</ul>")
	}
	w.raw("</section>\n")
}

// indicatorIndexSize is how many indicators indicators/index.html lists.
const indicatorIndexSize = 2000

func (s *Site) renderIndicatorIndex(out *bytes.Buffer) error {
	w := hw{out}
	s.head(w, "Indicators", rootSub, crumb{"Detection rules", rootSub + "index.html"}, crumb{text: "Indicators"})
	list := s.c.Indicators
	if len(list) > indicatorIndexSize {
		list = list[:indicatorIndexSize]
	}
	w.raw(`<h1>Indicators</h1><p class="lead">`)
	w.int(len(s.c.Indicators))
	w.raw(` distinct indicators (field, kind, value, negation) across the catalog. The `)
	w.int(len(list))
	w.raw(` most common are listed; every rule page links to the page of each of its indicators. The full list is <a href="../api/indicators.json">api/indicators.json</a>.</p>`)
	w.raw(`<div class="filter"><input type="search" class="q" placeholder="Filter by field or value…" aria-label="Filter indicators"><span class="shown"></span></div>`)
	w.table("filterable", "Field", "Kind", "Value", "Corpus")
	for _, in := range list {
		w.raw(`<tr data-k="`)
		w.text(strings.ToLower(in.Field + " " + in.Value))
		w.raw(`"><td>`)
		w.code(fieldLabel(in.Field))
		w.raw("</td><td>")
		if in.Negated {
			w.raw(`<span class="neg">not</span> `)
		}
		w.text(string(in.Kind))
		w.raw(`</td><td class="val">`)
		w.aCode(indicatorHref("", in)[len("indicators/"):], shownValue(in.Kind, in.Value))
		w.raw("</td>")
		w.td(corpusLabel(in.Count))
		w.raw("</tr>\n")
	}
	w.endTable()
	s.foot(w, rootSub)
	return nil
}
