package catalog

import (
	"sort"

	"ruledex/internal/rule"
)

// indexTechniques maps each technique id (and each parent of a
// sub-technique) to the rules that cover it.
func (c *Catalog) indexTechniques() {
	c.byTechnique = map[string][]*rule.Rule{}
	for _, r := range c.Rules {
		seen := map[string]bool{}
		for _, t := range r.Attack {
			for _, id := range []string{t.ID, t.Parent} {
				if id != "" && !seen[id] {
					seen[id] = true
					c.byTechnique[id] = append(c.byTechnique[id], r)
				}
			}
		}
	}
}

// RulesFor returns the rules that cover a technique (its sub-techniques
// included).
func (c *Catalog) RulesFor(technique string) []*rule.Rule {
	return c.byTechnique[technique]
}

// TechniqueIDs lists every technique id some rule covers, sorted.
func (c *Catalog) TechniqueIDs() []string {
	ids := make([]string, 0, len(c.byTechnique))
	for id := range c.byTechnique {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
