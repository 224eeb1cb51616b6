package match

import (
	"fmt"
	"strings"

	"ruledex/internal/match/events"
	"ruledex/internal/rule"
)

// planElastic plans an Elastic rule (KQL, Lucene, EQL or ES|QL): its
// filters on single events, read through the ECS table (mapping.go) on
// the Windows kinds it maps and as written on other events. Threshold,
// new_terms, EQL sequences and samples, ES|QL STATS that a later WHERE
// tests, machine learning and indicator-match rules aggregate or look up
// and are not evaluable.
func (e *Engine) planElastic(r *rule.Rule) (*plan, string) {
	if r.Elastic != nil {
		switch t := r.Elastic.RuleType; t {
		case "machine_learning":
			return nil, "a machine learning job decides this rule, not a query"
		case "threat_match":
			return nil, "an indicator match rule looks up threat indicators (external data)"
		case "threshold":
			return nil, "a threshold rule counts events per group over time"
		case "new_terms":
			return nil, "a new_terms rule compares with values seen in a history window"
		}
	}
	if len(r.Stages) == 0 {
		return nil, "the rule has no query stages (it did not parse)"
	}
	p := &plan{}
	pendingCompute := "" // an ES|QL stage computing values a later WHERE may test
	for _, st := range r.Stages {
		switch {
		case st.Role == rule.RoleAggregate:
			switch st.Command {
			case "sequence", "sample", "join":
				return nil, fmt.Sprintf("an EQL %s correlates several events (%s)", st.Command, st.Command)
			case "threshold", "new_terms":
				return nil, fmt.Sprintf("the query aggregates over many events (`%s`)", st.Command)
			}
			if pendingCompute == "" {
				pendingCompute = st.Command
			}
		case st.Role == rule.RoleJoin:
			return nil, fmt.Sprintf("the query combines several searches (`%s`)", st.Command)
		case st.Role == rule.RoleLookup:
			if pendingCompute == "" {
				pendingCompute = st.Command
			}
		case st.Role == rule.RoleOutput:
		case st.Role == rule.RoleTransform:
			switch st.Command {
			case "KEEP", "DROP", "SORT", "LIMIT", "MV_EXPAND":
			default:
				if pendingCompute == "" {
					pendingCompute = st.Command
				}
			}
		case st.Role == rule.RoleSource || st.Role == rule.RoleFilter:
			switch st.Command {
			case "SQL":
				return nil, "SQL queries (osquery) are not evaluable"
			case "FROM":
				continue
			}
			if pendingCompute != "" && st.Expr != nil {
				return nil, fmt.Sprintf("a filter tests values that %s computes (`%s`)", pendingCompute, clip(st.Text, 60))
			}
			expr := st.Expr
			if strings.HasSuffix(st.Command, " where") && st.Label != "" && st.Label != "any" {
				// An EQL event query: the category is a condition on
				// event.category.
				cat := &rule.Predicate{Field: "event.category", Op: "where", Values: []rule.Value{{Kind: rule.Eq, Value: st.Label}}}
				expr = rule.NewAnd(cat, expr)
			}
			if expr == nil {
				continue
			}
			p.stages = append(p.stages, planStage{expr: expr})
		default:
			return nil, stageReason(st)
		}
	}
	if len(p.stages) == 0 {
		return nil, "the query has no condition on events"
	}
	for _, k := range kinds {
		if _, ok := ecsTable[k.name]; ok {
			p.bindings = append(p.bindings, e.ecsBinding(k, true))
		}
	}
	p.bindings = append(p.bindings, e.ecsBinding(nil, true), e.ecsBinding(nil, false))
	return p, ""
}

// ecsGeneric are the ECS fields of events of no mapped kind: the event's
// own when it has them (ECS JSON), else the Windows field.
var ecsGeneric = map[string]derive{
	"event.code":           f("event.code", "EventID"),
	"event.provider":       f("event.provider", "Provider_Name"),
	"host.name":            f("host.name", "Computer"),
	"winlog.channel":       f("winlog.channel", "Channel"),
	"winlog.event_id":      f("winlog.event_id", "EventID"),
	"winlog.provider_name": f("winlog.provider_name", "Provider_Name"),
	"winlog.computer_name": f("winlog.computer_name", "Computer"),
}

// ecsBinding reads ECS fields in events of kind k (nil: events of no
// mapped kind, read as written; on Windows events with host.os.type and
// the winlog fields added).
func (e *Engine) ecsBinding(k *eventKind, windows bool) *binding {
	var (
		b     *binding
		table map[string]derive
	)
	if k != nil {
		b = k.binding()
		table = foldKeys(ecsTable[k.name])
	} else {
		b = &binding{}
		b.keys = []bkey{keyUnmapped}
		b.label = "ecs"
		b.gate = !windows
		table = foldKeys(ecsGeneric)
		if windows {
			b.keys = []bkey{keyUnmappedWindows}
			table["host.os.type"] = derive{value: []string{"windows"}}
			table["host.os.family"] = derive{value: []string{"windows"}}
		}
	}
	b.resolve = func(field string) access {
		field = strings.TrimPrefix(field, "?")
		key := events.Fold(field)
		if d, ok := table[key]; ok {
			return e.deriveAccess(k, d)
		}
		for _, p := range []string{"winlog.event_data.", "winlog.user_data."} {
			if strings.HasPrefix(key, p) {
				// The Windows field by its short name, which both EVTX
				// dumps and Winlogbeat documents give it.
				return e.fieldSlot(field[len(p):])
			}
		}
		return e.fieldSlot(field)
	}
	return b
}

// stageReason says why a stage the plan does not know stops evaluation.
func stageReason(st rule.Stage) string {
	if st.Role == rule.RoleOther && st.Expr == nil {
		return fmt.Sprintf("the query does not parse (`%s`; see the rule's problems)", clip(st.Text, 40))
	}
	return fmt.Sprintf("a stage is not evaluable: %s (`%s`)", st.Role, st.Command)
}
