package match

import (
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"ruledex/internal/match/events"
	"ruledex/internal/rule"
)

// test is one compiled rule.Value: how one value of a field is compared.
type test struct {
	kind  rule.Kind
	lit   string // folded unless the predicate is cased; eq/contains/starts_with/ends_with/keyword
	glob  *glob  // wildcard, and keyword patterns
	re    *regexp.Regexp
	net   netip.Prefix
	num   float64 // gt/ge/lt/le against a number
	isNum bool
	text  string      // gt/ge/lt/le against text (lexical)
	ref   events.Slot // fieldref
}

// pred is a compiled rule.Predicate bound to an event slot.
type pred struct {
	src   *rule.Predicate
	field string // the rule's field name, for hits
	slot  events.Slot
	tests []test
	all   bool
	cased bool
	// negate inverts the result (the predicate's own Negated).
	negate bool
	// present makes a negated predicate false when the field is absent
	// (SPL: f!=x needs f).
	present bool
	// nullIsValue makes exists true for a field present with a null value
	// (Sigma |exists: presence only); otherwise null counts as absent.
	nullIsValue bool
	keyword     bool   // field "": any value of the event
	windash     bool   // the values are windash variants (for the prefilter)
	fn          string // len, mvcount, minute … year: applied to the field first
	// fast holds the eq and \name ends_with values of a long OR list as
	// sets; rest are the other tests. tests keeps them all (for the
	// prefilter and constant folding).
	fast *valueSets
	rest []test
}

// valueSets are a predicate's equality and file-name values, looked up
// instead of compared one by one: Sigma lists dozens of images as
// Image|endswith: '\x.exe'.
type valueSets struct {
	eq   map[string]struct{}
	base map[string]struct{} // ends_with \name: the part after the last \ is name
}

// minSetValues is how many such values make sets worth it.
const minSetValues = 6

// fastSets splits a predicate's tests into sets and the rest.
func fastSets(p *pred) (*valueSets, []test) {
	if p.all || p.keyword || p.fn != "" {
		return nil, nil
	}
	n := 0
	for _, t := range p.tests {
		if setable(t) {
			n++
		}
	}
	if n < minSetValues {
		return nil, nil
	}
	vs := &valueSets{eq: map[string]struct{}{}, base: map[string]struct{}{}}
	var rest []test
	for _, t := range p.tests {
		switch {
		case !setable(t):
			rest = append(rest, t)
		case t.kind == rule.Eq:
			vs.eq[t.lit] = struct{}{}
		default:
			vs.base[t.lit[1:]] = struct{}{}
		}
	}
	return vs, rest
}

func setable(t test) bool {
	switch t.kind {
	case rule.Eq:
		return true
	case rule.EndsWith:
		return len(t.lit) > 1 && t.lit[0] == '\\' && !strings.ContainsRune(t.lit[1:], '\\')
	}
	return false
}

// has reports whether s (folded unless cased) is in the sets.
func (vs *valueSets) has(s string) bool {
	if _, ok := vs.eq[s]; ok {
		return true
	}
	if i := strings.LastIndexByte(s, '\\'); i >= 0 {
		_, ok := vs.base[s[i+1:]]
		return ok
	}
	return false
}

// eval decides the predicate on an event.
func (p *pred) eval(ev *events.Event) bool {
	r := p.match(ev)
	if p.negate {
		if p.present && !hasValue(ev, p.slot) {
			return false
		}
		return !r
	}
	return r
}

func hasValue(ev *events.Event, s events.Slot) bool {
	for _, i := range ev.Get(s) {
		if ev.Values[i].Kind != events.Null {
			return true
		}
	}
	return false
}

func (p *pred) match(ev *events.Event) bool {
	var idx []int32
	if !p.keyword {
		idx = ev.Get(p.slot)
	}
	if p.fast != nil {
		for _, i := range idx {
			if ev.Values[i].Kind == events.Null {
				continue
			}
			s := ev.Values[i].Text
			if !p.cased {
				s = ev.Folded(i)
			}
			if p.fast.has(s) {
				return true
			}
		}
		for i := range p.rest {
			if p.anyValue(ev, idx, &p.rest[i]) {
				return true
			}
		}
		return false
	}
	if p.all {
		for i := range p.tests {
			if !p.anyValue(ev, idx, &p.tests[i]) {
				return false
			}
		}
		return true
	}
	for i := range p.tests {
		if p.anyValue(ev, idx, &p.tests[i]) {
			return true
		}
	}
	return false
}

