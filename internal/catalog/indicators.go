package catalog

import (
	"fmt"
	"hash/fnv"
	"sort"

	"ruledex/internal/rule"
	"ruledex/internal/source"
)

// Indicator is one (field, kind, lowercased value, negated) of the catalog
// with every rule that tests it.
type Indicator struct {
	rule.IndicatorKey
	// Value is the value as the first rule (in catalog order) writes it.
	Value string
	Slug  string
	Count rule.Count
	Rules []*rule.Rule
	// Written is the value as each of Rules writes it (the case may differ).
	Written []string
}

// Indicator returns the catalog entry of an indicator key.
func (c *Catalog) Indicator(k rule.IndicatorKey) *Indicator {
	return c.byIndicator[k]
}

// IndicatorBySlug returns the indicator with a slug.
func (c *Catalog) IndicatorBySlug(slug string) *Indicator {
	for _, in := range c.Indicators {
		if in.Slug == slug {
			return in
		}
	}
	return nil
}

// countIndicators groups every rule's indicators by their corpus key and
// writes the counts back into each rule's indicators.
// keys[i][j] is the key of rule i's indicator j.
func (c *Catalog) countIndicators(keys [][]rule.IndicatorKey) {
	c.byIndicator = map[rule.IndicatorKey]*Indicator{}
	// entries[i][j] is the entry of rule i's indicator j.
	entries := make([][]*Indicator, len(c.Rules))
	for i, r := range c.Rules {
		entries[i] = make([]*Indicator, len(r.Indicators))
		for j, in := range r.Indicators {
			k := keys[i][j]
			e := c.byIndicator[k]
			if e == nil {
				e = &Indicator{IndicatorKey: k, Value: in.Value, Count: rule.Count{BySource: map[string]int{}}}
				c.byIndicator[k] = e
				c.Indicators = append(c.Indicators, e)
			}
			entries[i][j] = e
			// A rule can hold the same key twice (values that differ only
			// in case); it counts once.
			if n := len(e.Rules); n > 0 && e.Rules[n-1] == r {
				continue
			}
			e.Rules = append(e.Rules, r)
			e.Written = append(e.Written, in.Value)
			e.Count.Total++
			e.Count.BySource[r.Source]++
		}
	}
	for i, r := range c.Rules {
		for j := range r.Indicators {
			r.Indicators[j].Corpus = entries[i][j].Count
		}
	}
	sort.SliceStable(c.Indicators, func(i, j int) bool {
		a, b := c.Indicators[i], c.Indicators[j]
		if a.Count.Total != b.Count.Total {
			return a.Count.Total > b.Count.Total
		}
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		return a.IndicatorKey.Value < b.IndicatorKey.Value
	})
	c.byFieldValue = map[fieldValue][]*Indicator{}
	for _, e := range c.Indicators {
		k := fieldValue{e.Field, e.IndicatorKey.Value}
		c.byFieldValue[k] = append(c.byFieldValue[k], e)
	}
	source.Parallel(len(c.Indicators), func(i int) {
		c.Indicators[i].Slug = indicatorSlug(c.Indicators[i].IndicatorKey)
	})
	used := make(map[string]bool, len(c.Indicators))
	for _, e := range c.Indicators {
		base := e.Slug
		for n := 2; used[e.Slug]; n++ { // a hash collision: keep both
			e.Slug = fmt.Sprintf("%s-%d", base, n)
		}
		used[e.Slug] = true
	}
}

// indicatorSlug is a readable, file-name-safe and (with its hash) unique
// name for an indicator: field-kind-value, shortened, plus 8 hex digits of
// the full key.
func indicatorSlug(k rule.IndicatorKey) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%t", k.Field, k.Kind, k.Value, k.Negated)
	prefix := ""
	if k.Negated {
		prefix = "not-"
	}
	readable := Slugify(prefix + k.Field + "-" + string(k.Kind) + "-" + k.Value)
	if len(readable) > 60 {
		readable = readable[:60]
	}
	if readable == "" {
		readable = "indicator"
	}
	return fmt.Sprintf("%s-%08x", readable, h.Sum32())
}

// fieldValue is an indicator without its kind and negation.
type fieldValue struct{ field, value string }

// Variants returns the other indicators with the same field and
// (lowercased) value: another kind or the opposite negation.
func (c *Catalog) Variants(in *Indicator) []*Indicator {
	var out []*Indicator
	for _, o := range c.byFieldValue[fieldValue{in.Field, in.IndicatorKey.Value}] {
		if o != in {
			out = append(out, o)
		}
	}
	return out
}

// IndicatorOf returns the catalog entry for one of a rule's indicators.
func (c *Catalog) IndicatorOf(in rule.Indicator) *Indicator {
	return c.byIndicator[in.Key()]
}
