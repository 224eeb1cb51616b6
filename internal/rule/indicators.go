package rule

import (
	"fmt"
	"strings"
)

// IndicatorKey is what makes two indicators the same across the catalog:
// field, kind, value lowercased, negation.
type IndicatorKey struct {
	Field   string
	Kind    Kind
	Value   string // lowercased
	Negated bool
}

// Key returns the corpus identity of the indicator.
func (in Indicator) Key() IndicatorKey {
	return IndicatorKey{in.Field, in.Kind, strings.ToLower(in.Value), in.Negated}
}

// ExprIndicators lists the indicators of one expression: every value of
// every predicate, negated by the parity of the Nots above it and its own
// negation, each distinct (field, kind, value, negated) once, in order of
// appearance.
func ExprIndicators(e Expr) []Indicator {
	var out []Indicator
	seen := map[leafKey]bool{}
	collect(e, &out, seen)
	return out
}

func collect(e Expr, out *[]Indicator, seen map[leafKey]bool) {
	Walk(e, func(n Expr, nots int) bool {
		p, ok := n.(*Predicate)
		if !ok {
			return true
		}
		neg := (nots%2 == 1) != p.Negated
		field := p.Field
		if p.Func != "" {
			field = p.Func + "(" + p.Field + ")"
		}
		for _, v := range p.Values {
			k := leafKey{field, v.Kind, v.Value, neg}
			if seen[k] {
				continue
			}
			seen[k] = true
			*out = append(*out, Indicator{Field: field, Kind: v.Kind, Value: v.Value, Negated: neg})
		}
		return true
	})
}

// DeriveIndicators sets r.Indicators from the expressions of all its
// stages (each distinct indicator once per rule).
func (r *Rule) DeriveIndicators() {
	var out []Indicator
	seen := map[leafKey]bool{}
	for i := range r.Stages {
		collect(r.Stages[i].Expr, &out, seen)
	}
	r.Indicators = out
}

// leafKey is an indicator's identity within one rule (value as written).
type leafKey struct {
	field   string
	kind    Kind
	value   string
	negated bool
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
