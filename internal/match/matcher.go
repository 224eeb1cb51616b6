package match

import (
	"fmt"
	"slices"
	"strings"

	"ruledex/internal/match/events"
)

// Matcher evaluates the engine's rules on one event at a time. Each
// goroutine needs its own; they share the Engine.
type Matcher struct {
	e       *Engine
	ev      *events.Event
	buckets []*bucket
	cands   []*variant
	stamp   []uint32 // per variant: the event generation its first guard occurred in
	stamp2  []uint32 // the same for its second guard
	gen     uint32
	pf      *prefilter // the prefilter being applied, for mark
	dst     []*variant
	markFn  func(int32)
	// all skips the prefilter (tests compare both ways).
	all bool
}

// NewMatcher returns a matcher with an empty event.
func (e *Engine) NewMatcher() *Matcher {
	m := &Matcher{e: e, ev: events.NewEvent(e.schema), stamp: make([]uint32, len(e.variants)), stamp2: make([]uint32, len(e.variants))}
	m.markFn = m.mark
	return m
}

// Event is the matcher's event: decode into it, then call Match.
func (m *Matcher) Event() *events.Event { return m.ev }

// Match evaluates the matcher's event and appends its hits to dst. Hits
// of rules that feed correlations carry what the Correlator needs; their
// strings are copies, safe to keep after the next event.
func (m *Matcher) Match(dst []Hit) []Hit { return m.MatchEvent(m.ev, dst) }

// MatchEvent evaluates ev (decoded with the engine's schema) instead of
// the matcher's own event.
func (m *Matcher) MatchEvent(ev *events.Event, dst []Hit) []Hit {
	own := m.ev
	m.ev = ev
	defer func() { m.ev = own }()
	m.gen++
	if m.gen == 0 {
		clear(m.stamp)
		clear(m.stamp2)
		m.gen = 1
	}
	m.buckets = m.e.index.buckets(ev, m.buckets[:0])
	m.cands = m.cands[:0]
	for _, b := range m.buckets {
		if m.all {
			m.cands = append(m.cands, b.variants...)
			continue
		}
		m.cands = b.pf.candidates(m, ev, m.cands)
	}
	// Rule load order, whatever order the prefilter found them in.
	slices.SortFunc(m.cands, func(a, b *variant) int { return int(a.id) - int(b.id) })
	provider := ""
	windows := -1 // unknown; 0 no, 1 yes
	for _, v := range m.cands {
		if v.bind.gate {
			if windows < 0 {
				windows = 0
				if ev.IsWindows() {
					windows = 1
				}
			}
			if windows == 0 && !v.gateOpen(ev) {
				continue
			}
		}
		if v.bind.provider != "" {
			if provider == "" {
				provider = ev.Provider()
				if provider == "" {
					provider = "\x00"
				}
			}
			if provider != "\x00" && !strings.EqualFold(provider, v.bind.provider) {
				continue
			}
		}
		if !v.root.eval(ev) {
			continue
		}
		dst = append(dst, m.hit(v))
	}
	return dst
}

// safeMatch is Match with a last guard: a panic while matching (a bug)
// becomes an error naming the event instead of a crash.
func (m *Matcher) safeMatch(dst []Hit) (hits []Hit, err error) {
	defer func() {
		if x := recover(); x != nil {
			hits, err = dst, fmt.Errorf("internal error matching %s event %d (please report it): %v", m.ev.File, m.ev.Index, x)
		}
	}()
	return m.Match(dst), nil
}

// gateOpen reports whether an event that names no Windows channel has
// one of the fields the variant's rule tests (see variant.gate).
func (v *variant) gateOpen(ev *events.Event) bool {
	if v.gateAny {
		return len(ev.Values) > 0
	}
	for _, s := range v.gate {
		if len(ev.Get(s)) > 0 {
			return true
		}
	}
	return false
}

// hit builds the hit of variant v on the current event.
func (m *Matcher) hit(v *variant) Hit {
	ev := m.ev
	h := Hit{Rule: v.rule.rule, File: ev.File, Event: ev.Index, Line: ev.Line, Via: via(ev, v.bind), Silent: v.rule.silent}
	for _, f := range v.fields {
		if val, ok := evidence(ev, f); ok {
			h.Fields = append(h.Fields, Field{Name: f.name, Value: strings.Clone(val)})
		}
	}
	if t, ok := ev.Time(); ok {
		h.Time = t
	}
	if len(v.rule.corrs) > 0 {
		h.corr = m.corrInputs(v)
	}
	return h
}

// via names the event source a rule read an event as, the same way for
// every language: a Windows event by its channel and event id
// ("Microsoft-Windows-Sysmon/Operational 1", "Security 4688"; a flat
// Sysmon export that names no channel by the channel the binding reads,
// an event with a provider and no channel by its provider), other events
// by how the rule reads them ("logsource zeek/rdp", "ecs",
// "raw").
func via(ev *events.Event, b *binding) string {
	ch := ev.Channel()
	if ch == "" {
		ch = b.channel
	}
	if ch == "" {
		ch = ev.Provider() // an ETW provider's event
	}
	if ch == "" {
		return b.label
	}
	if id, ok := ev.EventID(); ok {
		return ch + " " + itoa(id)
	}
	return ch
}

// evidence is the value a hit shows for a field: of a multi-valued field
// (process.args, an array) the first value that one of the rule's
// predicates on the field matched — preferring, for an all-values
// predicate, one that passes all its tests — else the first value.
func evidence(ev *events.Event, f hitField) (string, bool) {
	idx := ev.Get(f.slot)
	if countValues(ev, idx) > 1 {
		for _, strict := range []bool{true, false} {
			for _, i := range idx {
				if ev.Values[i].Kind == events.Null {
					continue
				}
				for _, p := range f.preds {
					if p.slot == f.slot && p.valueMatches(ev, i, strict) {
						return ev.Values[i].Text, true
					}
				}
			}
		}
	}
	return ev.First(f.slot)
}
