package site

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"ruledex/internal/highlight"
	"ruledex/internal/lang/printers"
	"ruledex/internal/rule"
)

// renderRule writes a rule's page: the sections of the seed system's page
// (title, description, ATT&CK, events, rule body, stages and predicates,
// indicators with corpus counts) and everything else the rule says.
func (s *Site) renderRule(out *bytes.Buffer, r *rule.Rule) error {
	w := hw{out}
	s.head(w, r.Name, rootRule,
		crumb{"Detection rules", rootRule + "index.html"},
		crumb{sourceTitle(r.Source), rootRule + "rules/" + r.Source + "/index.html"})

	w.el("h1", "", r.Name)
	w.raw(`<p class="badges">`)
	w.badge("src", r.Source)
	w.badge("", r.Language)
	w.badge("", r.Type)
	w.badge("", r.Status)
	w.badge("sev-"+severityClass(r.Severity), r.Severity)
	if r.Deprecated {
		w.badge("dep", "deprecated")
	}
	if r.Sigma != nil && r.Sigma.Unsupported {
		w.badge("dep", "unsupported")
	}
	w.raw(`</p><p class="ident"><span class="muted">id</span> `)
	w.code(r.ID)
	w.raw(` · <span class="muted">file</span> `)
	if r.Line > 1 {
		w.code(fmt.Sprintf("%s:%d", r.Path, r.Line))
	} else {
		w.code(r.Path)
	}
	w.raw(" · <a href=\"rule.json\">rule.json</a></p>\n")

	s.ruleProblems(w, r)
	if d := markdown(r.Description); d != "" {
		w.raw(`<section class="desc">`, string(d), "</section>\n")
	}
	s.ruleAttack(w, r)
	s.ruleEvents(w, r)
	s.ruleBody(w, r)
	s.ruleStages(w, r)
	s.ruleIndicators(w, r)
	s.ruleDetails(w, r)
	s.ruleLinks(w, r)
	s.foot(w, rootRule)
	return nil
}

// severityClass keeps the severity's CSS class to known words.
func severityClass(sev string) string {
	switch strings.ToLower(sev) {
	case "critical", "high", "medium", "low", "informational":
		return strings.ToLower(sev)
	}
	return "other"
}

func (s *Site) ruleProblems(w hw, r *rule.Rule) {
	if len(r.Problems) == 0 {
		return
	}
	w.raw(`<section class="problems" id="problems"><h2>Problems</h2><ul>`)
	for _, p := range r.Problems {
		w.raw("<li>")
		w.badge("", p.Kind)
		w.raw(" ")
		if p.Line > 0 {
			w.raw(`<a href="#L`)
			w.int(p.Line)
			w.raw(`">line `)
			w.int(p.Line)
			w.raw(`</a>: `)
		}
		w.text(p.Message)
		w.raw("</li>")
	}
	w.raw("</ul></section>\n")
}

// ---- ATT&CK

type tacticRow struct {
	name       string
	techniques []rule.Technique
}

func (s *Site) ruleAttack(w hw, r *rule.Rule) {
	w.section("attack", "MITRE ATT&CK coverage")
	rows := s.tacticRows(r)
	if len(rows) == 0 {
		w.p("muted", "The rule names no ATT&CK technique.")
	} else {
		w.table("", "Tactic", "Techniques")
		for _, row := range rows {
			w.raw("<tr>")
			w.td(row.name)
			w.raw("<td>")
			for i, t := range row.techniques {
				if i > 0 {
					w.raw("<br>")
				}
				w.a(rootRule+"attack/"+techniqueFile(t.ID), t.ID)
				w.raw(" ")
				w.text(t.Name)
				if note := techniqueNote(t); note != "" {
					w.raw(` <span class="note">(`)
					w.text(note)
					w.raw(`)</span>`)
				}
			}
			w.raw("</td></tr>")
		}
		w.endTable()
	}
	// Tactics the table shows already are not repeated.
	placed := map[string]bool{}
	for _, row := range rows {
		placed[row.name] = true
	}
	var also []rule.TacticRef
	for _, t := range r.Tactics {
		if t.Kind != "tactic" || !placed[t.Name] {
			also = append(also, t)
		}
	}
	if len(also) > 0 {
		w.raw("<p>Also named by the rule: ")
		for i, t := range also {
			if i > 0 {
				w.raw(", ")
			}
			if isURL(t.URL) {
				w.raw(`<a href="`)
				w.text(t.URL)
				w.raw(`" rel="noopener noreferrer nofollow">`)
				w.code(t.Written)
				w.raw(`</a>`)
			} else {
				w.code(t.Written)
			}
			w.raw(" (")
			w.text(t.Kind)
			if t.Name != "" {
				w.raw(" ")
				w.text(t.Name)
			}
			w.raw(")")
			if t.Note != "" {
				w.raw(` <span class="note">`)
				w.text(t.Note)
				w.raw(`</span>`)
			}
		}
		w.raw("</p>")
	}
	w.p("muted small", firstLine(s.c.AttackNote))
	w.raw("</section>\n")
}

