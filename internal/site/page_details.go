package site

import (
	"fmt"
	"sort"
	"strings"

	"ruledex/internal/rule"
)

// The source-specific parts of a rule page: what ESCU, Sigma and Elastic
// rules say beyond the common fields.

func (s *Site) splunkDetails(w hw, r *rule.Rule) {
	m := r.Splunk
	if len(m.Stories) > 0 {
		w.raw("<h3>Analytic stories</h3><ul>")
		for _, name := range m.Stories {
			w.raw("<li>")
			if slug := s.storySlug(r.Source, name); slug != "" {
				w.a(rootRule+"stories/"+slug+".html", name)
			} else {
				w.text(name)
			}
			w.raw("</li>")
		}
		w.raw("</ul>")
	}
	if m.HowToImplement != "" {
		w.raw("<h3>How to implement</h3>")
		w.raw(s.sharedMarkdown(m.HowToImplement))
	}
	w.raw(`<dl class="meta">`)
	w.dt("Asset type", m.AssetType)
	w.dt("Security domain", m.SecurityDomain)
	w.dt("Category", m.Category)
	w.dt("Products", strings.Join(m.Products, ", "))
	if len(m.CVE) > 0 {
		w.raw("<dt>CVE</dt><dd>")
		for i, c := range m.CVE {
			if i > 0 {
				w.raw(", ")
			}
			w.ext("https://nvd.nist.gov/vuln/detail/" + c)
		}
		w.raw("</dd>")
	}
	w.dtCodes("Required fields", m.RequiredFields)
	w.raw("</dl>")

	if m.Finding != nil || m.IntermediateFindings != nil || m.RiskScore > 0 || len(m.Observables) > 0 {
		w.raw(`<h3>Finding and risk</h3><dl class="meta">`)
		entity := func(e rule.RiskEntity) {
			w.raw("<dt>Entity</dt><dd>")
			w.code(e.Field)
			w.raw(" (")
			w.text(e.Type)
			w.raw(")")
			if e.Score > 0 {
				w.raw(", score ")
				w.int(e.Score)
			}
			w.raw("</dd>")
		}
		threat := func(t rule.ThreatObject) {
			w.raw("<dt>Threat object</dt><dd>")
			w.code(t.Field)
			w.raw(" (")
			w.text(t.Type)
			w.raw(")</dd>")
		}
		if f := m.Finding; f != nil {
			w.dt("Finding", f.Title)
			if f.Entity != nil {
				entity(*f.Entity)
			}
			for _, e := range f.Entities {
				entity(e)
			}
			for _, t := range f.ThreatObjects {
				threat(t)
			}
		}
		if in := m.IntermediateFindings; in != nil {
			w.dt("Intermediate finding", in.Message)
			for _, e := range in.Entities {
				entity(e)
			}
			for _, t := range in.ThreatObjects {
				threat(t)
			}
		}
		w.dt("Risk message", m.Message)
		if m.RiskScore > 0 {
			score := fmt.Sprint(m.RiskScore)
			if m.Confidence > 0 {
				score += fmt.Sprintf(" (confidence %d, impact %d)", m.Confidence, m.Impact)
			}
			w.dt("Risk score", score)
		}
		for _, o := range m.Observables {
			w.raw("<dt>Observable</dt><dd>")
			w.code(o.Name)
			w.raw(" ")
			w.text(o.Type)
			if len(o.Role) > 0 {
				w.raw(" (")
				w.text(strings.Join(o.Role, ", "))
				w.raw(")")
			}
			w.raw("</dd>")
		}
		w.raw("</dl>")
	}

	if len(m.Macros) > 0 {
		w.raw("<h3>Macros</h3>")
		w.table("", "Macro", "Status", "Definition")
		for _, mu := range m.Macros {
			name := mu.Name
			if len(mu.Args) > 0 {
				name += "(" + strings.Join(mu.Args, ", ") + ")"
			}
			w.raw("<tr><td>")
			w.code(name)
			w.raw("</td><td>")
			w.text(mu.Status)
			if mu.File != "" {
				w.raw(`<br><span class="muted small">`)
				w.text(mu.File)
				w.raw("</span>")
			}
			w.raw("</td><td>")
			w.code(mu.Definition)
			w.raw("</td></tr>")
		}
		w.endTable()
	}
	if len(m.Drilldowns) > 0 {
		w.raw("<h3>Drilldown searches</h3>")
		for _, d := range m.Drilldowns {
			w.raw(`<div class="drill"><p><strong>`)
			w.text(d.Name)
			w.raw("</strong>")
			if d.EarliestOffset != "" || d.LatestOffset != "" {
				w.raw(` <span class="muted small">`)
				w.text(d.EarliestOffset + " → " + d.LatestOffset)
				w.raw("</span>")
			}
			w.raw("</p>")
			w.el("pre", "code", d.Search)
			w.raw("</div>")
		}
	}
	if len(m.Tests) > 0 {
		w.raw("<h3>Tests</h3>")
		w.table("", "Test", "Attack data", "Source / sourcetype")
		for _, t := range m.Tests {
			name := func() {
				w.text(t.Name)
				if t.TestType != "" {
					w.raw(` <span class="muted small">(`)
					w.text(t.TestType)
					w.raw(`)</span>`)
				}
			}
			if len(t.AttackData) == 0 {
				w.raw("<tr><td>")
				name()
				w.raw(`</td><td colspan="2" class="muted">no attack data</td></tr>`)
			}
			for i, a := range t.AttackData {
				w.raw("<tr><td>")
				if i == 0 {
					name()
				}
				w.raw(`</td><td class="val">`)
				w.ext(a.Data)
				w.raw("</td><td>")
				w.code(a.Source)
				w.raw("<br>")
				w.code(a.Sourcetype)
				w.raw("</td></tr>")
			}
		}
		w.endTable()
	}
}

