package match

import (
	"fmt"
	"strings"

	"ruledex/internal/match/events"
	"ruledex/internal/rule"
)

// planSplunk plans an ESCU (SPL) rule. The first stage selects events:
// tstats on a data model (read through the CIM table, mapping.go) or a raw
// search (every event, its own field names plus the add-ons' CIM
// aliases). The stages after it are followed in order:
//
//   - filters (search, where, regex) are evaluated; the empty filter macro
//     (a search with no tree) passes everything;
//   - rename, convert, fields, table, dedup, sort, bucket/bin, fillnull,
//     makemv, mvexpand and the other presentation stages change no
//     filtering result and are passed over (renames are applied to the
//     names later filters use);
//   - eval, rex and the aggregations (stats, eventstats, streamstats …)
//     compute fields: a later filter on a computed field (a stats count
//     threshold, an eval result) makes the rule not evaluable on single
//     events; aggregations whose results nothing filters on do not;
//   - lookups: the same, for the fields they output;
//   - joins, appends, subsearches and statistical models are not
//     evaluable.
func (e *Engine) planSplunk(r *rule.Rule) (*plan, string) {
	if len(r.Stages) == 0 {
		return nil, "the query has no stages (it did not parse)"
	}
	p := &plan{sem: semantics{negatedNeedsField: true}}
	src := r.Stages[0]
	var dm string
	switch {
	case src.Command == "tstats":
		dm = attr(src, "datamodel")
		if dm == "" {
			return nil, "tstats without a data model reads accelerated indexes, not events"
		}
		if _, ok := dataModels[strings.ToLower(dm)]; !ok {
			return nil, fmt.Sprintf("the CIM data model has no mapping from Windows events (%s; mapped: Endpoint.Processes, Endpoint.Registry, Endpoint.Filesystem, Network_Traffic, Network_Resolution)", dm)
		}
	case src.Role == rule.RoleSource && src.Command == "search":
	case src.Role == rule.RoleSource:
		return nil, fmt.Sprintf("the first stage does not read events: %s (`%s`)", roleReason(src), src.Command)
	default:
		return nil, fmt.Sprintf("the query does not start with a search (`%s`)", src.Command)
	}
	p.stages = append(p.stages, planStage{expr: src.Expr, rename: splunkName})

	computed := map[string]string{} // folded field → the stage that computes it
	unknown := ""                   // a stage computing fields we cannot name
	renames := map[string]string{}  // folded new name → old name
	var prefixRenames []string      // "Processes." as in rename Processes.* AS *
	for _, st := range r.Stages[1:] {
		switch st.Role {
		case rule.RoleJoin:
			return nil, fmt.Sprintf("the query combines several searches: join, append or subsearch (`%s`)", st.Command)
		case rule.RoleOutput:
			continue
		case rule.RoleFilter, rule.RoleSource:
			if st.Expr == nil {
				if st.Role == rule.RoleFilter && (st.Command == "search" || st.Command == "where") {
					continue // the empty filter macro
				}
				return nil, fmt.Sprintf("a filter has no expression tree (`%s`)", clip(st.Text, 60))
			}
			for _, pr := range rule.Predicates(st.Expr) {
				for _, name := range predFields(pr) {
					key := events.Fold(splunkName(name))
					if by, ok := computed[key]; ok {
						return nil, computedReason(by, name, st.Text)
					}
					if unknown != "" {
						return nil, fmt.Sprintf("a filter follows a stage that creates fields the matcher does not compute (%s before `%s`)", unknown, clip(st.Text, 60))
					}
				}
			}
			p.stages = append(p.stages, planStage{expr: st.Expr, rename: renamer(renames, prefixRenames)})
		case rule.RoleTransform:
			switch st.Command {
			case "rename":
				for _, pair := range splitTop(attr(st, "rename"), ',') {
					old, nu, ok := cutFold(pair, " AS ")
					if !ok {
						continue
					}
					old, nu = strings.Trim(strings.TrimSpace(old), `"`), strings.Trim(strings.TrimSpace(nu), `"`)
					if strings.HasSuffix(old, ".*") && nu == "*" {
						prefixRenames = append(prefixRenames, strings.TrimSuffix(old, "*"))
						continue
					}
					renames[events.Fold(nu)] = old
					delete(computed, events.Fold(nu))
				}
			case "eval":
				for _, a := range st.Attrs {
					computed[events.Fold(a.Name)] = "eval"
				}
			case "rex":
				for _, g := range regexGroups(attr(st, "args")) {
					computed[events.Fold(g)] = "rex"
				}
			case "convert", "fields", "table", "bucket", "bin", "fillnull", "makemv", "mvexpand", "dedup", "sort", "head", "tail", "reverse", "search":
			case "anomalydetection", "outlier", "apply", "cluster", "kmeans":
				return nil, fmt.Sprintf("the query applies a statistical model over many events (`%s`)", st.Command)
			default:
				if unknown == "" {
					unknown = st.Command
				}
			}
		case rule.RoleAggregate:
			for _, out := range aggregationNames(attr(st, "aggregations")) {
				computed[events.Fold(out)] = st.Command
			}
			if st.Command == "transaction" || st.Command == "timechart" || st.Command == "top" || st.Command == "rare" {
				computed["count"] = st.Command
				if unknown == "" {
					unknown = st.Command
				}
			}
		case rule.RoleLookup:
			outs := attr(st, "output")
			if outs == "" {
				if unknown == "" {
					unknown = st.Command + " (all lookup fields)"
				}
				continue
			}
			for _, o := range splitTop(outs, ',') {
				name := strings.TrimSpace(o)
				if _, nu, ok := cutFold(name, " AS "); ok {
					name = strings.TrimSpace(nu)
				}
				for _, w := range strings.Fields(name) {
					computed[events.Fold(w)] = "a lookup of " + attr(st, "lookup")
				}
			}
		default:
			return nil, fmt.Sprintf("a stage is not evaluable: %s (`%s`)", roleReason(st), st.Command)
		}
	}
	if dm != "" {
		d := dataModels[strings.ToLower(dm)]
		for _, kn := range d.kinds {
			p.bindings = append(p.bindings, e.splunkBinding(kindByName[kn], true))
		}
		return p, ""
	}
	for _, k := range kinds {
		p.bindings = append(p.bindings, e.splunkBinding(k, false))
	}
	p.bindings = append(p.bindings, e.splunkBinding(nil, false))
	return p, ""
}

