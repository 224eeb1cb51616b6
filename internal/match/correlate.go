package match

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"ruledex/internal/match/events"
	"ruledex/internal/rule"
)

// correlation is a compiled Sigma correlation rule (event_count,
// value_count, temporal, temporal_ordered): it counts the hits of the
// rules it names, per group-by values, within its timespan.
type correlation struct {
	rule   *rule.Rule
	index  int
	typ    string
	refs   []*compiledRule // in the order written (temporal_ordered)
	window time.Duration
	conds  []corrCond
	// upper is set when the condition bounds the count from above (lt,
	// lte, eq): such a condition is decided when a window closes, not as
	// events arrive.
	upper   bool
	groupBy []string
	field   string
}

type corrCond struct {
	op string
	n  float64
}

// varCorr is what one variant of a referenced rule gives a correlation:
// the positions the rule has among its rules, and where the group-by and
// counted fields are in its events.
type varCorr struct {
	c     *correlation
	pos   []int
	group []access
	value access
}

// corrInput is a hit's contribution to one correlation.
type corrInput struct {
	c     *correlation
	pos   []int
	group string   // the group-by values joined
	vals  []string // the group-by values
	value string   // value_count's field value
	has   bool     // value is present
}

// addCorrelation compiles a correlation rule and ties it to the rules it
// names (by id or name).
func (e *Engine) addCorrelation(r *rule.Rule, byRef map[string][]*compiledRule) {
	sc := r.Sigma.Correlation
	c := &correlation{rule: r, typ: sc.Type, groupBy: sc.GroupBy, field: sc.Field}
	switch c.typ {
	case "event_count", "value_count", "temporal", "temporal_ordered":
	default:
		e.skip(r, fmt.Sprintf("correlation type %q is not evaluable (event_count, value_count, temporal and temporal_ordered are)", c.typ))
		return
	}
	w, err := parseTimespan(sc.Timespan)
	if err != nil {
		e.skip(r, err.Error())
		return
	}
	c.window = w
	for _, a := range sc.Condition {
		n, err := strconv.ParseFloat(strings.TrimSpace(a.Value), 64)
		if err != nil {
			e.skip(r, fmt.Sprintf("correlation condition %s: %q is not a number", a.Name, a.Value))
			return
		}
		switch a.Name {
		case "gt", "gte":
		case "lt", "lte", "eq":
			c.upper = true
		default:
			e.skip(r, fmt.Sprintf("correlation condition %q is not one of gt, gte, lt, lte, eq", a.Name))
			return
		}
		c.conds = append(c.conds, corrCond{a.Name, n})
	}
	if len(c.conds) == 0 {
		switch c.typ {
		case "temporal", "temporal_ordered":
			// All the named rules must match.
		default:
			e.skip(r, "the correlation has no condition")
			return
		}
	}
	if c.typ == "value_count" && c.field == "" {
		e.skip(r, "a value_count correlation needs condition field")
		return
	}
	aliases := map[string]map[string]string{} // alias → rule ref → field
	for _, a := range sc.Aliases {
		m := map[string]string{}
		for _, f := range a.Fields {
			m[f.Name] = f.Value
		}
		aliases[a.Alias] = m
	}
	for _, ref := range sc.Rules {
		crs := byRef[ref]
		if len(crs) == 0 {
			reason := fmt.Sprintf("the correlation names rule %q, which is not loaded or not evaluable", ref)
			for _, s := range e.skipped {
				if s.Rule.ID == ref || (s.Rule.Sigma != nil && s.Rule.Sigma.Name == ref) {
					reason = fmt.Sprintf("the correlation names rule %q, which is not evaluable: %s", ref, s.Reason)
				}
			}
			e.skip(r, reason)
			return
		}
		c.refs = append(c.refs, crs[0])
	}
	c.index = len(e.corrs)
	e.corrs = append(e.corrs, c)
	generate := strings.EqualFold(sc.Generate, "true")
	for pos, cr := range c.refs {
		if !generate {
			cr.silent = true
		}
		if !containsCorr(cr.corrs, c) {
			cr.corrs = append(cr.corrs, c)
		}
		names := []string{cr.rule.ID}
		if cr.rule.Sigma != nil && cr.rule.Sigma.Name != "" {
			names = append(names, cr.rule.Sigma.Name)
		}
		for _, v := range e.variants {
			if v.rule != cr {
				continue
			}
			vc := findVarCorr(v, c)
			if vc == nil {
				v.corr = append(v.corr, varCorr{c: c})
				vc = &v.corr[len(v.corr)-1]
				for _, g := range c.groupBy {
					vc.group = append(vc.group, v.bind.resolve(aliasField(aliases, g, names)))
				}
				if c.field != "" {
					vc.value = v.bind.resolve(aliasField(aliases, c.field, names))
				}
			}
			vc.pos = append(vc.pos, pos)
		}
	}
}

