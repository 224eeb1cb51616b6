package catalog

import (
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"

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
	// nextVariant is the next indicator with the same field and value.
	nextVariant *Indicator
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
	refs := 0
	for _, ks := range keys {
		refs += len(ks)
	}
	c.byIndicator = make(map[rule.IndicatorKey]*Indicator, refs/2)
	// Counts per source are tallied in one flat table (row = indicator,
	// column = source) and only then turned into maps: 65,000 indicators
	// share 235 distinct by-source counts, so each distinct one is one map.
	srcCol := make(map[string]int, len(c.Sources))
	for _, s := range c.Sources {
		if _, ok := srcCol[s.Kind]; !ok {
			srcCol[s.Kind] = len(srcCol)
		}
	}
	ncol := len(srcCol)
	var tally []int32
	row := make(map[*Indicator]int, refs/2)
	// entries[i][j] is the entry of rule i's indicator j.
	entries := make([][]*Indicator, len(c.Rules))
	for i, r := range c.Rules {
		entries[i] = make([]*Indicator, len(r.Indicators))
		col := srcCol[r.Source]
		for j, in := range r.Indicators {
			k := keys[i][j]
			e := c.byIndicator[k]
			if e == nil {
				e = &Indicator{IndicatorKey: k, Value: in.Value}
				c.byIndicator[k] = e
				row[e] = len(c.Indicators)
				c.Indicators = append(c.Indicators, e)
				tally = append(tally, make([]int32, ncol)...)
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
			tally[row[e]*ncol+col]++
		}
	}
	kinds := make([]string, ncol)
	for k, col := range srcCol {
		kinds[col] = k
	}
	// The maps are shared between indicators with the same counts and
	// never written after this.
	shared := map[string]map[string]int{}
	for i, e := range c.Indicators {
		counts := tally[i*ncol : (i+1)*ncol]
		key := fmt.Sprint(counts)
		m, ok := shared[key]
		if !ok {
			m = make(map[string]int, ncol)
			for col, n := range counts {
				if n > 0 {
					m[kinds[col]] = int(n)
				}
			}
			shared[key] = m
		}
		e.Count.BySource = m
	}
	for i, r := range c.Rules {
		for j := range r.Indicators {
			r.Indicators[j].Corpus = entries[i][j].Count
		}
	}
	slices.SortStableFunc(c.Indicators, func(a, b *Indicator) int {
		if a.Count.Total != b.Count.Total {
			return b.Count.Total - a.Count.Total
		}
		if a.Field != b.Field {
			return strings.Compare(a.Field, b.Field)
		}
		return strings.Compare(a.IndicatorKey.Value, b.IndicatorKey.Value)
	})
	// Indicators that differ only in kind or negation are chained, in
	// catalog order, from the first of them.
	c.variantsHead = make(map[fieldValue]*Indicator, len(c.Indicators))
	for i := len(c.Indicators) - 1; i >= 0; i-- {
		e := c.Indicators[i]
		k := fieldValue{e.Field, e.IndicatorKey.Value}
		e.nextVariant = c.variantsHead[k]
		c.variantsHead[k] = e
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
	negated := "false"
	if k.Negated {
		negated = "true"
	}
	for _, part := range [...]string{k.Field, "\x00", string(k.Kind), "\x00", k.Value, "\x00", negated} {
		io.WriteString(h, part)
	}
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
	sum := strconv.FormatUint(uint64(h.Sum32()), 16)
	return readable + "-" + strings.Repeat("0", 8-len(sum)) + sum
}

// fieldValue is an indicator without its kind and negation.
type fieldValue struct{ field, value string }

// Variants returns the other indicators with the same field and
// (lowercased) value: another kind or the opposite negation.
func (c *Catalog) Variants(in *Indicator) []*Indicator {
	var out []*Indicator
	for o := c.variantsHead[fieldValue{in.Field, in.IndicatorKey.Value}]; o != nil; o = o.nextVariant {
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
