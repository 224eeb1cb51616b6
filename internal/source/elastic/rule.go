package elastic

import (
	"fmt"
	"strconv"
	"strings"

	"ruledex/internal/rule"
)

// buildRule turns a decoded detection rule into a rule.Rule.
func buildRule(rel, body string, f *tomlFile) *rule.Rule {
	tr, md := f.Rule, &f.Metadata
	r := &rule.Rule{
		ID:             tr.RuleID,
		Name:           tr.Name,
		Path:           rel,
		Line:           1,
		Description:    strings.TrimSpace(tr.Description),
		Language:       language(tr.Language),
		Type:           tr.Type,
		Status:         md.Maturity,
		Deprecated:     md.Maturity == "deprecated" || strings.Contains("/"+rel, "/_deprecated/"),
		Author:         strings.Join(tr.Author, ", "),
		Created:        date(md.CreationDate),
		Modified:       date(md.UpdatedDate),
		Severity:       tr.Severity,
		References:     tr.References,
		FalsePositives: trimAll(tr.FalsePositives),
		Tags:           tr.Tags,
		Query:          tr.Query,
		AttackRefs:     threatRefs(tr.Threat),
		Body:           body,
	}
	if tr.Version > 0 {
		r.Version = strconv.Itoa(tr.Version)
	}
	if r.ID == "" {
		r.ID = rel
		r.AddProblem(0, "the rule has no rule_id; add one (a UUID) to [rule]")
		r.Problems[len(r.Problems)-1].Kind = "load"
	}
	if r.Name == "" {
		r.Name = strings.TrimSuffix(pathBase(rel), ".toml")
	}
	r.Elastic = meta(f)
	r.Stages = ruleStages(r, body, tr)
	r.DataSources = dataSources(r)
	return r
}

// language maps the TOML's language to ruledex's names.
func language(l string) string {
	switch strings.ToLower(l) {
	case "kuery", "kql":
		return "kql"
	case "es|ql", "esql":
		return "esql"
	case "":
		return ""
	}
	return strings.ToLower(l)
}

// date writes detection-rules' "2024/05/29" as 2024-05-29.
func date(s string) string {
	if len(s) == 10 && s[4] == '/' && s[7] == '/' {
		return s[:4] + "-" + s[5:7] + "-" + s[8:]
	}
	return s
}

func trimAll(ss []string) []string {
	for i, s := range ss {
		ss[i] = strings.TrimSpace(s)
	}
	return ss
}

func pathBase(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[i+1:]
	}
	return rel
}

// threatRefs lists the [[rule.threat]] mappings: every technique and
// sub-technique tied to its tactic, and a tactic without techniques on
// its own.
func threatRefs(threats []tomlThreat) []rule.AttackRef {
	var refs []rule.AttackRef
	for _, t := range threats {
		tactic := strings.TrimSpace(t.Tactic.ID)
		if tactic == "" {
			tactic = strings.TrimSpace(t.Tactic.Name)
		}
		if len(t.Technique) == 0 && tactic != "" {
			refs = append(refs, rule.AttackRef{ID: strings.ToUpper(tactic), Kind: "tactic", Written: tactic})
			continue
		}
		for _, tech := range t.Technique {
			refs = append(refs, techniqueRef(tech.ID, tactic))
			for _, sub := range tech.Subtechnique {
				refs = append(refs, techniqueRef(sub.ID, tactic))
			}
		}
	}
	return refs
}

func techniqueRef(id, tactic string) rule.AttackRef {
	id = strings.TrimSpace(id)
	return rule.AttackRef{ID: strings.ToUpper(id), Kind: "technique", Written: id, Tactic: tactic}
}