func (s *Site) sigmaDetails(w hw, r *rule.Rule) {
	m := r.Sigma
	w.raw(`<h3>Sigma</h3><dl class="meta">`)
	if ls := m.Logsource; ls.Product != "" || ls.Category != "" || ls.Service != "" || len(ls.Other) > 0 {
		w.raw("<dt>Logsource</dt><dd>")
		for _, part := range []rule.Attr{{Name: "product", Value: ls.Product}, {Name: "category", Value: ls.Category}, {Name: "service", Value: ls.Service}} {
			if part.Value != "" {
				w.text(part.Name + ": ")
				w.code(part.Value)
				w.raw(" ")
			}
		}
		for _, o := range ls.Other {
			w.text(o.Name + ": ")
			w.code(o.Value)
			w.raw(" ")
		}
		if ls.Definition != "" {
			w.raw(`<br><span class="muted small">`)
			w.text(ls.Definition)
			w.raw("</span>")
		}
		w.raw("</dd>")
	}
	w.dt("Level", m.Level)
	w.dt("Name", m.Name)
	w.dt("Taxonomy", m.Taxonomy)
	if m.Unsupported {
		w.dt("Unsupported", "SigmaHQ keeps this rule under unsupported/: it uses features no converter supports.")
	}
	w.dtCodes("Fields", m.Fields)
	w.dt("Scope", strings.Join(m.Scope, ", "))
	w.dt("License", m.License)
	w.dt("Timeframe", m.Timeframe)
	if m.RegressionTestsPath != "" {
		w.raw("<dt>Regression test</dt><dd>")
		w.code(m.RegressionTestsPath)
		w.raw("</dd>")
	}
	for _, sim := range m.Simulation {
		keys := make([]string, 0, len(sim))
		for k := range sim {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		w.raw("<dt>Simulation</dt><dd>")
		for _, k := range keys {
			w.text(k + ": ")
			w.code(sim[k])
			w.raw(" ")
		}
		w.raw("</dd>")
	}
	if m.Collection > 0 {
		w.dt("Rule collection", fmt.Sprintf("document %d of a Sigma 1 rule collection", m.Collection))
	}
	for _, c := range m.Custom {
		w.el("dt", "", c.Name)
		w.raw("<dd>")
		w.code(c.Value)
		w.raw("</dd>")
	}
	w.raw("</dl>")

	if c := m.Correlation; c != nil {
		w.raw(`<h3>Correlation</h3><dl class="meta"><dt>Type</dt><dd>`)
		w.code(c.Type)
		w.raw("</dd><dt>Rules</dt><dd>")
		s.refLinks(w, r, c.Rules, "correlates")
		w.raw("</dd>")
		w.dtCodes("Group by", c.GroupBy)
		w.dt("Timespan", c.Timespan)
		if c.Field != "" {
			w.dtCodes("Field", []string{c.Field})
		}
		if len(c.Condition) > 0 {
			w.raw("<dt>Condition</dt><dd>")
			for _, a := range c.Condition {
				w.code(a.Name + " " + a.Value)
				w.raw(" ")
			}
			w.raw("</dd>")
		}
		w.dt("Generate", c.Generate)
		for _, al := range c.Aliases {
			w.raw("<dt>Alias ")
			w.code(al.Alias)
			w.raw("</dt><dd>")
			for i, f := range al.Fields {
				if i > 0 {
					w.raw("; ")
				}
				w.text(f.Name + ": ")
				w.code(f.Value)
			}
			w.raw("</dd>")
		}
		w.raw("</dl>")
	}
	if f := m.Filter; f != nil {
		w.raw("<h3>Filter</h3><p>Drops the events its condition matches from these rules: ")
		s.refLinks(w, r, f.Rules, "filters")
		w.raw("</p>")
	}
}

// refLinks writes the rules a correlation or filter names, each as
// written and linked through the rule's resolved links.
func (s *Site) refLinks(w hw, r *rule.Rule, written []string, relation string) {
	for i, ref := range written {
		if i > 0 {
			w.raw(", ")
		}
		var found *rule.Link
		for j := range r.Links {
			l := &r.Links[j]
			if l.Relation != relation || l.Slug == "" {
				continue
			}
			target := s.c.BySlug(l.Source, l.Slug)
			if l.ID == ref || (target != nil && target.Sigma != nil && target.Sigma.Name == ref) {
				found = l
				break
			}
		}
		if found == nil {
			w.code(ref)
			w.raw(` <span class="note">(not in the catalog)</span>`)
			continue
		}
		w.a(rootRule+"rules/"+found.Source+"/"+found.Slug+"/", found.Name)
		w.raw(" (")
		w.code(ref)
		w.raw(")")
	}
}

func (s *Site) elasticDetails(w hw, r *rule.Rule) {
	m := r.Elastic
	if m.Note != "" {
		w.raw(`<h3>Investigation guide</h3><div class="guide">`, (markdown(m.Note)), "</div>")
	}
	if m.Setup != "" {
		// Most setup guides open with their own "## Setup" heading.
		if first := strings.TrimSpace(strings.SplitN(strings.TrimSpace(m.Setup), "\n", 2)[0]); !strings.EqualFold(strings.TrimLeft(first, "# "), "setup") {
			w.raw("<h3>Setup</h3>")
		}
		w.raw(`<div class="guide">`, s.sharedMarkdown(m.Setup), "</div>")
	}
	if t := m.Threshold; t != nil {
		w.raw(`<h3>Threshold</h3><dl class="meta">`)
		w.dt("At least", fmt.Sprintf("%d events", t.Value))
		w.dtCodes("Grouped by", t.Field)
		for _, c := range t.Cardinality {
			w.raw("<dt>Distinct</dt><dd>at least ")
			w.int(c.Value)
			w.raw(" values of ")
			w.code(c.Field)
			w.raw("</dd>")
		}
		w.raw("</dl>")
	}
	if n := m.NewTerms; n != nil {
		w.raw(`<h3>New terms</h3><dl class="meta">`)
		w.dtCodes("Fields", n.Fields)
		w.dt("Not seen since", n.HistoryWindowStart)
		w.raw("</dl>")
	}
	if t := m.ThreatMatch; t != nil {
		w.raw(`<h3>Indicator match</h3><dl class="meta">`)
		w.dtCodes("Threat index", t.ThreatIndex)
		if t.ThreatQuery != "" {
			w.raw("<dt>Threat query</dt><dd>")
			w.code(t.ThreatQuery)
			w.raw("</dd>")
		}
		w.dt("Indicator path", t.ThreatIndicatorPath)
		for i, entry := range t.ThreatMapping {
			w.raw("<dt>Mapping ")
			w.int(i + 1)
			w.raw("</dt><dd>")
			for j, e := range entry {
				if j > 0 {
					w.raw(" and ")
				}
				w.code(e.Field)
				w.raw(" = ")
				w.code(e.Value)
			}
			w.raw("</dd>")
		}
		w.raw("</dl>")
	}
	if ml := m.MachineLearning; ml != nil {
		w.raw(`<h3>Machine learning</h3><dl class="meta">`)
		w.dtCodes("Jobs", ml.JobIDs)
		w.dt("Anomaly score at least", fmt.Sprint(ml.AnomalyThreshold))
		w.raw("</dl>")
	}
	w.raw(`<h3>Elastic</h3><dl class="meta">`)
	w.dt("Maturity", m.Maturity)
	w.dt("Rule type", m.RuleType)
	w.dtCodes("Index", m.Index)
	w.dt("Data view", m.DataViewID)
	w.dtCodes("Integrations", m.Integrations)
	if len(m.RelatedIntegrations) > 0 {
		var ris []string
		for _, ri := range m.RelatedIntegrations {
			x := ri.Package
			if ri.Integration != "" {
				x += "." + ri.Integration
			}
			if ri.Version != "" {
				x += " " + ri.Version
			}
			ris = append(ris, x)
		}
		w.dtCodes("Related integrations", ris)
	}
	if m.RiskScore > 0 {
		w.dt("Risk score", fmt.Sprint(m.RiskScore))
	}
	if m.BuildingBlockType != "" {
		w.dt("Building block", m.BuildingBlockType+": its alerts feed other rules and are hidden by default")
	}
	w.dt("Deprecated", m.DeprecationDate)
	w.dt("Minimum stack", strings.TrimSpace(m.MinStackVersion+" "+m.MinStackComments))
	w.dt("Schedule", schedule(m))
	if m.MaxSignals > 0 {
		w.dt("Max alerts", fmt.Sprint(m.MaxSignals))
	}
	w.dt("Timestamp override", m.TimestampOverride)
	w.dt("Rule name override", m.RuleNameOverride)
	w.dt("Timeline", m.TimelineTitle)
	w.dtCodes("Investigation fields", m.InvestigationFields)
	if len(m.RequiredFields) > 0 {
		var fs []string
		for _, f := range m.RequiredFields {
			fs = append(fs, f.Name+" ("+f.Type+")")
		}
		w.dtCodes("Required fields", fs)
	}
	for _, sm := range m.SeverityMapping {
		w.dt("Severity mapping", fmt.Sprintf("%s %s %s → %s", sm.Field, orEq(sm.Operator), sm.Value, sm.Severity))
	}
	for _, rm := range m.RiskScoreMapping {
		w.dt("Risk score mapping", fmt.Sprintf("%s %s %s → %d", rm.Field, orEq(rm.Operator), rm.Value, rm.RiskScore))
	}
	if sup := m.AlertSuppression; sup != nil {
		w.dt("Alert suppression", strings.TrimSpace(fmt.Sprintf("by %s %s %s", strings.Join(sup.GroupBy, ", "), sup.Duration, sup.MissingFieldsStrategy)))
	}
	for _, e := range m.ExceptionsList {
		w.dt("Exception list", strings.TrimSpace(e.ListID+" "+e.Type+" "+e.NamespaceType))
	}
	for _, f := range m.Filters {
		w.raw("<dt>Kibana filter</dt><dd>")
		w.code(f)
		w.raw("</dd>")
	}
	w.raw("</dl>")
	if t := m.Transform; t != nil {
		for _, o := range t.Osquery {
			w.raw("<h3>Osquery: ")
			w.text(o.Label)
			w.raw("</h3>")
			w.el("pre", "code", o.Query)
		}
		for _, inv := range t.Investigate {
			w.raw("<h3>Investigate: ")
			w.text(inv.Label)
			w.raw("</h3>")
			if inv.Description != "" {
				w.p("", inv.Description)
			}
			for _, prov := range inv.Providers {
				var terms []string
				for _, t := range prov {
					not := ""
					if t.Excluded {
						not = "NOT "
					}
					terms = append(terms, not+t.Field+": "+t.Value)
				}
				w.el("pre", "code", strings.Join(terms, " AND "))
			}
		}
	}
	if h := m.Hunt; h != nil {
		w.raw(`<h3>Hunt</h3><dl class="meta">`)
		w.dt("Languages", strings.Join(h.Languages, ", "))
		w.dtCodes("Integrations", h.Integrations)
		w.dtCodes("ATT&CK", h.Mitre)
		w.dt("License", h.License)
		w.raw("</dl>")
		if len(h.Notes) > 0 {
			w.raw("<h3>Notes</h3><ul>")
			for _, n := range h.Notes {
				w.raw("<li>", (markdown(n)), "</li>")
			}
			w.raw("</ul>")
		}
	}
}

func schedule(m *rule.ElasticMeta) string {
	var parts []string
	if m.Interval != "" {
		parts = append(parts, "every "+m.Interval)
	}
	if m.From != "" {
		parts = append(parts, "from "+m.From)
	}
	if m.To != "" {
		parts = append(parts, "to "+m.To)
	}
	return strings.Join(parts, ", ")
}

func orEq(op string) string {
	if op == "" {
		return "equals"
	}
	return op
}
