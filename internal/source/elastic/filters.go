package elastic

import (
	"encoding/json"
	"fmt"

	"ruledex/internal/lang"
	"ruledex/internal/lang/lucene"
	"ruledex/internal/rule"
)

// Kibana filters ([[rule.filters]], [[rule.threat_filters]]) are query DSL
// clauses ANDed with the rule's query: {meta: {negate, disabled}, query:
// {wildcard|match_phrase|match|term|terms|exists|range|bool|query_string}}.
// filtersExpr turns them into the expression tree; a clause it does not
// know stays Opaque with its JSON.
func filtersExpr(filters []map[string]any) (rule.Expr, []string) {
	var terms []rule.Expr
	var texts []string
	for _, f := range filters {
		texts = append(texts, toJSON(f))
		meta, _ := f["meta"].(map[string]any)
		if b, _ := meta["disabled"].(bool); b {
			continue
		}
		q, ok := f["query"].(map[string]any)
		if !ok {
			q = f // older filters put exists/match_phrase at the top
		}
		e := dslExpr(withoutMeta(q), 0)
		if b, _ := meta["negate"].(bool); b {
			e = rule.NewNot(e)
		}
		terms = append(terms, e)
	}
	return rule.NewAnd(terms...), texts
}

// withoutMeta drops the keys of a filter that are not query clauses.
func withoutMeta(q map[string]any) map[string]any {
	if _, ok := q["meta"]; !ok {
		if _, ok := q["$state"]; !ok {
			return q
		}
	}
	out := make(map[string]any, len(q))
	for k, v := range q {
		if k != "meta" && k != "$state" {
			out[k] = v
		}
	}
	return out
}

// dslExpr converts one query DSL object.
func dslExpr(q map[string]any, depth int) rule.Expr {
	if depth > lang.MaxDepth {
		return &rule.Opaque{Text: "…", Reason: fmt.Sprintf("filter nests deeper than %d levels", lang.MaxDepth)}
	}
	if len(q) != 1 {
		return opaqueDSL(q, "a filter clause should have exactly one query type")
	}
	for kind, body := range q {
		switch kind {
		case "bool":
			if b, ok := body.(map[string]any); ok {
				return boolExpr(b, depth)
			}
		case "query_string":
			if b, ok := body.(map[string]any); ok {
				if s, ok := b["query"].(string); ok {
					if e, err := lucene.Parse(s); err == nil {
						return e
					}
				}
			}
		case "exists":
			if b, ok := body.(map[string]any); ok {
				if f, ok := b["field"].(string); ok {
					return &rule.Predicate{Field: f, Op: "exists", Values: []rule.Value{{Kind: rule.Exists}}}
				}
			}
		default:
			if e := fieldClause(kind, body); e != nil {
				return e
			}
		}
	}
	return opaqueDSL(q, "query DSL clause not understood by ruledex")
}

// fieldClause converts {field: value} clauses: wildcard, match_phrase,
// match, term, terms, range.
func fieldClause(kind string, body any) rule.Expr {
	b, ok := body.(map[string]any)
	if !ok || len(b) != 1 {
		return nil
	}
	for field, v := range b {
		p := &rule.Predicate{Field: field, Op: kind}
		opts, _ := v.(map[string]any)
		switch kind {
		case "wildcard":
			s, ok := scalarText(v, opts, "value", "wildcard")
			if !ok {
				return nil
			}
			p.Values = []rule.Value{lucene.WildcardValue(s)}
			ci, _ := opts["case_insensitive"].(bool)
			p.Cased = !ci
		case "match_phrase", "match":
			s, ok := scalarText(v, opts, "query")
			if !ok {
				return nil
			}
			p.Values = []rule.Value{{Kind: rule.Eq, Value: s}}
		case "term":
			s, ok := scalarText(v, opts, "value")
			if !ok {
				return nil
			}
			p.Values = []rule.Value{{Kind: rule.Eq, Value: s}}
			ci, _ := opts["case_insensitive"].(bool)
			p.Cased = !ci
		case "terms":
			list, ok := v.([]any)
			if !ok || len(list) == 0 {
				return nil
			}
			for _, x := range list {
				s, ok := scalarText(x, nil)
				if !ok {
					return nil
				}
				p.Values = append(p.Values, rule.Value{Kind: rule.Eq, Value: s})
			}
			p.Cased = true
		case "range":
			if opts == nil {
				return nil
			}
			for _, k := range []struct {
				key  string
				kind rule.Kind
			}{{"gt", rule.Gt}, {"gte", rule.Ge}, {"lt", rule.Lt}, {"lte", rule.Le}} {
				if x, ok := opts[k.key]; ok {
					s, ok := scalarText(x, nil)
					if !ok {
						return nil
					}
					p.Values = append(p.Values, rule.Value{Kind: k.kind, Value: s})
				}
			}
			if len(p.Values) == 0 {
				return nil
			}
			p.All = true
		default:
			return nil
		}
		return p
	}
	return nil
}

// scalarText reads a clause's value: the value itself or, in the long
// form, opts[key] for the first key present.
func scalarText(v any, opts map[string]any, keys ...string) (string, bool) {
	if opts != nil {
		for _, k := range keys {
			if x, ok := opts[k]; ok {
				return scalarText(x, nil)
			}
		}
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, true
	case int64, float64, bool:
		return fmt.Sprint(v), true
	}
	return "", false
}

func boolExpr(b map[string]any, depth int) rule.Expr {
	list := func(key string) []rule.Expr {
		var out []rule.Expr
		switch v := b[key].(type) {
		case []any:
			for _, x := range v {
				if m, ok := x.(map[string]any); ok {
					out = append(out, dslExpr(m, depth+1))
				} else {
					out = append(out, opaqueDSL(x, "not a query object"))
				}
			}
		case []map[string]any:
			for _, m := range v {
				out = append(out, dslExpr(m, depth+1))
			}
		case map[string]any:
			out = append(out, dslExpr(v, depth+1))
		}
		return out
	}
	musts := append(list("must"), list("filter")...)
	if should := list("should"); len(should) > 0 {
		musts = append(musts, rule.NewOr(should...))
	}
	for _, n := range list("must_not") {
		musts = append(musts, rule.NewNot(n))
	}
	return rule.NewAnd(musts...)
}

func opaqueDSL(v any, reason string) rule.Expr {
	return &rule.Opaque{Text: toJSON(v), Reason: reason}
}

// toJSON writes a decoded TOML value as compact JSON with sorted keys.
func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