// tacticRows groups a rule's techniques by tactic in matrix order; ids the
// bundle does not place go under "(no tactic known)".
func (s *Site) tacticRows(r *rule.Rule) []tacticRow {
	var rows []tacticRow
	index := map[string]int{}
	add := func(tactic string, t rule.Technique) {
		i, ok := index[tactic]
		if !ok {
			i = len(rows)
			index[tactic] = i
			rows = append(rows, tacticRow{name: tactic})
		}
		rows[i].techniques = append(rows[i].techniques, t)
	}
	for _, t := range r.Attack {
		if len(t.Tactics) == 0 {
			add("(no tactic known)", t)
		}
		for _, tac := range t.Tactics {
			add(tac, t)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return s.tacticRank(rows[i].name) < s.tacticRank(rows[j].name) })
	return rows
}

// tacticRank is a tactic's column in the matrix; unknown ones go last.
func (s *Site) tacticRank(name string) int {
	if r, ok := s.tacticOrder[name]; ok {
		return r
	}
	return 1 << 20
}

func techniqueNote(t rule.Technique) string {
	var notes []string
	if t.RevokedFrom != "" {
		notes = append(notes, "the rule says "+t.RevokedFrom+", revoked in favour of "+t.ID)
	}
	if t.Deprecated {
		notes = append(notes, "deprecated in ATT&CK")
	}
	if t.Note != "" && t.RevokedFrom == "" {
		notes = append(notes, t.Note)
	} else if !t.Known && t.Note == "" {
		notes = append(notes, "not in the loaded ATT&CK bundle")
	}
	return strings.Join(notes, "; ")
}

// ---- events

func (s *Site) ruleEvents(w hw, r *rule.Rule) {
	w.section("events", "Event coverage")
	switch {
	case len(r.Events) > 0:
		w.table("", "Provider", "Event", "Title", "From")
		for _, e := range r.Events {
			w.raw(`<tr><td title="`)
			w.text(e.Channel)
			w.raw(`">`)
			w.text(e.Provider)
			w.raw("</td><td>Event ID ")
			w.text(e.EventID)
			w.raw("</td>")
			w.td(e.Title)
			w.el("td", "muted", e.Via)
			w.raw("</tr>")
		}
		w.endTable()
	case len(r.DataNeeds) > 0:
	case r.Splunk != nil && len(r.Splunk.DataSources) > 0:
		w.p("muted", "None of the rule's data sources is a Windows event log; they are listed below.")
	default:
		w.p("muted", "No Windows event is implied by the rule's data sources.")
	}
	if len(r.DataNeeds) > 0 {
		if len(r.Events) > 0 {
			w.raw("<p>Other data the rule reads, besides the Windows events above: ")
		} else {
			w.raw("<p>Data the rule reads: ")
		}
		w.text(strings.Join(r.DataNeeds, "; "))
		w.raw(".</p>")
	}
	switch {
	case r.Splunk != nil && len(r.Splunk.DataSources) > 0:
		w.raw("<h3>Data sources</h3>")
		w.table("", "Name", "Source", "Sourcetype")
		for _, d := range r.Splunk.DataSources {
			w.raw("<tr><td>")
			w.text(d.Name)
			if !d.Defined {
				w.raw(` <span class="note">(not defined in data_sources/)</span>`)
			}
			w.raw("</td><td>")
			w.code(d.Source)
			w.raw("</td><td>")
			w.code(d.Sourcetype)
			w.raw("</td></tr>")
		}
		w.endTable()
	case r.Splunk == nil && len(r.DataSources) > 0:
		if r.Elastic != nil {
			w.raw("<p>Index patterns and integrations: ")
		} else {
			w.raw("<p>Data: ")
		}
		for i, d := range r.DataSources {
			if i > 0 {
				w.raw(", ")
			}
			w.code(d)
		}
		w.raw("</p>")
	}
	w.raw("</section>\n")
}

// ---- body

