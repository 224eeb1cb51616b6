package match

import (
	"regexp/syntax"
	"sort"
	"strings"
	"unicode/utf8"

	"ruledex/internal/match/events"
	"ruledex/internal/rule"
)

// The prefilter avoids evaluating most rules on most events. Each variant
// gets up to two guards: sets of (field, text) items one of which the
// event must contain for the variant to possibly match — an exact value or
// a substring of a value of that field, all folded. A predicate gives its
// values (a wildcard its longest literal part, a regex the literals it
// requires); an AND takes its most selective argument's guard (two guards
// from two arguments, both required), an OR the union of its arguments'
// (none if one has none); NOT gives none. Exact items are looked up in a
// hash map of the field's values, substrings found by one scan per
// guarded field (litset.go). Variants without a guard are always
// evaluated.

// guardItem is one alternative of a guard.
type guardItem struct {
	slot    events.Slot
	keyword bool   // any value of the event (keyword searches)
	exact   bool   // the value equals text; otherwise contains it
	text    string // folded
}

// maxGuardText clips substring items: any part of a required substring is
// required too, and short texts keep the index small.
const maxGuardText = 12

// guarder computes guards; the schema names slots for scoring.
type guarder struct{ schema *events.Schema }

// of returns the guard of a compiled tree; ok is false when the tree has
// none.
func (gd guarder) of(n *node) ([]guardItem, bool) {
	switch n.op {
	case opAnd:
		var best []guardItem
		found := false
		for _, k := range n.kids {
			g, ok := gd.of(k)
			if ok && (!found || gd.better(g, best)) {
				best, found = g, true
			}
		}
		return best, found
	case opOr:
		var all []guardItem
		for _, k := range n.kids {
			g, ok := gd.of(k)
			if !ok {
				return nil, false
			}
			all = append(all, g...)
		}
		return all, true
	case opPred:
		return gd.pred(n.p)
	}
	return nil, false
}

// guardScore rates a guard by its weakest item: longer texts occur in
// fewer events; texts that only say what most Windows events say (a
// system path, "true", "microsoft corporation") and fields with few
// distinct values (IntegrityLevel, Initiated) rate low.
func guardScore(g []guardItem, schema *events.Schema) int {
	best := 1 << 30
	for _, it := range g {
		s := len(it.text)
		if s > maxGuardText {
			s = maxGuardText
		}
		if it.exact {
			s += 2
		}
		if it.keyword {
			s -= 4
		}
		if commonText(it.text) {
			s = 1
		}
		if schema != nil && lowCardinality[events.Fold(schema.Name(it.slot))] {
			s -= 8
		}
		if s < best {
			best = s
		}
	}
	return best
}

