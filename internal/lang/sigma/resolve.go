package sigma

import (
	"strings"

	"ruledex/internal/rule"
)

// resolver turns parsed conditions into stages by substituting each search
// identifier's tree.
type resolver struct {
	d      *Detection
	b      *builder
	byName map[string]*SearchIdentifier
	cond   *Condition
	cost   int  // values referenced so far: identifiers used many times count each time
	over   bool // cost exceeded maxValues (reported once)
}

func newResolver(d *Detection, b *builder) *resolver {
	r := &resolver{d: d, b: b, byName: make(map[string]*SearchIdentifier, len(d.Identifiers))}
	for _, s := range d.Identifiers {
		if _, ok := r.byName[s.Name]; !ok {
			r.byName[s.Name] = s
		}
	}
	return r
}

// stages builds the stages of the detection.
func (r *resolver) stages() []rule.Stage {
	conds := r.d.Conditions
	if len(conds) == 1 {
		return r.conditionStages(conds[0])
	}
	// A list of conditions: alternatives, one OR stage; aggregations of
	// the Sigma 1 form follow as their own stages.
	var terms []rule.Expr
	var labels, texts []string
	var aggs []rule.Stage
	for _, c := range conds {
		r.cond = c
		texts = append(texts, c.Text)
		labels = append(labels, "("+oneLine(c.Text)+")")
		switch {
		case c.Cond == nil:
			terms = append(terms, &rule.Opaque{Text: c.Text, Reason: c.Err.Msg})
		case isPipe(c.Cond):
			p := c.Cond.(*PipeExpr)
			terms = append(terms, r.expr(p.Search))
			aggs = append(aggs, r.aggStage(p))
		default:
			terms = append(terms, r.expr(c.Cond))
		}
	}
	out := []rule.Stage{{Command: "condition", Label: strings.Join(labels, " or "), Text: strings.Join(texts, "\n"),
		Expr: rule.NewOr(terms...), Role: rule.RoleFilter, Line: conds[0].Line}}
	out = append(out, aggs...)
	return number(out, r.d.Timeframe)
}

func isPipe(c Cond) bool { _, ok := c.(*PipeExpr); return ok }

// conditionStages splits one condition into its top-level AND terms.
func (r *resolver) conditionStages(c *Condition) []rule.Stage {
	r.cond = c
	if c.Cond == nil {
		return number([]rule.Stage{{Command: "condition", Label: oneLine(c.Text), Text: c.Text,
			Expr: &rule.Opaque{Text: c.Text, Reason: c.Err.Msg}, Role: rule.RoleFilter, Line: c.Line}}, "")
	}
	search := c.Cond
	var pipe *PipeExpr
	if p, ok := search.(*PipeExpr); ok {
		pipe, search = p, p.Search
	}
	// Parentheses around the whole condition group nothing: "(a and b)"
	// has the stages of "a and b".
	for {
		p, ok := search.(*ParenExpr)
		if !ok {
			break
		}
		search = p.X
	}
	terms := []Cond{search}
	if and, ok := search.(*AndExpr); ok {
		terms = and.Terms
	}
	out := make([]rule.Stage, 0, len(terms)+1)
	for _, t := range terms {
		start, end := t.Span()
		label := t
		if p, ok := t.(*ParenExpr); ok {
			label = p.X
		}
		ls, le := label.Span()
		out = append(out, rule.Stage{Command: "condition", Label: oneLine(c.Text[ls:le]), Text: c.Text[start:end],
			Expr: r.expr(t), Role: rule.RoleFilter, Line: c.lineAt(start)})
	}
	if pipe != nil {
		out = append(out, r.aggStage(pipe))
	}
	return number(out, r.d.Timeframe)
}

// aggStage is the stage of a deprecated "| aggregation".
func (r *resolver) aggStage(p *PipeExpr) rule.Stage {
	c := r.cond
	start, end := p.Agg.Span()
	st := rule.Stage{Text: c.Text[start:end], Label: oneLine(c.Text[start:end]), Line: c.lineAt(start)}
	switch a := p.Agg.(type) {
	case *AggExpr:
		st.Command, st.Role = "aggregation", rule.RoleAggregate
		st.Attrs = append(st.Attrs, rule.Attr{Name: "function", Value: a.Func})
		if a.Field != "" {
			st.Attrs = append(st.Attrs, rule.Attr{Name: "field", Value: a.Field})
		}
		if a.GroupBy != "" {
			st.Attrs = append(st.Attrs, rule.Attr{Name: "by", Value: a.GroupBy})
		}
		st.Attrs = append(st.Attrs, rule.Attr{Name: "condition", Value: a.Op + " " + a.Value})
	case *NearExpr:
		// near: the other selections must occur close in time to the
		// primary events; their tests are real tests of the rule.
		st.Command, st.Role = "near", rule.RoleJoin
		st.Expr = r.expr(a.X)
	}
	return st
}