// anyValue reports whether some value of the field passes t.
func (p *pred) anyValue(ev *events.Event, idx []int32, t *test) bool {
	switch t.kind {
	case rule.Exists:
		if p.nullIsValue {
			return len(idx) > 0
		}
		return hasValue(ev, p.slot)
	case rule.Keyword:
		if p.keyword {
			// Keywords search every value as text: in the Windows event
			// XML that JSON dumps came from, numbers are text too.
			for i := range ev.Values {
				if ev.Values[i].Kind != events.Null && p.testString(ev, int32(i), t) {
					return true
				}
			}
			return false
		}
	}
	switch p.fn {
	case "":
	case "mvcount":
		return t.compareNumber(float64(countValues(ev, idx)))
	default:
		for _, i := range idx {
			if v, ok := applyFunc(p.fn, ev.Values[i]); ok && t.compareNumber(v) {
				return true
			}
		}
		return false
	}
	for _, i := range idx {
		if ev.Values[i].Kind == events.Null {
			continue
		}
		if p.testValue(ev, i, t) {
			return true
		}
	}
	return false
}

// valueMatches reports whether value i of the predicate's field alone
// passes the predicate (one of its tests; with strict, all of them for an
// all-values predicate): which value of a multi-valued field matched.
func (p *pred) valueMatches(ev *events.Event, i int32, strict bool) bool {
	if p.keyword || p.fn == "mvcount" {
		return false
	}
	if p.fast != nil {
		s := ev.Values[i].Text
		if !p.cased {
			s = ev.Folded(i)
		}
		if p.fast.has(s) {
			return true
		}
		for j := range p.rest {
			if p.testOne(ev, i, &p.rest[j]) {
				return true
			}
		}
		return false
	}
	all := strict && p.all
	for j := range p.tests {
		ok := p.testOne(ev, i, &p.tests[j])
		switch {
		case ok && !all:
			return true
		case !ok && all:
			return false
		}
	}
	return all
}

// testOne runs one test on value i (not null) of the predicate's field.
func (p *pred) testOne(ev *events.Event, i int32, t *test) bool {
	switch {
	case t.kind == rule.Exists:
		return true
	case p.fn != "":
		v, ok := applyFunc(p.fn, ev.Values[i])
		return ok && t.compareNumber(v)
	}
	return p.testValue(ev, i, t)
}

func countValues(ev *events.Event, idx []int32) int {
	n := 0
	for _, i := range idx {
		if ev.Values[i].Kind != events.Null {
			n++
		}
	}
	return n
}

// testValue compares value i with one test.
func (p *pred) testValue(ev *events.Event, i int32, t *test) bool {
	if t.kind == rule.FieldRef {
		for _, j := range ev.Get(t.ref) {
			if ev.Values[j].Kind == events.Null {
				continue
			}
			if p.cased {
				if ev.Values[i].Text == ev.Values[j].Text {
					return true
				}
			} else if ev.Folded(i) == ev.Folded(j) {
				return true
			}
		}
		return false
	}
	return p.testString(ev, i, t)
}

// testString runs a test on value i, folding it only for the string kinds
// of a case-insensitive predicate.
func (p *pred) testString(ev *events.Event, i int32, t *test) bool {
	switch t.kind {
	case rule.Regex, rule.CIDR, rule.Gt, rule.Ge, rule.Lt, rule.Le:
		return t.matchText(ev.Values[i].Text)
	}
	if p.cased {
		return t.matchText(ev.Values[i].Text)
	}
	return t.matchText(ev.Folded(i))
}

