package catalog

import (
	"strings"

	"ruledex/internal/events"
	"ruledex/internal/rule"
)

// ruleEvents lists the log events a rule needs, from what its source says
// about its data: ESCU data_source names, a Sigma logsource narrowed by the
// EventID/Provider/Channel values its tree tests, Elastic index patterns
// and event.* values. Each event once.
func ruleEvents(r *rule.Rule) ([]rule.EventRef, []string) {
	var needs []string
	var out []rule.EventRef
	type key struct {
		channel, provider string
		id                int
	}
	seen := map[key]bool{}
	add := func(evs []events.Event, via string) {
		for _, e := range evs {
			k := key{e.Channel, e.Provider, e.ID}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, e.Ref(via))
		}
	}
	switch {
	case r.Splunk != nil:
		for _, name := range r.DataSources {
			add(events.ForDataSource(name), name)
		}
	case r.Sigma != nil:
		ls := r.Sigma.Logsource
		values := positiveValues(r, "EventID", "Provider_Name", "Channel")
		add(events.ForSigmaRule(ls.Product, ls.Category, ls.Service, values), logsourceLabel(ls))
	case r.Elastic != nil:
		evs, descs := events.ForElastic(elasticIndexes(r), elasticIntegrations(r), elasticValues(r))
		add(evs, elasticVia(r))
		needs = descs
	}
	if out == nil {
		out = []rule.EventRef{}
	}
	return out, needs
}

// elasticFields are the ECS fields whose tested values say which data an
// Elastic rule reads.
var elasticFields = []string{"event.code", "event.category", "event.type", "event.action", "event.dataset",
	"data_stream.dataset", "event.provider", "winlog.channel", "winlog.provider_name"}

// elasticValues collects the rule's positive tests of elasticFields, and
// the event category of each EQL event query ("process where" tests
// event.category process).
func elasticValues(r *rule.Rule) map[string][]string {
	values := positiveValues(r, elasticFields...)
	if r.Language == "eql" {
		for _, st := range r.Stages {
			cat := ""
			switch {
			case strings.HasSuffix(st.Command, " where"):
				cat = strings.TrimSuffix(st.Command, " where")
			case strings.HasPrefix(st.Command, "sequence step"), strings.HasPrefix(st.Command, "sample step"):
				cat = st.Label
			}
			if cat != "" && cat != "any" {
				values["event.category"] = append(values["event.category"], cat)
			}
		}
	}
	return values
}

func elasticIndexes(r *rule.Rule) []string {
	return r.Elastic.Index
}

// elasticIntegrations gathers the integrations a rule names: its metadata,
// its related integrations, and a hunt's own list.
func elasticIntegrations(r *rule.Rule) []string {
	m := r.Elastic
	out := append([]string(nil), m.Integrations...)
	for _, ri := range m.RelatedIntegrations {
		out = append(out, ri.Package)
		if ri.Integration != "" {
			out = append(out, ri.Package+"."+ri.Integration)
		}
	}
	if m.Hunt != nil {
		out = append(out, m.Hunt.Integrations...)
	}
	return out
}

func elasticVia(r *rule.Rule) string {
	if len(r.Elastic.Index) > 0 {
		return strings.Join(r.Elastic.Index, ", ")
	}
	return strings.Join(elasticIntegrations(r), ", ")
}

// logsourceLabel renders a Sigma logsource the way rules write it.
func logsourceLabel(ls rule.SigmaLogsource) string {
	s := ""
	for _, part := range []struct{ k, v string }{{"product", ls.Product}, {"category", ls.Category}, {"service", ls.Service}} {
		if part.v == "" {
			continue
		}
		if s != "" {
			s += " "
		}
		s += part.k + ": " + part.v
	}
	return s
}

// positiveValues collects, from a rule's expression trees, the eq values
// tested on the named fields outside any negation: the event ids, channels
// and providers the rule asks for. Negated tests narrow nothing.
func positiveValues(r *rule.Rule, fields ...string) map[string][]string {
	want := map[string]bool{}
	for _, f := range fields {
		want[f] = true
	}
	out := map[string][]string{}
	for _, st := range r.Stages {
		rule.Walk(st.Expr, func(e rule.Expr, nots int) bool {
			p, ok := e.(*rule.Predicate)
			if !ok || nots%2 == 1 || p.Negated || p.Func != "" || !want[p.Field] {
				return true
			}
			for _, v := range p.Values {
				if v.Kind == rule.Eq {
					out[p.Field] = append(out[p.Field], v.Value)
				}
			}
			return true
		})
	}
	return out
}