func (s *Site) ruleBody(w hw, r *rule.Rule) {
	w.raw(`<section id="body"><h2>Rule body <span class="muted small">`)
	w.text(r.Source)
	w.raw(`</span></h2><pre class="code body" style="counter-reset: ln `)
	w.int(max(r.Line, 1) - 1)
	w.raw(`">`)
	// An anchor at the start of every line (#L<n>, numbered by the CSS
	// counter) lets problems and stages link to file lines; the anchors are
	// empty elements, so they nest inside spans that cross lines.
	n := max(r.Line, 1)
	highlight.Write(w.b, bodyLanguage(r), r.Body, func(dst *bytes.Buffer) {
		dst.WriteString(`<span class="ln" id="L`)
		var num [20]byte
		dst.Write(strconv.AppendInt(num[:0], int64(n), 10))
		dst.WriteString(`"></span>`)
		n++
	})
	w.raw("</pre></section>\n")
}

// bodyLanguage is the file format of a rule's body, from its file name.
func bodyLanguage(r *rule.Rule) string {
	p := strings.ToLower(r.Path)
	switch {
	case strings.HasSuffix(p, ".toml"):
		return "toml"
	case strings.HasSuffix(p, ".yml"), strings.HasSuffix(p, ".yaml"):
		return "yaml"
	}
	return ""
}

// ---- stages

func (s *Site) ruleStages(w hw, r *rule.Rule) {
	w.section("stages", "Stages and predicates")
	if len(r.Stages) == 0 {
		w.p("muted", "The rule has no query stages.")
	}
	for _, st := range r.Stages {
		w.raw(`<div class="stage" id="stage-`)
		w.int(st.Index)
		w.raw(`"><h3>Stage `)
		w.int(st.Index)
		w.raw(": ")
		w.text(st.Command)
		if st.Label != "" {
			w.raw(" ")
			w.el("span", "label", st.Label)
		}
		w.raw(" ")
		w.raw(`<span class="badge role" title="`)
		w.text(roleHelp[st.Role])
		w.raw(`">`)
		w.text(string(st.Role))
		w.raw(`</span>`)
		if st.Line > 0 {
			w.raw(` <a class="small" href="#L`)
			w.int(st.Line)
			w.raw(`">line `)
			w.int(st.Line)
			w.raw(`</a>`)
		}
		w.raw("</h3>")
		w.el("pre", "code", st.Text)
		if st.Expanded != "" {
			w.p("small muted", "after macro expansion:")
			w.el("pre", "code expanded", st.Expanded)
		}
		if st.Expr != nil {
			w.raw(`<div class="pred"><p class="small muted">predicate:</p>`)
			w.el("pre", "code printed", printers.Print(r.Language, st.Expr))
			s.exprTree(w, st.Expr)
			w.raw("</div>")
		}
		if len(st.Attrs) > 0 {
			w.raw(`<dl class="attrs">`)
			for _, a := range st.Attrs {
				w.el("dt", "", a.Name)
				w.raw("<dd>")
				w.code(a.Value)
				w.raw("</dd>")
			}
			w.raw("</dl>")
		}
		w.raw("</div>\n")
	}
	w.raw("</section>\n")
}

// ---- indicators

func (s *Site) ruleIndicators(w hw, r *rule.Rule) {
	w.section("indicators", "Indicators")
	expansion := ""
	if r.Splunk != nil {
		expansion = ", after macro expansion"
	}
	w.p("small muted", "Each row is a field, a kind of comparison and a value the rule tests"+expansion+". "+
		"Corpus counts how many rules of the whole catalog test the same field, kind and value (case-insensitive) "+
		"with the same negation: high numbers point to widely used indicators; 1 means only this rule.")
	if len(r.Indicators) == 0 {
		w.p("muted", "No indicator: the rule's query has no field predicates.")
		w.raw("</section>\n")
		return
	}
	w.table("indicators", "Field", "Kind", "Value", "Corpus")
	for _, in := range r.Indicators {
		w.raw("<tr><td>")
		w.code(fieldLabel(in.Field))
		w.raw("</td><td>")
		if in.Negated {
			w.raw(`<span class="neg">not</span> `)
		}
		w.text(string(in.Kind))
		w.raw(`</td><td class="val">`)
		if e := s.c.IndicatorOf(in); e != nil {
			w.aCode(indicatorHref(rootRule, e), shownValue(in.Kind, in.Value))
		} else {
			w.code(shownValue(in.Kind, in.Value))
		}
		w.raw("</td>")
		w.td(corpusLabel(in.Corpus))
		w.raw("</tr>\n")
	}
	w.endTable()
	w.raw("</section>\n")
}

