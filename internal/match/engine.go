package match

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"ruledex/internal/match/events"
	"ruledex/internal/rule"
)

// Engine holds the compiled rules and their index. It is immutable once
// built and safe for concurrent use by several Matchers; correlation
// state lives in a Correlator.
type Engine struct {
	schema   *events.Schema
	rules    []*compiledRule
	variants []*variant
	skipped  []Skipped
	index    *index
	corrs    []*correlation

	loaded  int // the rules given to New
	filters int // Sigma filter rules applied to other rules

	derived map[string]events.Slot
	regexes map[string]*regexp.Regexp
	// known are the bucket keys of the mapped event kinds: events of these
	// kinds do not visit the unmapped bucket.
	known map[bkey]bool
}

// Skipped is a rule the engine does not evaluate, with the reason.
type Skipped struct {
	Rule   *rule.Rule
	Reason string
}

// compiledRule is a loaded rule with its variants.
type compiledRule struct {
	rule  *rule.Rule
	index int
	// silent rules feed correlations without reporting their own hits
	// (Sigma correlation generate: false, the default).
	silent bool
	corrs  []*correlation // correlations this rule feeds
}

// variant is a rule compiled for one binding.
type variant struct {
	id     int32
	rule   *compiledRule
	bind   *binding
	root   *node
	fields []hitField
	corr   []varCorr // the correlations it feeds
	// gate holds the fields the rule tests, for a binding with gate set:
	// an event that names no Windows channel and has none of them (not
	// even as null) does not match, whatever the condition says (a
	// rule whose condition is "not selection" would otherwise fire on
	// every event of any product). gateAny: the rule searches keywords
	// in every value, so any event with a value passes.
	gate    []events.Slot
	gateAny bool
}

// binding is one way a rule reads events: which events (bucket keys,
// provider) and how its field names resolve.
type binding struct {
	keys []bkey
	// label names how a rule reads the events that name no Windows
	// channel (a Sigma logsource "zeek/rdp", "ecs", "raw"); hits on
	// Windows events name the event's channel and id instead (via).
	label    string
	channel  string // the channel the binding reads (flat Sysmon events may lack it)
	provider string // the event's provider must be this when it names one
	resolve  func(field string) access
	// gate: on events that name no Windows channel or provider, the
	// rule needs at least one of the fields it tests (see variant.gate).
	gate bool
}

// plan is how a rule is evaluated on single events: its filtering trees
// in order, each with the field renames in force before it, its
// language's semantics and its bindings.
type plan struct {
	stages   []planStage
	sem      semantics
	bindings []*binding
}

type planStage struct {
	expr   rule.Expr
	rename func(string) string // nil: names as written
	filter bool                // a Sigma filter rule's condition applied to the rule
}

// Options tune which rules an engine runs.
type Options struct {
	// IncludeDeprecated runs deprecated rules (rule.Rule.Deprecated:
	// SigmaHQ deprecated/, ESCU detections/deprecated, Elastic
	// _deprecated) and SigmaHQ's unsupported/ rules too. By default they
	// are skipped with the reason "deprecated" or "unsupported": their
	// authors retired them, and some fire on every event of a kind.
	IncludeDeprecated bool
}

// Skip reasons of rules retired by their authors.
const (
	ReasonDeprecated  = "deprecated"
	ReasonUnsupported = "unsupported"
)

// New compiles rules into an engine with the default options. Rules it
// cannot evaluate on single events are listed by Skipped with the
// reason; nothing is dropped silently.
func New(rules []*rule.Rule) *Engine { return NewWithOptions(rules, Options{}) }

// NewWithOptions compiles rules into an engine.
func NewWithOptions(rules []*rule.Rule, opt Options) *Engine {
	e := &Engine{
		schema:  events.NewSchema(),
		derived: map[string]events.Slot{},
		regexes: map[string]*regexp.Regexp{},
		known:   map[bkey]bool{},
	}
	for _, k := range kinds {
		for _, key := range k.keys() {
			e.known[key] = true
		}
	}
	var corrRules, filterRules []*rule.Rule
	byRef := map[string][]*compiledRule{} // sigma id and name → rules
	pending := map[*compiledRule]*plan{}
	for _, r := range rules {
		if r == nil {
			continue
		}
		e.loaded++
		if reason := retired(r); reason != "" && !opt.IncludeDeprecated {
			e.skip(r, reason)
			continue
		}
		if r.Sigma != nil && r.Sigma.Correlation != nil {
			corrRules = append(corrRules, r)
			continue
		}
		if r.Sigma != nil && r.Sigma.Filter != nil {
			filterRules = append(filterRules, r)
			continue
		}
		p, reason := e.safePlan(r)
		if reason != "" {
			e.skip(r, reason)
			continue
		}
		cr := &compiledRule{rule: r, index: len(e.rules)}
		e.rules = append(e.rules, cr)
		pending[cr] = p
		if r.Sigma != nil {
			byRef[r.ID] = append(byRef[r.ID], cr)
			if r.Sigma.Name != "" {
				byRef[r.Sigma.Name] = append(byRef[r.Sigma.Name], cr)
			}
		}
	}
	e.applyFilters(filterRules, byRef, pending)
	var kept []*compiledRule
	for _, cr := range e.rules {
		if err := e.safeCompile(cr, pending[cr]); err != nil {
			e.skip(cr.rule, err.Error())
			continue
		}
		cr.index = len(kept)
		kept = append(kept, cr)
	}
	e.rules = kept
	// Correlations refer to the rules that compiled.
	byRef = map[string][]*compiledRule{}
	for _, cr := range kept {
		if r := cr.rule; r.Sigma != nil {
			byRef[r.ID] = append(byRef[r.ID], cr)
			if r.Sigma.Name != "" {
				byRef[r.Sigma.Name] = append(byRef[r.Sigma.Name], cr)
			}
		}
	}
	for _, r := range corrRules {
		e.addCorrelation(r, byRef)
	}
	e.index = buildIndex(e)
	return e
}