// matchText runs a test on one text: folded for the string kinds of a
// case-insensitive predicate, as written otherwise.
func (t *test) matchText(s string) bool {
	switch t.kind {
	case rule.Eq:
		return s == t.lit
	case rule.Contains:
		return strings.Contains(s, t.lit)
	case rule.StartsWith:
		return strings.HasPrefix(s, t.lit)
	case rule.EndsWith:
		return strings.HasSuffix(s, t.lit)
	case rule.Wildcard:
		return t.glob.match(s)
	case rule.Keyword:
		if t.glob != nil {
			return t.glob.match(s)
		}
		return strings.Contains(s, t.lit)
	case rule.Regex:
		return t.re.MatchString(s)
	case rule.CIDR:
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		return err == nil && t.net.Contains(a.Unmap())
	case rule.Gt, rule.Ge, rule.Lt, rule.Le:
		if t.isNum {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				n, ok := parseHex(s)
				if !ok {
					return false
				}
				f = n
			}
			return t.compareNumber(f)
		}
		return t.compareText(s)
	}
	return false
}

// evalTexts decides the predicate on constant values (a field a binding
// fixes, like host.os.type "windows" for Windows events): nil means the
// field is absent. It is the compile-time twin of eval.
func (p *pred) evalTexts(vals []string) bool {
	r := false
	if p.all {
		r = true
		for i := range p.tests {
			if !p.anyText(vals, &p.tests[i]) {
				r = false
				break
			}
		}
	} else {
		for i := range p.tests {
			if p.anyText(vals, &p.tests[i]) {
				r = true
				break
			}
		}
	}
	if p.negate {
		if p.present && len(vals) == 0 {
			return false
		}
		return !r
	}
	return r
}

func (p *pred) anyText(vals []string, t *test) bool {
	switch t.kind {
	case rule.Exists:
		return len(vals) > 0
	case rule.FieldRef, rule.Keyword:
		return false
	}
	for _, v := range vals {
		if p.fn != "" {
			f, ok := applyFunc(p.fn, events.Value{Text: v})
			if p.fn == "mvcount" {
				f, ok = float64(len(vals)), true
			}
			if ok && t.compareNumber(f) {
				return true
			}
			continue
		}
		switch t.kind {
		case rule.Regex, rule.CIDR, rule.Gt, rule.Ge, rule.Lt, rule.Le:
		default:
			if !p.cased {
				v = events.Fold(v)
			}
		}
		if t.matchText(v) {
			return true
		}
	}
	return false
}

func (t *test) compareNumber(f float64) bool {
	if math.IsNaN(f) {
		return false
	}
	switch t.kind {
	case rule.Gt:
		return f > t.num
	case rule.Ge:
		return f >= t.num
	case rule.Lt:
		return f < t.num
	case rule.Le:
		return f <= t.num
	case rule.Eq:
		return f == t.num
	}
	return false
}

func (t *test) compareText(v string) bool {
	c := strings.Compare(v, t.text)
	switch t.kind {
	case rule.Gt:
		return c > 0
	case rule.Ge:
		return c >= 0
	case rule.Lt:
		return c < 0
	case rule.Le:
		return c <= 0
	}
	return false
}

// parseHex reads 0x-prefixed numbers (Windows access masks, logon types).
func parseHex(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") {
		n, err := strconv.ParseUint(s[2:], 16, 64)
		return float64(n), err == nil
	}
	return 0, false
}

// applyFunc computes a predicate's function of one value: the length of a
// string, or a part of a date (Sigma's time modifiers).
func applyFunc(fn string, v events.Value) (float64, bool) {
	switch fn {
	case "len", "length":
		return float64(utf8.RuneCountInString(v.Text)), true
	}
	t, ok := events.ParseTime(v.Text)
	if !ok {
		return 0, false
	}
	switch fn {
	case "minute":
		return float64(t.Minute()), true
	case "hour":
		return float64(t.Hour()), true
	case "day":
		return float64(t.Day()), true
	case "week":
		_, w := t.ISOWeek()
		return float64(w), true
	case "month":
		return float64(t.Month()), true
	case "year":
		return float64(t.Year()), true
	}
	return 0, false
}

// knownFuncs are the predicate functions the matcher computes.
var knownFuncs = map[string]bool{"": true, "len": true, "length": true, "mvcount": true,
	"minute": true, "hour": true, "day": true, "week": true, "month": true, "year": true}
