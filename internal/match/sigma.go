package match

import (
	"fmt"
	"strconv"
	"strings"

	evcat "ruledex/internal/events"
	"ruledex/internal/rule"
)

// planSigma plans a Sigma detection rule: all its condition stages must
// hold, on the events of its logsource.
//
// The logsource becomes event conditions through
// events.LogsourceConditions (the table in internal/events/sigma.go): a
// windows category reads fixed channels and event ids (process_creation:
// Sysmon 1, and Security 4688 with its fields renamed), a windows service
// reads its channel, product windows alone reads every Windows event.
// Other products (linux, macos, cloud, network devices, web servers) have
// no Windows channel: their rules read the events that name no Windows
// channel or provider and have at least one of the fields the rule tests
// (an event that has nothing the rule looks at is not from its log
// source, and a condition like "not selection" must not fire on it).
func (e *Engine) planSigma(r *rule.Rule) (*plan, string) {
	if len(r.Stages) == 0 {
		return nil, "the rule has no detection stages (its detection did not parse)"
	}
	p := &plan{sem: semantics{existsCountsNull: true}}
	for _, st := range r.Stages {
		if st.Role == rule.RoleAggregate {
			return nil, fmt.Sprintf("the condition uses the deprecated aggregation (`%s`), which counts over many events; rewrite it as a correlation rule", clip(st.Text, 60))
		}
		if st.Expr == nil {
			return nil, fmt.Sprintf("a condition has no expression tree (`%s`)", clip(st.Text, 60))
		}
		p.stages = append(p.stages, planStage{expr: st.Expr})
	}
	var ls rule.SigmaLogsource
	if r.Sigma != nil {
		ls = r.Sigma.Logsource
	}
	p.bindings = e.sigmaBindings(ls)
	return p, ""
}

// sigmaBindings turns a logsource into bindings.
func (e *Engine) sigmaBindings(ls rule.SigmaLogsource) []*binding {
	conds := evcat.LogsourceConditions(ls.Product, ls.Category, ls.Service)
	var parts []string
	for _, p := range []string{ls.Product, ls.Category, ls.Service} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	label := "logsource " + strings.Join(parts, "/")
	if len(parts) == 0 {
		label = "no logsource"
	}
	if len(conds) == 0 {
		return []*binding{{keys: []bkey{keyOther}, label: label, resolve: e.fieldSlot, gate: true}}
	}
	out := make([]*binding, 0, len(conds))
	for _, c := range conds {
		c := c
		b := &binding{provider: c.Provider, label: label, channel: c.Channel}
		switch {
		case c.Channel == "" && len(c.EventIDs) == 0:
			b.keys = []bkey{keyWindows}
		case c.Channel == "":
			// A provider without a channel (ETW): any Windows event of it.
			b.keys = []bkey{keyWindows}
		case len(c.EventIDs) == 0:
			b.keys = []bkey{keyChannel(c.Channel)}
		default:
			for _, id := range c.EventIDs {
				b.keys = append(b.keys, keyExact(c.Channel, id))
				if strings.EqualFold(c.Channel, sysmonChannel) {
					// Flat Sysmon exports may lack the channel.
					b.keys = append(b.keys, keyExact("", id))
				}
			}
		}
		b.resolve = e.sigmaResolver(c)
		out = append(out, b)
	}
	return out
}

// sigmaResolver reads a rule field in events of one condition, renamed by
// the condition's field map (Security 4688).
func (e *Engine) sigmaResolver(c evcat.Condition) func(string) access {
	return func(field string) access {
		return e.fieldSlot(c.EventField(field))
	}
}

func joinInts(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ",")
}

// applyFilters adds each Sigma filter's tree (the events that pass it) to
// the rules it names, as the filters specification prescribes.
func (e *Engine) applyFilters(filters []*rule.Rule, byRef map[string][]*compiledRule, plans map[*compiledRule]*plan) {
	for _, f := range filters {
		var stages []planStage
		for _, st := range f.Stages {
			if st.Expr != nil {
				stages = append(stages, planStage{expr: st.Expr, filter: true})
			}
		}
		if len(stages) == 0 {
			e.skip(f, "the filter has no evaluable condition")
			continue
		}
		applied := 0
		for _, ref := range f.Sigma.Filter.Rules {
			for _, cr := range byRef[ref] {
				if p := plans[cr]; p != nil {
					p.stages = append(p.stages, stages...)
					applied++
				}
			}
		}
		if applied == 0 {
			e.skip(f, "the filter names no loaded rule")
			continue
		}
		e.filters++
	}
}