// retired says why a rule's authors retired it: "deprecated",
// "unsupported" or "" for a live rule.
func retired(r *rule.Rule) string {
	switch {
	case r.Deprecated:
		return ReasonDeprecated
	case r.Sigma != nil && r.Sigma.Unsupported:
		return ReasonUnsupported
	}
	return ""
}

func (e *Engine) skip(r *rule.Rule, reason string) {
	e.skipped = append(e.skipped, Skipped{Rule: r, Reason: reason})
}

// safePlan and safeCompile are the last guard against a rule that makes
// the compiler panic: the rule is skipped with the panic as its reason.
func (e *Engine) safePlan(r *rule.Rule) (p *plan, reason string) {
	defer func() {
		if x := recover(); x != nil {
			p, reason = nil, fmt.Sprintf("internal error while planning the rule (please report it): %v", x)
		}
	}()
	return e.planRule(r)
}

func (e *Engine) safeCompile(cr *compiledRule, p *plan) (err error) {
	n := len(e.variants)
	defer func() {
		if x := recover(); x != nil {
			e.variants = e.variants[:n]
			err = fmt.Errorf("internal error while compiling the rule (please report it): %v", x)
		}
	}()
	return e.compileRule(cr, p)
}

// planRule picks the adapter of the rule's language.
func (e *Engine) planRule(r *rule.Rule) (*plan, string) {
	switch {
	case r.Elastic != nil:
		return e.planElastic(r)
	case r.Sigma != nil || r.Language == "sigma":
		return e.planSigma(r)
	case r.Language == "spl":
		return e.planSplunk(r)
	case r.Language == "kql" || r.Language == "eql" || r.Language == "esql" || r.Language == "lucene":
		return e.planElastic(r)
	}
	return nil, fmt.Sprintf("the query language is not evaluable (%q)", r.Language)
}

// compileRule compiles a rule's plan for each of its bindings; bindings on
// which the rule can never match (a constant false) are dropped.
func (e *Engine) compileRule(cr *compiledRule, p *plan) error {
	added := 0
	for _, b := range p.bindings {
		c := &compiler{schema: e.schema, sem: p.sem, seen: map[string]int{}, regexes: e.regexes}
		root := nodeTrue
		for _, st := range p.stages {
			resolve := b.resolve
			if st.rename != nil {
				rn := st.rename
				resolve = func(f string) access { return b.resolve(rn(f)) }
			}
			c.resolve = resolve
			// The gate is the fields of the rule's own conditions: a
			// filter rule applied to it only narrows it.
			c.collect = b.gate && !st.filter
			n, err := c.compile(st.expr, false)
			if err != nil {
				return err
			}
			root = andNodes(root, n)
			if root.op == opFalse {
				break
			}
		}
		if root.op == opFalse {
			continue
		}
		v := &variant{id: int32(len(e.variants)), rule: cr, bind: b, root: root, fields: c.fields}
		if b.gate {
			v.gate, v.gateAny = c.tested, c.testsAny
		}
		e.variants = append(e.variants, v)
		added++
	}
	if added == 0 {
		return notEval("no event this tool reads can match: every event source the rule reads makes its condition false")
	}
	return nil
}

func andNodes(a, b *node) *node {
	switch {
	case a.op == opFalse || b.op == opFalse:
		return nodeFalse
	case a.op == opTrue:
		return b
	case b.op == opTrue:
		return a
	}
	var kids []*node
	for _, n := range []*node{a, b} {
		if n.op == opAnd {
			kids = append(kids, n.kids...)
		} else {
			kids = append(kids, n)
		}
	}
	return &node{op: opAnd, kids: kids}
}

