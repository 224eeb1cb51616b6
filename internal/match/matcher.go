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
	for _, v := range m.cands {
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

// hit builds the hit of variant v on the current event.
func (m *Matcher) hit(v *variant) Hit {
	ev := m.ev
	h := Hit{Rule: v.rule.rule, File: ev.File, Event: ev.Index, Line: ev.Line, Via: v.bind.label, Silent: v.rule.silent}
	for _, f := range v.fields {
		if val, ok := ev.First(f.slot); ok {
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