func containsCorr(cs []*correlation, c *correlation) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func findVarCorr(v *variant, c *correlation) *varCorr {
	for i := range v.corr {
		if v.corr[i].c == c {
			return &v.corr[i]
		}
	}
	return nil
}

// aliasField is the field an alias stands for in the events of a rule
// known by one of names; a name that is no alias is the field itself.
func aliasField(aliases map[string]map[string]string, field string, names []string) string {
	if m, ok := aliases[field]; ok {
		for _, n := range names {
			if f, ok := m[n]; ok {
				return f
			}
		}
	}
	return field
}

// parseTimespan reads a Sigma timespan: a number and s, m, h, d (or w).
func parseTimespan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return 0, fmt.Errorf("timespan %q is not a number followed by s, m, h or d", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("timespan %q is not a positive number followed by s, m, h or d", s)
	}
	unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		return 0, fmt.Errorf("timespan %q: the unit is s, m, h or d", s)
	}
	return time.Duration(n) * unit, nil
}

// corrInputs reads what the current event gives the correlations that
// variant v feeds.
func (m *Matcher) corrInputs(v *variant) []corrInput {
	out := make([]corrInput, 0, len(v.corr))
	for _, vc := range v.corr {
		in := corrInput{c: vc.c, pos: vc.pos}
		for _, a := range vc.group {
			in.vals = append(in.vals, strings.Clone(m.accessValue(a)))
		}
		in.group = strings.Join(in.vals, "\x00")
		if vc.c.field != "" {
			if val, ok := m.accessFirst(vc.value); ok {
				in.value, in.has = strings.Clone(val), true
			}
		}
		out = append(out, in)
	}
	return out
}

func (m *Matcher) accessValue(a access) string {
	v, _ := m.accessFirst(a)
	return v
}

func (m *Matcher) accessFirst(a access) (string, bool) {
	if a.fixed {
		if len(a.consts) > 0 {
			return a.consts[0], true
		}
		return "", false
	}
	return m.ev.First(a.slot)
}

// Correlator keeps the state of the correlations over a stream of hits in
// event order. It is not safe for concurrent use.
type Correlator struct {
	e      *Engine
	groups []map[string]*group // per correlation
	// NoTime counts hits that could not feed a correlation because their
	// event has no timestamp.
	NoTime int
	fed    int       // hits fed, for the periodic sweep
	latest time.Time // the latest event time seen
}

// sweepEvery is how many fed hits pass between sweeps of stale groups.
const sweepEvery = 1 << 14

// group is the state of one correlation for one group-by value.
type group struct {
	vals   []string
	items  []item // the hits in the current window, oldest first
	start  time.Time
	seq    []time.Time // temporal_ordered: latest start of a run through step i
	seqSet []bool
}

type item struct {
	t     time.Time
	pos   []int
	value string
	hit   *Hit
}

// NewCorrelator returns an empty correlation state.
func (e *Engine) NewCorrelator() *Correlator {
	c := &Correlator{e: e, groups: make([]map[string]*group, len(e.corrs))}
	for i := range c.groups {
		c.groups[i] = map[string]*group{}
	}
	return c
}

// Feed takes a hit in event order and appends the correlation hits it
// completes to dst.
func (c *Correlator) Feed(h *Hit, dst []Hit) []Hit {
	if len(h.corr) == 0 {
		return dst
	}
	if h.Time.IsZero() {
		c.NoTime++
		return dst
	}
	if h.Time.After(c.latest) {
		c.latest = h.Time
	}
	if c.fed++; c.fed%sweepEvery == 0 {
		dst = c.sweep(dst)
	}
	// The correlation hit names the event that completed it; keep only
	// where that event is, not the caller's hit.
	at := &Hit{File: h.File, Event: h.Event, Line: h.Line, Time: h.Time}
	for _, in := range h.corr {
		cr := in.c
		if cr.typ == "value_count" && !in.has {
			continue
		}
		g := c.groups[cr.index][in.group]
		if g == nil {
			g = &group{vals: in.vals}
			c.groups[cr.index][in.group] = g
		}
		dst = c.feedGroup(cr, g, item{t: h.Time, pos: in.pos, value: in.value, hit: at}, dst)
	}
	return dst
}

func (c *Correlator) feedGroup(cr *correlation, g *group, it item, dst []Hit) []Hit {
	if cr.typ == "temporal_ordered" {
		return c.ordered(cr, g, it, dst)
	}
	if cr.upper {
		// Fixed windows from the first event: decide a window when an event
		// falls after it.
		if len(g.items) > 0 && it.t.Sub(g.start) > cr.window {
			dst = c.decide(cr, g, dst)
			g.items = g.items[:0]
		}
		if len(g.items) == 0 {
			g.start = it.t
		}
		g.items = append(g.items, it)
		return dst
	}
	// Sliding windows: drop what is older than the timespan, then test.
	g.items = append(g.items, it)
	cut := 0
	for cut < len(g.items) && it.t.Sub(g.items[cut].t) > cr.window {
		cut++
	}
	g.items = g.items[cut:]
	if n := cr.count(g.items); cr.holds(n) {
		dst = append(dst, cr.hit(g, n, it.hit))
		g.items = nil
	}
	return dst
}