// Skipped lists the rules the engine does not evaluate, in load order.
func (e *Engine) Skipped() []Skipped { return e.skipped }

// Rules is the number of rules the engine evaluates (correlations included).
func (e *Engine) Rules() int { return len(e.rules) + len(e.corrs) }

// Loaded is the number of rules given to the engine: evaluated, skipped,
// and Sigma filters applied to other rules.
func (e *Engine) Loaded() int { return e.loaded }

// Filters is the number of Sigma filter rules applied to the rules they
// name (they are neither evaluated on their own nor skipped).
func (e *Engine) Filters() int { return e.filters }

// Retired is the number of skipped rules their authors retired
// (deprecated or unsupported).
func (e *Engine) Retired() int {
	n := 0
	for _, s := range e.skipped {
		if s.Reason == ReasonDeprecated || s.Reason == ReasonUnsupported {
			n++
		}
	}
	return n
}

// Variants is the number of compiled (rule, event source) pairs.
func (e *Engine) Variants() int { return len(e.variants) }

// Schema is the engine's field table, for decoding events.
func (e *Engine) Schema() *events.Schema { return e.schema }

// SkipReasons counts the skipped rules by reason, most common first, with
// reasons cut at their first colon so that similar ones group.
func (e *Engine) SkipReasons() []ReasonCount {
	m := map[string]int{}
	for _, s := range e.skipped {
		m[reasonClass(s.Reason)]++
	}
	out := make([]ReasonCount, 0, len(m))
	for r, n := range m {
		out = append(out, ReasonCount{r, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// ReasonCount is a skip reason and how many rules it applies to.
type ReasonCount struct {
	Reason string
	Count  int
}

// reasonClass is a reason without its specifics: reasons put those in
// parentheses at the end.
func reasonClass(r string) string {
	if i := strings.Index(r, " ("); i >= 0 {
		return r[:i]
	}
	return r
}

// bkey names a bucket of the index: events of one id on one channel, of
// any id on a channel, any Windows event, any event that is not a Windows
// event, and the events whose kind has no field mapping (Windows or not).
type bkey struct {
	kind uint8
	ch   string // folded channel ("" for events that name none)
	id   int
}

const (
	bExact uint8 = iota
	bChannel
	bWindows
	bOther
	bUnmapped
	bUnmappedWindows
)

func keyExact(channel string, id int) bkey { return bkey{bExact, events.Fold(channel), id} }
func keyChannel(channel string) bkey       { return bkey{kind: bChannel, ch: events.Fold(channel)} }

var (
	keyWindows         = bkey{kind: bWindows}
	keyOther           = bkey{kind: bOther}
	keyUnmapped        = bkey{kind: bUnmapped}
	keyUnmappedWindows = bkey{kind: bUnmappedWindows}
)

// fieldSlot returns the slot of an event field.
func (e *Engine) fieldSlot(name string) access {
	return access{slot: e.schema.Field(name)}
}

// deriveAccess returns the access of a mapping-table entry for events of
// kind k (nil: any event).
func (e *Engine) deriveAccess(k *eventKind, d derive) access {
	if len(d.from) == 0 {
		return access{fixed: true, consts: d.value}
	}
	if k != nil && d.fn == "" && len(d.from) == 1 {
		switch events.Fold(d.from[0]) {
		case "eventid":
			return access{fixed: true, consts: []string{strconv.Itoa(k.id)}}
		case "channel":
			return access{fixed: true, consts: []string{k.channel}}
		case "provider_name":
			return access{fixed: true, consts: []string{k.provider}}
		}
	}
	if k != nil && len(d.from) == 1 && events.Fold(d.from[0]) == "channel" && d.fn != "" {
		// A function of the channel is a constant for the kind.
		var vals []string
		deriveFuncs[d.fn](k.channel, func(s string) { vals = append(vals, s) })
		return access{fixed: true, consts: vals}
	}
	if d.fn == "" && len(d.from) == 1 {
		return e.fieldSlot(d.from[0])
	}
	key := d.String()
	if s, ok := e.derived[key]; ok {
		return access{slot: s}
	}
	var fnc events.DeriveFunc
	switch {
	case d.fn == "":
		fnc = func(v string, emit func(string)) { emit(v) }
	case strings.HasPrefix(d.fn, "hash:"):
		fnc = hashFunc(strings.TrimPrefix(d.fn, "hash:"))

	default:
		fnc = deriveFuncs[d.fn]
	}
	if fnc == nil {
		// A table entry naming no function: the field is absent rather
		// than wrong (the tables are static; a test checks them).
		return access{fixed: true}
	}
	src := make([]events.Slot, len(d.from))
	for i, f := range d.from {
		src[i] = e.schema.Field(f)
	}
	s := e.schema.Derived(key, src, fnc)
	e.derived[key] = s
	return access{slot: s}
}