func fieldLabel(f string) string {
	if f == "" {
		return "(any field)"
	}
	return f
}

// shownValue makes a value readable in a table: exists has no value, and
// the empty string and values with spaces at an end (Sigma's ' /transfer ')
// are shown in quotes so that nothing is invisible.
func shownValue(k rule.Kind, v string) string {
	switch {
	case k == rule.Exists:
		return "(exists)"
	case v == "" || strings.TrimSpace(v) != v:
		return `"` + v + `"`
	}
	return v
}

// corpusLabel renders a count the way the seed system does: "16 (sigma 14, splunk 2)".
func corpusLabel(c rule.Count) string {
	var buf [64]byte
	b := strconv.AppendInt(buf[:0], int64(c.Total), 10)
	if len(c.BySource) == 0 {
		return string(b)
	}
	srcs := make([]string, 0, 4)
	for src := range c.BySource {
		srcs = append(srcs, src)
	}
	sort.Strings(srcs)
	b = append(b, " ("...)
	for i, src := range srcs {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, src...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(c.BySource[src]), 10)
	}
	return string(append(b, ')'))
}

// ---- details and links

func (s *Site) ruleDetails(w hw, r *rule.Rule) {
	w.section("details", "Details")
	w.raw(`<dl class="meta">`)
	w.dt("Author", r.Author)
	w.dt("Created", r.Created)
	w.dt("Modified", r.Modified)
	w.dt("Version", r.Version)
	w.dt("Status", r.Status)
	w.dt("Type", r.Type)
	if sp := r.Splunk; sp != nil && sp.RiskScore > 0 && r.Severity != "" {
		// ESCU files carry a risk score, not a severity.
		w.dt("Severity", fmt.Sprintf("%s (from the risk score %d, banded as Splunk ES does)", r.Severity, sp.RiskScore))
	} else {
		w.dt("Severity", r.Severity)
	}
	w.dt("Language", r.Language)
	if len(r.References) > 0 {
		w.raw("<dt>References</dt><dd><ul>")
		for _, ref := range r.References {
			w.raw("<li>")
			w.ext(ref)
			w.raw("</li>")
		}
		w.raw("</ul></dd>")
	}
	if len(r.FalsePositives) > 0 {
		w.raw("<dt>Known false positives</dt><dd>")
		for _, fp := range r.FalsePositives {
			w.el("p", "", fp)
		}
		w.raw("</dd>")
	}
	w.dtCodes("Tags", r.Tags)
	w.raw("</dl>\n")
	switch {
	case r.Splunk != nil:
		s.splunkDetails(w, r)
	case r.Sigma != nil:
		s.sigmaDetails(w, r)
	case r.Elastic != nil:
		s.elasticDetails(w, r)
	}
	w.raw("</section>\n")
}

func (s *Site) ruleLinks(w hw, r *rule.Rule) {
	if len(r.Links) == 0 {
		return
	}
	w.section("links", "Related rules")
	w.raw("<ul>")
	for _, l := range r.Links {
		w.raw("<li>")
		w.el("span", "muted", l.Relation)
		w.raw(" ")
		s.linkTo(w, l)
		w.raw("</li>")
	}
	w.raw("</ul></section>\n")
}

// linkTo writes a link to the rule a Link names, or its id with a note
// when the catalog does not have it.
func (s *Site) linkTo(w hw, l rule.Link) {
	text := l.ID
	if l.Name != "" {
		text = l.Name
	}
	if l.Slug == "" {
		w.text(text)
		w.raw(` <span class="note">(not in the catalog)</span>`)
		return
	}
	w.a(rootRule+"rules/"+l.Source+"/"+l.Slug+"/", text)
}

// roleHelp explains a stage's role badge (its title): "filter" is what
// the stage does to events, not Sigma's filter_* naming.
var roleHelp = map[rule.Role]string{
	rule.RoleSource:    "source: selects the events the rule starts from",
	rule.RoleFilter:    "filter: keeps only the events its expression matches",
	rule.RoleTransform: "transform: changes fields of each event",
	rule.RoleAggregate: "aggregate: combines events (counts, sequences, thresholds)",
	rule.RoleLookup:    "lookup: enriches events from external data",
	rule.RoleJoin:      "join: combines with another search",
	rule.RoleOutput:    "output: presentation only",
	rule.RoleOther:     "other",
}