// decide tests a closed window.
func (c *Correlator) decide(cr *correlation, g *group, dst []Hit) []Hit {
	if n := cr.count(g.items); len(g.items) > 0 && cr.holds(n) {
		dst = append(dst, cr.hit(g, n, g.items[len(g.items)-1].hit))
	}
	return dst
}

// ordered handles temporal_ordered: the rules must match in the order
// written, all within the timespan of the first.
func (c *Correlator) ordered(cr *correlation, g *group, it item, dst []Hit) []Hit {
	n := len(cr.refs)
	if g.seq == nil {
		g.seq = make([]time.Time, n)
		g.seqSet = make([]bool, n)
	}
	// Later steps first, so that one event does not take two steps.
	pos := append([]int(nil), it.pos...)
	sort.Sort(sort.Reverse(sort.IntSlice(pos)))
	for _, p := range pos {
		switch {
		case p == 0:
			if !g.seqSet[0] || it.t.After(g.seq[0]) {
				g.seq[0], g.seqSet[0] = it.t, true
			}
		case g.seqSet[p-1] && it.t.Sub(g.seq[p-1]) <= cr.window && !it.t.Before(g.seq[p-1]):
			if !g.seqSet[p] || g.seq[p-1].After(g.seq[p]) {
				g.seq[p], g.seqSet[p] = g.seq[p-1], true
			}
		}
	}
	if g.seqSet[n-1] {
		dst = append(dst, cr.hit(g, n, it.hit))
		for i := range g.seqSet {
			g.seqSet[i] = false
		}
	}
	return dst
}

// sweep forgets the groups whose window ended before the latest event
// (deciding closed windows first), so that state stays bounded by the
// groups active within a timespan.
func (c *Correlator) sweep(dst []Hit) []Hit {
	for i, cr := range c.e.corrs {
		keys := make([]string, 0, len(c.groups[i]))
		for k := range c.groups[i] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			g := c.groups[i][k]
			if !g.stale(cr, c.latest) {
				continue
			}
			if cr.upper {
				dst = c.decide(cr, g, dst)
			}
			delete(c.groups[i], k)
		}
	}
	return dst
}

// stale reports whether nothing in the group can still count at time now.
func (g *group) stale(cr *correlation, now time.Time) bool {
	if cr.typ == "temporal_ordered" {
		for i, set := range g.seqSet {
			if set && now.Sub(g.seq[i]) <= cr.window {
				return false
			}
		}
		return true
	}
	if cr.upper {
		return len(g.items) == 0 || now.Sub(g.start) > cr.window
	}
	return len(g.items) == 0 || now.Sub(g.items[len(g.items)-1].t) > cr.window
}

// Flush decides the windows still open at the end of the stream (for
// conditions with an upper bound) and appends their hits to dst.
func (c *Correlator) Flush(dst []Hit) []Hit {
	for i, cr := range c.e.corrs {
		if !cr.upper {
			continue
		}
		keys := make([]string, 0, len(c.groups[i]))
		for k := range c.groups[i] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			g := c.groups[i][k]
			dst = c.decide(cr, g, dst)
			g.items = nil
		}
	}
	return dst
}

// count is what the correlation counts in a window: events, distinct
// values, or distinct rules.
func (cr *correlation) count(items []item) int {
	switch cr.typ {
	case "event_count":
		return len(items)
	case "value_count":
		seen := map[string]bool{}
		for _, it := range items {
			seen[events.Fold(it.value)] = true
		}
		return len(seen)
	}
	seen := map[int]bool{}
	for _, it := range items {
		for _, p := range it.pos {
			seen[p] = true
		}
	}
	return len(seen)
}

// holds tests the condition (all its criteria) on a count.
func (cr *correlation) holds(n int) bool {
	if len(cr.conds) == 0 {
		return n >= len(cr.refs)
	}
	f := float64(n)
	for _, c := range cr.conds {
		ok := false
		switch c.op {
		case "gt":
			ok = f > c.n
		case "gte":
			ok = f >= c.n
		case "lt":
			ok = f < c.n
		case "lte":
			ok = f <= c.n
		case "eq":
			ok = f == c.n
		}
		if !ok {
			return false
		}
	}
	return true
}

// hit is the correlation's hit on the event that completed it.
func (cr *correlation) hit(g *group, n int, last *Hit) Hit {
	h := Hit{Rule: cr.rule, File: last.File, Event: last.Event, Line: last.Line, Time: last.Time,
		Via: "correlation", Correlation: cr.typ, Count: n}
	for i, f := range cr.groupBy {
		if i < len(g.vals) {
			h.Group = append(h.Group, Field{Name: f, Value: g.vals[i]})
		}
	}
	return h
}
