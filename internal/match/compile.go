package match

import (
	"fmt"
	"net/netip"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"

	"ruledex/internal/match/events"
	"ruledex/internal/rule"
)

// op is what a compiled node does.
type op uint8

const (
	opFalse op = iota
	opTrue
	opAnd
	opOr
	opNot
	opPred
)

// node is a compiled expression: the rule.Expr with its predicates bound
// to slots and constant parts folded away.
type node struct {
	op   op
	kids []*node
	p    *pred
}

var (
	nodeTrue  = &node{op: opTrue}
	nodeFalse = &node{op: opFalse}
)

func (n *node) eval(ev *events.Event) bool {
	switch n.op {
	case opTrue:
		return true
	case opAnd:
		for _, k := range n.kids {
			if !k.eval(ev) {
				return false
			}
		}
		return true
	case opOr:
		for _, k := range n.kids {
			if k.eval(ev) {
				return true
			}
		}
		return false
	case opNot:
		return !n.kids[0].eval(ev)
	case opPred:
		return n.p.eval(ev)
	}
	return false
}

// access is where a binding finds a rule field: an event slot, fixed
// values (constant for every event of the binding), or nowhere.
type access struct {
	slot   events.Slot
	consts []string
	fixed  bool // consts hold the values (none: the field is absent)
}

// semantics are the comparison rules of a rule's language that the tree
// does not spell out.
type semantics struct {
	// negatedNeedsField: a negated leaf is false when its field is absent
	// (SPL f!=x); elsewhere a negated leaf is the plain negation.
	negatedNeedsField bool
	// existsCountsNull: |exists checks presence only, a null value counts
	// (Sigma); elsewhere exists means present and not null.
	existsCountsNull bool
}

// compiler binds one rule's tree for one binding.
type compiler struct {
	schema  *events.Schema
	resolve func(field string) access
	sem     semantics
	fields  []hitField                // fields of positive predicates, for hits
	seen    map[string]int            // field name → index in fields
	regexes map[string]*regexp.Regexp // shared across a compile run

	// collect: record the slots the tree tests (gate of a variant).
	collect  bool
	tested   []events.Slot
	testsAny bool // a keyword predicate: every value is tested
}

// hitField is a field a hit shows, with the positive predicates that test
// it: a hit shows the value one of them matched.
type hitField struct {
	name  string
	slot  events.Slot
	preds []*pred
}

// addTested records a slot the tree tests.
func (c *compiler) addTested(s events.Slot) {
	if !c.collect || s < 0 {
		return
	}
	for _, t := range c.tested {
		if t == s {
			return
		}
	}
	c.tested = append(c.tested, s)
}

// notEvaluable is the reason a tree cannot be evaluated exactly.
type notEvaluable struct{ reason string }

func (e *notEvaluable) Error() string { return e.reason }

func notEval(format string, args ...any) error {
	return &notEvaluable{fmt.Sprintf(format, args...)}
}

// compileJunction compiles the terms of an and (junction opAnd) or an
// or (opOr), folding constants: a false term makes an and false and a true
// one an or true; the other constant drops out.
func (c *compiler) compileJunction(args []rule.Expr, negated bool, junction op) (*node, error) {
	absorbing, neutral := nodeFalse, nodeTrue
	if junction == opOr {
		absorbing, neutral = nodeTrue, nodeFalse
	}
	kids := make([]*node, 0, len(args))
	for _, a := range args {
		k, err := c.compile(a, negated)
		if err != nil {
			return nil, err
		}
		switch k.op {
		case absorbing.op:
			return absorbing, nil
		case neutral.op:
			continue
		}
		kids = append(kids, k)
	}
	switch len(kids) {
	case 0:
		return neutral, nil
	case 1:
		return kids[0], nil
	}
	return &node{op: junction, kids: kids}, nil
}

