package sigma

import (
	"strings"

	"go.yaml.in/yaml/v3"

	sigmalang "ruledex/internal/lang/sigma"
	"ruledex/internal/rule"
)

// correlationTypes are the correlation types of the correlation rules
// specification (2.0: event_count, value_count, temporal, temporal_ordered;
// later drafts add the value aggregations).
var correlationTypes = map[string]bool{
	"event_count": true, "value_count": true, "temporal": true, "temporal_ordered": true,
	"value_sum": true, "value_avg": true, "value_percentile": true, "value_median": true,
}

// readCorrelation reads a correlation rule's section into SigmaMeta and its
// one aggregate stage. The rules it references are linked after all files
// are read.
func readCorrelation(r *rule.Rule, meta *rule.SigmaMeta, m *yaml.Node) {
	key := getKey(m, "correlation")
	n := get(m, "correlation")
	c := &rule.SigmaCorrelation{}
	meta.Correlation = c
	problem := func(format string, args ...any) {
		p := rule.Problemf(key.Line, format, args...)
		p.Kind = "parse"
		r.Problems = append(r.Problems, p)
	}
	if n.Kind != yaml.MappingNode {
		problem("the correlation section must be a map with type, rules, group-by, timespan and condition")
		return
	}
	c.Type = str(get(n, "type"))
	c.Rules = strs(get(n, "rules"))
	c.GroupBy = strs(get(n, "group-by"))
	c.Timespan = str(get(n, "timespan"))
	if c.Timespan == "" {
		c.Timespan = str(get(n, "timeframe")) // early drafts
	}
	c.Generate = str(get(n, "generate"))
	if c.Generate == "" {
		c.Generate = str(get(m, "generate"))
	}
	if cond := get(n, "condition"); cond != nil {
		if cond.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(cond.Content); i += 2 {
				k, v := cond.Content[i].Value, str(cond.Content[i+1])
				if k == "field" {
					c.Field = v
					continue
				}
				c.Condition = append(c.Condition, rule.Attr{Name: k, Value: v})
			}
		} else {
			problem("the correlation condition must be a map such as `gte: 100`")
		}
	}
	if al := get(n, "aliases"); al != nil && al.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(al.Content); i += 2 {
			fa := rule.SigmaFieldAlias{Alias: al.Content[i].Value}
			if fm := deref(al.Content[i+1]); fm != nil && fm.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(fm.Content); j += 2 {
					fa.Fields = append(fa.Fields, rule.Attr{Name: fm.Content[j].Value, Value: str(fm.Content[j+1])})
				}
			}
			c.Aliases = append(c.Aliases, fa)
		}
	}

	switch {
	case c.Type == "":
		problem("the correlation has no type; use event_count, value_count, temporal or temporal_ordered")
	case !correlationTypes[c.Type]:
		problem("unknown correlation type `%s`; use event_count, value_count, temporal or temporal_ordered", c.Type)
	}
	if len(c.Rules) == 0 {
		problem("the correlation names no rules; list their ids or names under `rules:`")
	}
	if c.Timespan == "" {
		problem("the correlation has no timespan; add e.g. `timespan: 1h`")
	}
	if c.Type == "event_count" || strings.HasPrefix(c.Type, "value_") {
		if len(c.Condition) == 0 {
			problem("a %s correlation needs a condition such as `gte: 100`", c.Type)
		}
		if c.Type != "event_count" && c.Field == "" {
			problem("a %s correlation needs `field:` in its condition", c.Type)
		}
	}

	st := rule.Stage{Index: 1, Command: "correlation", Label: c.Type, Text: r.Query,
		Role: rule.RoleAggregate, Line: key.Line}
	st.Attrs = append(st.Attrs, rule.Attr{Name: "type", Value: c.Type})
	st.Attrs = append(st.Attrs, rule.Attr{Name: "rules", Value: strings.Join(c.Rules, ", ")})
	if len(c.GroupBy) > 0 {
		st.Attrs = append(st.Attrs, rule.Attr{Name: "group-by", Value: strings.Join(c.GroupBy, ", ")})
	}
	if c.Timespan != "" {
		st.Attrs = append(st.Attrs, rule.Attr{Name: "timespan", Value: c.Timespan})
	}
	if cond := correlationCondition(c); cond != "" {
		st.Attrs = append(st.Attrs, rule.Attr{Name: "condition", Value: cond})
	}
	if c.Generate != "" {
		st.Attrs = append(st.Attrs, rule.Attr{Name: "generate", Value: c.Generate})
	}
	for _, a := range c.Aliases {
		var parts []string
		for _, f := range a.Fields {
			parts = append(parts, f.Name+": "+f.Value)
		}
		st.Attrs = append(st.Attrs, rule.Attr{Name: "alias " + a.Alias, Value: strings.Join(parts, ", ")})
	}
	r.Stages = []rule.Stage{st}
}

// correlationCondition renders the condition: "count(User) gte 100".
func correlationCondition(c *rule.SigmaCorrelation) string {
	var parts []string
	for _, a := range c.Condition {
		parts = append(parts, a.Name+" "+a.Value)
	}
	s := strings.Join(parts, " and ")
	if c.Field != "" && s != "" {
		s = "field " + c.Field + ": " + s
	}
	return s
}

// readFilter reads a Sigma filter: the rules it applies to and its
// detection (selection and condition). Per the specification (and
// pySigma) the filter's condition is added as written, with AND, to the
// condition of every rule it names: an exclusion is written
// `condition: not selection`. Its stage's tree is that condition.
func readFilter(r *rule.Rule, meta *rule.SigmaMeta, n, key *yaml.Node) {
	f := &rule.SigmaFilter{}
	meta.Filter = f
	if n.Kind != yaml.MappingNode {
		r.Problems = append(r.Problems, rule.Problem{Line: key.Line, Kind: "parse",
			Message: "the filter section must be a map with rules, selections and a condition"})
		return
	}
	f.Rules = strs(get(n, "rules"))
	if len(f.Rules) == 0 {
		r.Problems = append(r.Problems, rule.Problem{Line: key.Line, Kind: "parse",
			Message: "the filter names no rules; list the ids or names of the rules it applies to under `rules:`"})
	}
	d, problems := sigmalang.ParseDetection(without(n, "rules"))
	r.Problems = append(r.Problems, problems...)
	var terms []rule.Expr
	var text []string
	line := key.Line
	for _, st := range d.Stages() {
		terms = append(terms, st.Expr)
	}
	for _, c := range d.Conditions {
		text = append(text, c.Text)
		line = c.Line
	}
	cond := strings.Join(text, " or ")
	st := rule.Stage{Index: 1, Command: "filter", Label: cond, Text: cond,
		Expr: rule.NewAnd(terms...), Role: rule.RoleFilter, Line: line}
	st.Attrs = []rule.Attr{{Name: "rules", Value: strings.Join(f.Rules, ", ")}}
	r.Stages = []rule.Stage{st}
}