func roleReason(st rule.Stage) string {
	switch st.Role {
	case rule.RoleLookup:
		return "it reads external data"
	case rule.RoleJoin:
		return "it combines searches"
	case rule.RoleAggregate:
		return "it aggregates over many events"
	}
	return string(st.Role)
}

// attr returns a stage attribute's value.
func attr(st rule.Stage, name string) string {
	for _, a := range st.Attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// predFields are the fields a predicate reads: its own and a referenced one.
func predFields(p *rule.Predicate) []string {
	out := []string{p.Field}
	for _, v := range p.Values {
		if v.Kind == rule.FieldRef {
			out = append(out, v.Value)
		}
	}
	return out
}

// dmObjects are the data model object prefixes field names carry.
var dmObjects = []string{"Processes.", "Registry.", "Filesystem.", "All_Traffic.", "DNS.", "Network_Resolution.", "Endpoint."}

// splunkName normalises an SPL field name: the data model object prefix
// goes (as drop_dm_object_name does) and multivalue braces ({}) too.
func splunkName(f string) string {
	for _, p := range dmObjects {
		if len(f) > len(p) && strings.EqualFold(f[:len(p)], p) {
			f = f[len(p):]
			break
		}
	}
	return strings.ReplaceAll(f, "{}", "")
}

// renamer maps a field name used after renames back to the name it had
// before them.
func renamer(renames map[string]string, prefixes []string) func(string) string {
	if len(renames) == 0 {
		return splunkName
	}
	m := make(map[string]string, len(renames))
	for k, v := range renames {
		m[k] = v
	}
	return func(f string) string {
		if old, ok := m[events.Fold(f)]; ok {
			f = old
		}
		return splunkName(f)
	}
}

// splunkBinding reads SPL fields in events of kind k (nil: events of no
// mapped kind). Data model searches read the CIM fields first; raw
// searches read the event's own fields first.
func (e *Engine) splunkBinding(k *eventKind, datamodel bool) *binding {
	var (
		b     *binding
		table map[string]derive
	)
	if k != nil {
		b = k.binding()
		table = foldKeys(cimTable[k.name])
	} else {
		b = &binding{}
		b.keys = []bkey{keyUnmapped, keyUnmappedWindows}
		b.label = "raw"
		b.gate = true // on the events that name no Windows channel
	}
	special := map[string]derive{
		"eventcode":  f("EventID"),
		"source":     fn("splunk_source", "Channel"),
		"sourcetype": fn("splunk_sourcetype", "Channel"),
		"host":       f("Computer"),
	}
	b.resolve = func(field string) access {
		key := events.Fold(field)
		if d, ok := special[key]; ok {
			return e.deriveAccess(k, d)
		}
		if d, ok := table[key]; ok {
			if datamodel || !isRawSysmonField(field) {
				return e.deriveAccess(k, d)
			}
		}
		return e.fieldSlot(field)
	}
	return b
}

// isRawSysmonField reports whether a raw search's field is one of the
// Windows event's own (which wins over a CIM alias of the same name).
func isRawSysmonField(f string) bool {
	return len(f) > 0 && f[0] >= 'A' && f[0] <= 'Z'
}

func foldKeys(m map[string]derive) map[string]derive {
	out := make(map[string]derive, len(m))
	for k, v := range m {
		out[events.Fold(k)] = v
	}
	return out
}

// splitTop splits s at sep outside parentheses and quotes.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// cutFold cuts s around sep, matching sep case-insensitively.
func cutFold(s, sep string) (string, string, bool) {
	i := strings.Index(strings.ToLower(s), strings.ToLower(sep))
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// aggregationNames are the fields an aggregation list creates:
// "count, min(_time) as firstTime, dc(user)" → count, firstTime, dc(user).
func aggregationNames(aggs string) []string {
	var out []string
	for _, a := range splitTop(aggs, ',') {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if _, as, ok := cutFold(a, " as "); ok {
			out = append(out, strings.TrimSpace(as))
			continue
		}
		out = append(out, a)
	}
	return out
}

// regexGroups are the named groups of a rex pattern: (?<name>…), (?P<name>…).
func regexGroups(pat string) []string {
	var out []string
	for i := 0; i+3 < len(pat); i++ {
		if pat[i] != '(' || pat[i+1] != '?' {
			continue
		}
		j := i + 2
		if pat[j] == 'P' {
			j++
		}
		if j >= len(pat) || pat[j] != '<' {
			continue
		}
		end := strings.IndexByte(pat[j:], '>')
		if end < 0 {
			continue
		}
		name := pat[j+1 : j+end]
		if name != "" && name[0] != '=' && name[0] != '!' {
			out = append(out, name)
		}
	}
	return out
}

// computedReason says that a filter tests a computed field.
func computedReason(by, field, text string) string {
	if strings.HasPrefix(by, "a lookup of ") {
		return fmt.Sprintf("a filter tests a field that a lookup outputs (%s from %s in `%s`)", field, strings.TrimPrefix(by, "a lookup of "), clip(text, 60))
	}
	return fmt.Sprintf("a filter tests a field that %s computes (%s in `%s`)", by, field, clip(text, 60))
}