// compile binds e; it fails with a *notEvaluable for Opaque nodes, regexes
// RE2 cannot compile and values it cannot read.
func (c *compiler) compile(e rule.Expr, negated bool) (*node, error) {
	switch e := e.(type) {
	case nil:
		return nodeTrue, nil
	case *rule.And:
		return c.compileJunction(e.Args, negated, opAnd)
	case *rule.Or:
		return c.compileJunction(e.Args, negated, opOr)
	case *rule.Not:
		k, err := c.compile(e.Arg, !negated)
		if err != nil {
			return nil, err
		}
		switch k.op {
		case opTrue:
			return nodeFalse, nil
		case opFalse:
			return nodeTrue, nil
		case opNot:
			return k.kids[0], nil
		}
		return &node{op: opNot, kids: []*node{k}}, nil
	case *rule.Predicate:
		return c.predicate(e, negated)
	case *rule.Opaque:
		reason := e.Reason
		if reason == "" {
			reason = "not a field comparison"
		}
		return nil, notEval("a condition is not a field comparison: %s (`%s`)", reason, clip(e.Text, 60))
	}
	return nil, notEval("unknown expression node %T", e)
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// predicate compiles one leaf.
func (c *compiler) predicate(rp *rule.Predicate, negated bool) (*node, error) {
	if len(rp.Values) == 0 {
		return nil, notEval("a predicate has no values (`%s`)", rp.Field)
	}
	if !knownFuncs[rp.Func] {
		return nil, notEval("the matcher does not compute this function (`%s(%s)`)", rp.Func, rp.Field)
	}
	windash := false
	for _, m := range rp.Modifiers {
		if m == "windash" {
			windash = true
		}
		if m == "expand" {
			return nil, notEval("placeholders need a pipeline that defines them, and the specification says to reject such rules (`%s|expand`)", rp.Field)
		}
	}
	p := &pred{src: rp, field: rp.Field, all: rp.All, cased: rp.Cased, negate: rp.Negated, fn: rp.Func,
		present:     rp.Negated && c.sem.negatedNeedsField && !onlyExists(rp.Values),
		nullIsValue: c.sem.existsCountsNull && strings.Contains(rp.Op, "exists"), windash: windash}
	var acc access
	if rp.Field == "" {
		p.keyword = true
	} else {
		acc = c.resolve(rp.Field)
		p.slot = acc.slot
		if !acc.fixed {
			c.addTested(acc.slot)
		}
	}
	p.tests = make([]test, 0, len(rp.Values))
	for _, v := range rp.Values {
		t, err := c.test(rp, v)
		if err != nil {
			return nil, err
		}
		if v.Kind == rule.Keyword {
			p.keyword = true
		}
		p.tests = append(p.tests, t)
	}
	if p.keyword && rp.Field != "" {
		// A keyword value on a named field: treat as contains.
		p.keyword = false
	}
	if p.keyword && c.collect {
		c.testsAny = true
	}
	p.fast, p.rest = fastSets(p)
	if !p.keyword && acc.fixed {
		for _, t := range p.tests {
			if t.kind == rule.FieldRef {
				return nodeFalse, nil
			}
		}
		if p.evalTexts(acc.consts) {
			return nodeTrue, nil
		}
		return nodeFalse, nil
	}
	if !p.keyword && !negated && !p.negate {
		if i, ok := c.seen[rp.Field]; ok {
			c.fields[i].preds = append(c.fields[i].preds, p)
		} else {
			c.seen[rp.Field] = len(c.fields)
			c.fields = append(c.fields, hitField{name: rp.Field, slot: p.slot, preds: []*pred{p}})
		}
	}
	return &node{op: opPred, p: p}, nil
}

// test compiles one value.
func (c *compiler) test(rp *rule.Predicate, v rule.Value) (test, error) {
	t := test{kind: v.Kind}
	lit := v.Value
	if !rp.Cased {
		lit = events.Fold(lit)
	}
	if rp.Func != "" && v.Kind != rule.Exists {
		f, err := strconv.ParseFloat(strings.TrimSpace(v.Value), 64)
		if err != nil {
			return t, notEval("a function of a field is compared with a value that is not a number (`%s(%s)` with %q)", rp.Func, rp.Field, v.Value)
		}
		t.num, t.isNum = f, true
		return t, nil
	}
	switch v.Kind {
	case rule.Eq, rule.Contains, rule.StartsWith, rule.EndsWith:
		t.lit = lit
	case rule.Wildcard:
		t.glob = compileGlob(v.Value, c.folder(rp.Cased))
	case rule.Keyword:
		// The value is in wildcard notation: any backslash may be an escape.
		if strings.ContainsAny(v.Value, "*?\\") {
			t.glob = compileGlob("*"+v.Value+"*", c.folder(rp.Cased))
		} else {
			t.lit = lit
		}
	case rule.Regex:
		expr := v.Value
		if rp.Anchored {
			expr = `^(?:` + expr + `)$`
		}
		re, err := c.regex(expr, rp.Flags)
		if err != nil {
			return t, err
		}
		t.re = re
	case rule.CIDR:
		pfx, err := parseCIDR(v.Value)
		if err != nil {
			return t, notEval("a cidr value is not a network (`%s`: %q: %v)", rp.Field, v.Value, err)
		}
		t.net = pfx
	case rule.Gt, rule.Ge, rule.Lt, rule.Le:
		s := strings.TrimSpace(v.Value)
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			t.num, t.isNum = f, true
		} else if f, ok := parseHex(s); ok {
			t.num, t.isNum = f, true
		} else {
			t.text = v.Value
		}
	case rule.Exists:
	case rule.FieldRef:
		a := c.resolve(v.Value)
		if a.fixed {
			return t, notEval("a field reference names a field this event source fixes (`%s` = `%s`)", rp.Field, v.Value)
		}
		t.ref = a.slot
		c.addTested(a.slot)
	default:
		return t, notEval("value kind %q is not evaluable", v.Kind)
	}
	return t, nil
}