// number sets the stage indexes and adds the deprecated timeframe to
// aggregation stages (or to the only stage when there is none).
func number(st []rule.Stage, timeframe string) []rule.Stage {
	for i := range st {
		st[i].Index = i + 1
	}
	if timeframe != "" && len(st) > 0 {
		at := len(st) - 1
		for i := range st {
			if st[i].Role == rule.RoleAggregate || st[i].Role == rule.RoleJoin {
				at = i
			}
		}
		st[at].Attrs = append(st[at].Attrs, rule.Attr{Name: "timeframe", Value: timeframe})
	}
	return st
}

// expr resolves a condition node into the expression tree.
func (r *resolver) expr(c Cond) rule.Expr {
	switch n := c.(type) {
	case *Ident:
		s := r.byName[n.Name]
		if s == nil {
			r.b.problem(r.cond.lineAt(n.Start), "parse", "the condition names `%s`, which is not a search identifier of the detection%s", n.Name, keywordHint(n.Name))
			return &rule.Opaque{Text: n.Name, Reason: "undefined search identifier"}
		}
		return r.use(s)
	case *OfExpr:
		if r.over {
			return &rule.Opaque{Text: FormatCond(n), Reason: "condition too large"}
		}
		matched := r.match(n)
		if r.exceeded() {
			return &rule.Opaque{Text: FormatCond(n), Reason: "condition too large"}
		}
		if len(matched) == 0 {
			what := "no search identifier"
			if !n.Them {
				what = "no search identifier matches `" + n.Pattern + "`"
			}
			r.b.problem(r.cond.lineAt(n.Start), "parse", "in the condition `%s`: %s; define one or fix the pattern", FormatCond(n), what)
			return &rule.Opaque{Text: FormatCond(n), Reason: "no matching search identifier"}
		}
		terms := make([]rule.Expr, len(matched))
		for i, s := range matched {
			terms[i] = r.use(s)
		}
		if n.All {
			return rule.NewAnd(terms...)
		}
		return rule.NewOr(terms...)
	case *NotExpr:
		return rule.NewNot(r.expr(n.X))
	case *AndExpr:
		terms := make([]rule.Expr, len(n.Terms))
		for i, t := range n.Terms {
			terms[i] = r.expr(t)
		}
		return rule.NewAnd(terms...)
	case *OrExpr:
		terms := make([]rule.Expr, len(n.Terms))
		for i, t := range n.Terms {
			terms[i] = r.expr(t)
		}
		return rule.NewOr(terms...)
	case *ParenExpr:
		return r.expr(n.X)
	case *PipeExpr:
		return r.expr(n.Search)
	}
	return nil
}

// use returns an identifier's tree, charging its size against the budget:
// the trees are shared, not copied, but whoever walks the result pays for
// every reference.
func (r *resolver) use(s *SearchIdentifier) rule.Expr {
	if r.over {
		return &rule.Opaque{Text: s.Name, Reason: "condition too large"}
	}
	r.cost += s.size + 1
	if r.exceeded() {
		return &rule.Opaque{Text: s.Name, Reason: "condition too large"}
	}
	return s.Expr
}

// exceeded reports whether the condition's cost passed maxValues, reporting
// it the first time.
func (r *resolver) exceeded() bool {
	if r.cost > maxValues && !r.over {
		r.over = true
		r.b.problem(r.cond.Line, "parse", "the condition refers to more than %d values in all; ruledex does not load it", maxValues)
	}
	return r.over
}

// match lists the identifiers an "of" refers to, in the order written.
// "them" is every identifier not starting with "_" (specification,
// "Condition"); a pattern matches with * as any run of characters, and
// leaves out "_" identifiers unless it starts with "_" itself.
func (r *resolver) match(n *OfExpr) []*SearchIdentifier {
	var out []*SearchIdentifier
	seen := map[string]bool{}
	for _, s := range r.d.Identifiers {
		if seen[s.Name] {
			continue
		}
		if strings.HasPrefix(s.Name, "_") && (n.Them || !strings.HasPrefix(n.Pattern, "_")) {
			continue
		}
		// Matching costs work too: charge it so that thousands of patterns
		// over thousands of identifiers are refused, not ground through.
		r.cost += 1 + len(n.Pattern)*len(s.Name)>>10
		if r.cost > maxValues {
			break
		}
		if n.Them || globMatch(n.Pattern, s.Name) {
			seen[s.Name] = true
			out = append(out, s)
		}
	}
	return out
}

// globMatch matches name against pattern where * is any run of characters
// (the greedy matcher with one backtrack point: no exponential blow-up).
func globMatch(pattern, name string) bool {
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case star >= 0:
			p = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// oneLine collapses runs of white space so that a multi-line term reads as
// one line in a label.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r\t") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}