// commonTexts are substrings most Windows events contain.
var commonTexts = []string{
	`c:\windows\system32\`, `c:\windows\syswow64\`, `c:\program files (x86)\`, `c:\program files\`,
	`c:\users\`, `\appdata\local\`, `\appdata\roaming\`, `microsoft corporation`, `microsoft windows`,
	`nt authority\system`, `hklm\software\microsoft\windows\currentversion\`, `hklm\system\currentcontrolset\`,
	`\software\microsoft\windows\currentversion\`, `.exe`, `.dll`, `true`, `false`, `valid`,
}

// commonText reports whether a guard text occurs within a common text
// (so it matches as often as that text does).
func commonText(t string) bool {
	for _, c := range commonTexts {
		if strings.Contains(c, t) {
			return true
		}
	}
	return false
}

// lowCardinality are fields with few distinct values across events.
var lowCardinality = map[string]bool{
	"integritylevel": true, "initiated": true, "company": true, "product": true, "signed": true,
	"signaturestatus": true, "protocol": true, "eventtype": true, "sourceisipv6": true,
	"destinationisipv6": true, "eventid": true, "channel": true, "provider_name": true, "level": true,
	"task": true, "logontype": true, "status": true, "terminalsessionid": true, "signature": true,
	"destinationport": true, "sourceport": true, "user": true, "currentdirectory": true,
}

func (gd guarder) better(a, b []guardItem) bool {
	sa, sb := guardScore(a, gd.schema), guardScore(b, gd.schema)
	if sa != sb {
		return sa > sb
	}
	return len(a) < len(b)
}

func (gd guarder) pred(p *pred) ([]guardItem, bool) {
	if p.negate || p.fn != "" {
		return nil, false
	}
	var best []guardItem
	found := false
	var all []guardItem
	for i := range p.tests {
		g, ok := testGuard(p, &p.tests[i])
		if p.all {
			// Every value must match: any one's guard will do.
			if ok && (!found || gd.better(g, best)) {
				best, found = g, true
			}
			continue
		}
		if !ok {
			return nil, false
		}
		all = append(all, g...)
	}
	if p.all {
		return best, found
	}
	return all, len(all) > 0
}

func testGuard(p *pred, t *test) ([]guardItem, bool) {
	item := func(text string, exact bool) guardItem {
		if p.cased {
			text = events.Fold(text)
		}
		if !exact {
			text = clipText(text, p.windash)
		}
		return guardItem{slot: p.slot, keyword: p.keyword, exact: exact, text: text}
	}
	switch t.kind {
	case rule.Eq:
		if p.keyword {
			return nil, false
		}
		return []guardItem{item(t.lit, true)}, true
	case rule.Contains, rule.StartsWith, rule.EndsWith:
		if t.lit == "" {
			return nil, false
		}
		return []guardItem{item(t.lit, false)}, true
	case rule.Keyword:
		if t.glob == nil {
			if t.lit == "" {
				return nil, false
			}
			return []guardItem{item(t.lit, false)}, true
		}
		fallthrough
	case rule.Wildcard:
		lit := longest(t.glob.literals())
		if lit == "" {
			return nil, false
		}
		return []guardItem{item(lit, false)}, true
	case rule.Regex:
		lits, ok := regexLiterals(t.re.String())
		if !ok {
			return nil, false
		}
		out := make([]guardItem, 0, len(lits))
		for _, l := range lits {
			out = append(out, guardItem{slot: p.slot, keyword: p.keyword, text: clipText(events.Fold(l), false)})
		}
		return out, true
	}
	return nil, false
}

func longest(ss []string) string {
	best := ""
	for _, s := range ss {
		if len(s) > len(best) {
			best = s
		}
	}
	return best
}

// clipText shortens a required substring to maxGuardText bytes. A windash
// value keeps its longest run without dashes, so that the variants windash
// makes of one value (-x, /x, –x …) share one pattern. Otherwise it keeps
// its end, the distinctive part of a path.
func clipText(s string, windash bool) string {
	if windash && strings.ContainsAny(s, "-/\u2013\u2014\u2015") {
		if run := longestRun(s); len(run) >= 4 {
			s = run
		}
	}
	if len(s) <= maxGuardText {
		return s
	}
	return s[len(s)-maxGuardText:]
}

// longestRun is the longest part of s without a dash or slash.
func longestRun(s string) string {
	best, start := "", 0
	for i, r := range s + "-" {
		switch r {
		case '-', '/', '\u2013', '\u2014', '\u2015':
			if i-start > len(best) {
				best = s[start:i]
			}
			start = i + utf8.RuneLen(r)
		}
	}
	return best
}

// regexLiterals returns texts one of which every match of the regex
// contains, or false when it finds none. Case-insensitive parts are
// folded by the caller; literals under a case-insensitive flag fold the
// same way as event text, so the guard stays necessary.
func regexLiterals(expr string) ([]string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	lits, ok := reqLiterals(re.Simplify(), 0)
	if !ok {
		return nil, false
	}
	for _, l := range lits {
		if l == "" {
			return nil, false
		}
	}
	return lits, len(lits) > 0
}

func reqLiterals(re *syntax.Regexp, depth int) ([]string, bool) {
	if depth > 100 {
		return nil, false
	}
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		if !utf8.ValidString(s) {
			return nil, false
		}
		return []string{s}, true
	case syntax.OpCapture:
		return reqLiterals(re.Sub[0], depth+1)
	case syntax.OpPlus:
		return reqLiterals(re.Sub[0], depth+1)
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return reqLiterals(re.Sub[0], depth+1)
		}
	case syntax.OpConcat:
		var best []string
		found := false
		for _, s := range re.Sub {
			l, ok := reqLiterals(s, depth+1)
			if ok && (!found || minLen(l) > minLen(best)) {
				best, found = l, true
			}
		}
		return best, found
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			l, ok := reqLiterals(s, depth+1)
			if !ok {
				return nil, false
			}
			all = append(all, l...)
		}
		return all, true
	}
	return nil, false
}

func minLen(ss []string) int {
	m := 1 << 30
	for _, s := range ss {
		if len(s) < m {
			m = len(s)
		}
	}
	return m
}

// twoGuards returns up to two guards of a tree whose root is an AND, taken
// from different arguments: both must then occur. Requiring the second
// spares the rules whose best guard is common (a list of Windows
// binaries) but whose other condition is not (their parent process).
func (gd guarder) twoGuards(n *node) [][]guardItem {
	if n.op != opAnd {
		if g, ok := gd.of(n); ok && len(g) > 0 {
			return [][]guardItem{g}
		}
		return nil
	}
	var gs [][]guardItem
	for _, k := range n.kids {
		if g, ok := gd.of(k); ok && len(g) > 0 {
			gs = append(gs, g)
		}
	}
	if len(gs) == 0 {
		return nil
	}
	sort.SliceStable(gs, func(i, j int) bool { return gd.better(gs[i], gs[j]) })
	if len(gs) > 2 {
		gs = gs[:2]
	}
	return gs
}

// prefilter picks the variants of a bucket worth evaluating on an event.
type prefilter struct {
	always []*variant
	exact  []exactIndex
	subs   []subIndex
	// keyword guards, scanned over every value
	keyword *litSet
	byID    map[int32]*variant
	need2   map[int32]bool // variants with two guards
}

type exactIndex struct {
	slot events.Slot
	vals map[string][]int32
}

type subIndex struct {
	slot events.Slot
	ac   *litSet
}

// Patterns carry the variant id and which of its guards they belong to.
func guardValue(id int32, set int) int32 { return id<<1 | int32(set) }

func buildPrefilter(e *Engine, vs []*variant) *prefilter {
	pf := &prefilter{byID: map[int32]*variant{}, need2: map[int32]bool{}}
	exact := map[events.Slot]map[string][]int32{}
	subs := map[events.Slot][]litPattern{}
	var kw []litPattern
	var exactOrder, subOrder []events.Slot
	gd := guarder{e.schema}
	for _, v := range vs {
		gs := gd.twoGuards(v.root)
		if len(gs) == 0 {
			pf.always = append(pf.always, v)
			continue
		}
		pf.byID[v.id] = v
		if len(gs) == 2 {
			pf.need2[v.id] = true
		}
		for set, g := range gs {
			val := guardValue(v.id, set)
			for _, it := range g {
				switch {
				case it.keyword:
					kw = append(kw, litPattern{it.text, val})
				case it.exact:
					m := exact[it.slot]
					if m == nil {
						m = map[string][]int32{}
						exact[it.slot] = m
						exactOrder = append(exactOrder, it.slot)
					}
					m[it.text] = appendUnique(m[it.text], val)
				default:
					if _, ok := subs[it.slot]; !ok {
						subOrder = append(subOrder, it.slot)
					}
					subs[it.slot] = append(subs[it.slot], litPattern{it.text, val})
				}
			}
		}
	}
	for _, s := range exactOrder {
		pf.exact = append(pf.exact, exactIndex{slot: s, vals: exact[s]})
	}
	for _, s := range subOrder {
		pf.subs = append(pf.subs, subIndex{slot: s, ac: buildLitSet(subs[s])})
	}
	if len(kw) > 0 {
		pf.keyword = buildLitSet(kw)
	}
	return pf
}

// candidates appends the variants to evaluate on the matcher's event.
func (p *prefilter) candidates(m *Matcher, ev *events.Event, dst []*variant) []*variant {
	dst = append(dst, p.always...)
	m.pf, m.dst = p, dst
	for _, x := range p.exact {
		for _, i := range ev.Get(x.slot) {
			if ev.Values[i].Kind == events.Null {
				continue
			}
			for _, val := range x.vals[ev.Folded(i)] {
				m.mark(val)
			}
		}
	}
	for _, x := range p.subs {
		for _, i := range ev.Get(x.slot) {
			if ev.Values[i].Kind == events.Null {
				continue
			}
			x.ac.scan(ev.Folded(i), m.markFn)
		}
	}
	if p.keyword != nil {
		for i := range ev.Values {
			v := &ev.Values[i]
			if v.Kind != events.Null && len(v.Text) >= p.keyword.minLen {
				p.keyword.scan(ev.Folded(int32(i)), m.markFn)
			}
		}
	}
	dst = m.dst
	m.pf, m.dst = nil, nil
	return dst
}

// mark records that guard (id, set) of the current prefilter occurs; a
// variant becomes a candidate once all its guards have.
func (m *Matcher) mark(val int32) {
	id, set := val>>1, val&1
	if set == 0 {
		if m.stamp[id] == m.gen {
			return
		}
		m.stamp[id] = m.gen
		if m.pf.need2[id] && m.stamp2[id] != m.gen {
			return
		}
	} else {
		if m.stamp2[id] == m.gen {
			return
		}
		m.stamp2[id] = m.gen
		if m.stamp[id] != m.gen {
			return
		}
	}
	m.dst = append(m.dst, m.pf.byID[id])
}
