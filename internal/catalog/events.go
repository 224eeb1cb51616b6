package catalog

import (
	"ruledex/internal/events"
	"ruledex/internal/rule"
)

// ruleEvents lists the log events a rule needs, from what its source says
// about its data: ESCU data_source names, a Sigma logsource, Elastic index
// patterns and event.code predicates. Each event once.
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
	if r.Splunk != nil {
		for _, name := range r.DataSources {
			add(events.ForDataSource(name), name)
		}
	}
	if out == nil {
		out = []rule.EventRef{}
	}
	return out
}
