package sigma

import (
	"ruledex/internal/rule"
)

// link ties correlation rules and filters to the rules they name, both
// ways: "correlates"/"correlated-by" and "filters"/"filtered-by". A
// reference is a rule id or a rule's name (correlation rules
// specification, "Related rules"). A reference that matches no rule is a
// problem on the referencing rule; its link keeps the reference as written.
func link(rules []*rule.Rule) {
	byID := map[string][]*rule.Rule{}
	byName := map[string][]*rule.Rule{}
	for _, r := range rules {
		byID[r.ID] = append(byID[r.ID], r)
		if r.Sigma != nil && r.Sigma.Name != "" {
			byName[r.Sigma.Name] = append(byName[r.Sigma.Name], r)
		}
	}
	seen := map[linkKey]bool{}
	addLink := func(r *rule.Rule, l rule.Link) {
		k := linkKey{r, l.Relation, l.ID}
		if seen[k] {
			return
		}
		seen[k] = true
		r.Links = append(r.Links, l)
	}
	resolve := func(ref string) []*rule.Rule {
		if t := byID[ref]; len(t) > 0 {
			return t
		}
		return byName[ref]
	}
	for _, r := range rules {
		if r.Sigma == nil {
			continue
		}
		var refs []string
		var rel, back, what string
		switch {
		case r.Sigma.Correlation != nil:
			refs, rel, back, what = r.Sigma.Correlation.Rules, "correlates", "correlated-by", "correlation"
		case r.Sigma.Filter != nil:
			refs, rel, back, what = r.Sigma.Filter.Rules, "filters", "filtered-by", "filter"
		default:
			continue
		}
		for _, ref := range refs {
			targets := resolve(ref)
			if len(targets) == 0 {
				r.Problems = append(r.Problems, rule.Problem{Line: r.Line, Kind: "other",
					Message: "the " + what + " refers to `" + ref + "`, which is neither the id nor the name of a rule in this ruleset"})
				addLink(r, rule.Link{Relation: rel, Source: "sigma", ID: ref})
				continue
			}
			for _, t := range targets {
				addLink(r, rule.Link{Relation: rel, Source: "sigma", ID: t.ID})
				addLink(t, rule.Link{Relation: back, Source: "sigma", ID: r.ID})
			}
		}
	}
}

// linkKey identifies a link of one rule, to add each once.
type linkKey struct {
	r       *rule.Rule
	rel, id string
}