// meta collects what the rule says beyond rule.Rule's common fields.
func meta(f *tomlFile) *rule.ElasticMeta {
	tr, md := f.Rule, &f.Metadata
	m := &rule.ElasticMeta{
		Maturity:              md.Maturity,
		CreationDate:          md.CreationDate,
		UpdatedDate:           md.UpdatedDate,
		DeprecationDate:       md.DeprecationDate,
		DeprecatedReason:      md.DeprecatedReason,
		Integrations:          md.Integration,
		MinStackVersion:       md.MinStackVersion,
		MinStackComments:      md.MinStackComments,
		QuerySchemaValidation: md.QuerySchemaValidation,
		BypassBBRTiming:       md.BypassBBRTiming,
		Promotion:             md.Promotion,

		RuleType:                          tr.Type,
		Index:                             tr.Index,
		DataViewID:                        tr.DataViewID,
		RiskScore:                         tr.RiskScore,
		BuildingBlockType:                 tr.BuildingBlockType,
		License:                           tr.License,
		Note:                              tr.Note,
		Setup:                             tr.Setup,
		Interval:                          tr.Interval,
		From:                              tr.From,
		To:                                tr.To,
		MaxSignals:                        tr.MaxSignals,
		Enabled:                           tr.Enabled,
		TimestampOverride:                 tr.TimestampOverride,
		TimestampOverrideFallbackDisabled: tr.TimestampOverrideFallbackDisabled,
		EventCategoryOverride:             tr.EventCategoryOverride,
		TiebreakerField:                   tr.TiebreakerField,
		RuleNameOverride:                  tr.RuleNameOverride,
		TimelineID:                        tr.TimelineID,
		TimelineTitle:                     tr.TimelineTitle,
	}
	if tr.InvestigationFields != nil {
		m.InvestigationFields = tr.InvestigationFields.FieldNames
	}
	for _, x := range tr.RequiredFields {
		m.RequiredFields = append(m.RequiredFields, rule.ElasticField{Name: x.Name, Type: x.Type, ECS: x.ECS})
	}
	for _, x := range tr.RelatedIntegrations {
		m.RelatedIntegrations = append(m.RelatedIntegrations, rule.ElasticIntegration{Package: x.Package, Integration: x.Integration, Version: x.Version})
	}
	for _, x := range tr.SeverityMapping {
		m.SeverityMapping = append(m.SeverityMapping, rule.ElasticMapping{Field: x.Field, Operator: x.Operator, Value: text(x.Value), Severity: x.Severity})
	}
	for _, x := range tr.RiskScoreMapping {
		m.RiskScoreMapping = append(m.RiskScoreMapping, rule.ElasticMapping{Field: x.Field, Operator: x.Operator, Value: text(x.Value), RiskScore: x.RiskScore})
	}
	for _, x := range tr.ExceptionsList {
		m.ExceptionsList = append(m.ExceptionsList, rule.ElasticException{ID: x.ID, ListID: x.ListID, NamespaceType: x.NamespaceType, Type: x.Type})
	}
	if s := tr.AlertSuppression; s != nil {
		as := &rule.ElasticSuppression{GroupBy: s.GroupBy, MissingFieldsStrategy: s.MissingFieldsStrategy}
		if s.Duration != nil {
			as.Duration = fmt.Sprintf("%d%s", s.Duration.Value, s.Duration.Unit)
		}
		m.AlertSuppression = as
	}
	if t := tr.Threshold; t != nil {
		th := &rule.ElasticThreshold{Field: t.Field, Value: t.Value}
		for _, c := range t.Cardinality {
			th.Cardinality = append(th.Cardinality, rule.ElasticCardinality{Field: c.Field, Value: c.Value})
		}
		m.Threshold = th
	}
	if nt := tr.NewTerms; nt != nil {
		n := &rule.ElasticNewTerms{Fields: nt.Value}
		for _, h := range nt.HistoryWindowStart {
			n.HistoryWindowStart = h.Value
		}
		m.NewTerms = n
	}
	if tr.ThreatQuery != "" || len(tr.ThreatIndex) > 0 || len(tr.ThreatMapping) > 0 {
		tm := &rule.ElasticThreatMatch{ThreatIndex: tr.ThreatIndex, ThreatQuery: tr.ThreatQuery,
			ThreatLanguage: tr.ThreatLanguage, ThreatIndicatorPath: tr.ThreatIndicatorPath}
		for _, mp := range tr.ThreatMapping {
			var entries []rule.ElasticThreatEntry
			for _, e := range mp.Entries {
				entries = append(entries, rule.ElasticThreatEntry{Field: e.Field, Type: e.Type, Value: e.Value})
			}
			tm.ThreatMapping = append(tm.ThreatMapping, entries)
		}
		for _, tf := range tr.ThreatFilters {
			tm.ThreatFilters = append(tm.ThreatFilters, toJSON(tf))
		}
		m.ThreatMatch = tm
	}
	if len(tr.MachineLearningJobID) > 0 || tr.Type == "machine_learning" {
		m.MachineLearning = &rule.ElasticML{JobIDs: tr.MachineLearningJobID, AnomalyThreshold: tr.AnomalyThreshold}
	}
	for _, fl := range tr.Filters {
		m.Filters = append(m.Filters, toJSON(fl))
	}
	m.Transform = transform(f.Transform)
	return m
}

func transform(t *tomlTransform) *rule.ElasticTransform {
	if t == nil || len(t.Osquery) == 0 && len(t.Investigate) == 0 {
		return nil
	}
	out := &rule.ElasticTransform{}
	for _, o := range t.Osquery {
		out.Osquery = append(out.Osquery, rule.ElasticOsquery{Label: o.Label, Query: o.Query})
	}
	for _, inv := range t.Investigate {
		x := rule.ElasticInvestigate{Label: inv.Label, Description: inv.Description,
			RelativeFrom: inv.RelativeFrom, RelativeTo: inv.RelativeTo}
		for _, prov := range inv.Providers {
			var terms []rule.ElasticInvestigateTerm
			for _, p := range prov {
				terms = append(terms, rule.ElasticInvestigateTerm{Field: p.Field, Value: text(p.Value),
					QueryType: p.QueryType, ValueType: p.ValueType, Excluded: p.Excluded})
			}
			x.Providers = append(x.Providers, terms)
		}
		out.Investigate = append(out.Investigate, x)
	}
	return out
}

// dataSources are the index patterns the rule searches (the FROM of an
// ES|QL query when the rule has no index) followed by its integrations.
func dataSources(r *rule.Rule) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	m := r.Elastic
	if len(m.Index) == 0 {
		for _, st := range r.Stages {
			if st.Command != "FROM" && st.Command != "TS" {
				continue
			}
			for _, a := range st.Attrs {
				if a.Name == "index" {
					for _, ix := range strings.Split(a.Value, ",") {
						m.Index = append(m.Index, strings.TrimSpace(ix))
					}
				}
			}
		}
	}
	for _, ix := range m.Index {
		add(ix)
	}
	if m.DataViewID != "" {
		add("data view " + m.DataViewID)
	}
	for _, in := range m.Integrations {
		add(in)
	}
	return out
}
