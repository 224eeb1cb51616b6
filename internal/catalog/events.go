package catalog

import (
	"ruledex/internal/events"
	"ruledex/internal/rule"
)

// ruleEvents lists the log events a rule needs, from what its source says
// about its data: ESCU data_source names, a Sigma logsource narrowed by the
// EventID/Provider/Channel values its tree tests, Elastic index patterns
// and event.* values. Each event once.
func ruleEvents(r *rule.Rule) []rule.EventRef {
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
	}
	if out == nil {
		out = []rule.EventRef{}
	}
	return out
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