func (c *compiler) folder(cased bool) func(string) string {
	if cased {
		return func(s string) string { return s }
	}
	return events.Fold
}

// regex compiles a regular expression with its flags (i, m, s) in Go's
// RE2 syntax, and says which construct RE2 lacks when it fails.
func (c *compiler) regex(expr, flags string) (*regexp.Regexp, error) {
	key := flags + "\x00" + expr
	if re, ok := c.regexes[key]; ok {
		return re, nil
	}
	full := expr
	if flags != "" {
		full = "(?" + flags + ")" + expr
	}
	re, err := regexp.Compile(full)
	if err != nil {
		return nil, notEval("a regex uses syntax Go's RE2 lacks (%s in %q)", re2Reason(err), clip(expr, 80))
	}
	c.regexes[key] = re
	return re, nil
}

// re2Reason names what RE2 refused: lookaround, backreferences, possessive
// or atomic groups are the PCRE features rules use.
func re2Reason(err error) string {
	var se *syntax.Error
	msg := err.Error()
	if e, ok := err.(*syntax.Error); ok {
		se = e
	}
	if se != nil {
		switch {
		case strings.HasPrefix(se.Expr, "(?=") || strings.HasPrefix(se.Expr, "(?!"):
			return "lookahead " + se.Expr
		case strings.HasPrefix(se.Expr, "(?<=") || strings.HasPrefix(se.Expr, "(?<!"):
			return "lookbehind " + se.Expr
		case strings.HasPrefix(se.Expr, "(?>"):
			return "atomic group " + se.Expr
		case se.Code == syntax.ErrInvalidEscape && len(se.Expr) == 2 && se.Expr[1] >= '1' && se.Expr[1] <= '9':
			return "backreference " + se.Expr
		}
	}
	return msg
}

// parseCIDR reads a network, or a single address as its host network.
func parseCIDR(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, err
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// onlyExists reports whether every value is an exists test (isnull(f) is
// exists negated, true when f is absent even in SPL).
func onlyExists(vs []rule.Value) bool {
	for _, v := range vs {
		if v.Kind != rule.Exists {
			return false
		}
	}
	return true
}
