package sigma

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/rule"
)

// maxValues bounds the values one detection may produce (after windash and
// base64offset expansion, and YAML aliases that repeat a big list): beyond
// it the detection is refused instead of exhausting memory.
const maxValues = 200_000

// builder turns search identifiers into expression trees and collects the
// problems it meets on the way.
type builder struct {
	problems []rule.Problem
	budget   int  // values left before maxValues
	over     bool // the budget ran out (reported once)
}

func newBuilder() *builder { return &builder{budget: maxValues} }

func (b *builder) problem(line int, kind, format string, args ...any) {
	b.problems = append(b.problems, rule.Problem{Message: fmt.Sprintf(format, args...), Line: line, Kind: kind})
}

// deref follows YAML aliases to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	return n
}

// isNull reports whether n is YAML null (null, ~ or nothing; not 'null').
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// identifier builds the tree of one search identifier: a map is AND of its
// fields, a list OR of its items (maps, or keywords when plain values), a
// plain value a keyword.
func (b *builder) identifier(name string, n *yaml.Node) rule.Expr {
	if b.over {
		return &rule.Opaque{Text: name, Reason: "detection too large"}
	}
	n = deref(n)
	switch {
	case isNull(n):
		line := 0
		if n != nil {
			line = n.Line
		}
		b.problem(line, "parse", "search identifier `%s` is empty; give it a map of fields or a list of keywords", name)
		return &rule.Opaque{Text: name, Reason: "empty search identifier"}
	case n.Kind == yaml.MappingNode:
		return b.fieldMap(name, n)
	case n.Kind == yaml.SequenceNode:
		return b.list(name, n)
	}
	return b.values("", chain{}, []*yaml.Node{n}, n.Line)
}

// list is a list of maps (OR) and/or keywords (OR).
func (b *builder) list(name string, n *yaml.Node) rule.Expr {
	terms := make([]rule.Expr, 0, len(n.Content))
	var words []*yaml.Node
	wordsAt := -1
	for _, it := range n.Content {
		if b.over {
			return &rule.Opaque{Text: name, Reason: "detection too large"}
		}
		it = deref(it)
		switch {
		case it == nil:
		case it.Kind == yaml.MappingNode:
			terms = append(terms, b.fieldMap(name, it))
		case it.Kind == yaml.ScalarNode:
			if wordsAt < 0 {
				wordsAt = len(terms)
				terms = append(terms, nil)
			}
			words = append(words, it)
		default:
			b.problem(it.Line, "parse", "search identifier `%s` has a list inside its list; a list holds maps of fields or keyword strings", name)
			terms = append(terms, &rule.Opaque{Text: name, Reason: "nested list"})
		}
	}
	if wordsAt >= 0 {
		terms[wordsAt] = b.values("", chain{}, words, words[0].Line)
	}
	if len(terms) == 0 {
		b.problem(n.Line, "parse", "search identifier `%s` is an empty list; add keywords or maps of fields", name)
		return &rule.Opaque{Text: name, Reason: "empty search identifier"}
	}
	return rule.NewOr(terms...)
}

// fieldMap is a map of "field|modifiers: values", all of which must match.
func (b *builder) fieldMap(name string, n *yaml.Node) rule.Expr {
	if len(n.Content) == 0 {
		b.problem(n.Line, "parse", "search identifier `%s` has an empty map; add field: value pairs", name)
		return &rule.Opaque{Text: name, Reason: "empty search identifier"}
	}
	dup := duplicateKeys(n)
	terms := make([]rule.Expr, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if b.over {
			return &rule.Opaque{Text: name, Reason: "detection too large"}
		}
		k := deref(n.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			b.problem(n.Content[i].Line, "parse", "search identifier `%s` has a key that is not a field name", name)
			continue
		}
		if last, ok := dup[k.Value]; ok && last != i {
			b.problem(k.Line, "parse", "search identifier `%s` has the key `%s` twice; YAML keeps only the last one, so merge the values into one list", name, k.Value)
			continue
		}
		terms = append(terms, b.field(k.Value, n.Content[i+1], k.Line))
	}
	return rule.NewAnd(terms...)
}

// duplicateKeys maps each key that occurs more than once to the index of its
// last occurrence; nil when keys are distinct.
func duplicateKeys(n *yaml.Node) map[string]int {
	if len(n.Content) <= 32 {
		// Small maps (nearly all): compare pairwise without allocating.
		var dup map[string]int
		for i := 2; i+1 < len(n.Content); i += 2 {
			k := deref(n.Content[i])
			if k == nil || k.Kind != yaml.ScalarNode {
				continue
			}
			for j := 0; j < i; j += 2 {
				if p := deref(n.Content[j]); p != nil && p.Kind == yaml.ScalarNode && p.Value == k.Value {
					if dup == nil {
						dup = map[string]int{}
					}
					dup[k.Value] = i
					break
				}
			}
		}
		return dup
	}
	var seen map[string]int
	var dup map[string]int
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			continue
		}
		if seen == nil {
			seen = make(map[string]int, len(n.Content)/2)
		}
		if _, ok := seen[k.Value]; ok {
			if dup == nil {
				dup = map[string]int{}
			}
			dup[k.Value] = i
		}
		seen[k.Value] = i
	}
	return dup
}

// splitKey splits "Field|mod1|mod2" into the field and its modifiers.
func splitKey(key string) (string, []string) {
	i := strings.IndexByte(key, '|')
	if i < 0 {
		return key, nil
	}
	return key[:i], strings.Split(key[i+1:], "|")
}

// field builds the test of one map entry.
func (b *builder) field(key string, v *yaml.Node, line int) rule.Expr {
	field, mods := splitKey(key)
	c, errs := parseChain(mods)
	for _, err := range errs {
		if u, ok := err.(errUnknownModifier); ok {
			b.problem(line, "unknown-modifier", "field `%s`: %v", key, u)
			return &rule.Opaque{Text: key, Reason: u.Error()}
		}
		b.problem(line, "parse", "field `%s`: %v", key, err)
	}
	v = deref(v)
	var items []*yaml.Node
	switch {
	case isNull(v):
		items = []*yaml.Node{v}
	case v.Kind == yaml.ScalarNode:
		items = []*yaml.Node{v}
	case v.Kind == yaml.SequenceNode:
		items = make([]*yaml.Node, 0, len(v.Content))
		for _, it := range v.Content {
			it = deref(it)
			if it != nil && it.Kind != yaml.ScalarNode {
				b.problem(it.Line, "parse", "field `%s` has a list or map among its values; values are strings, numbers, booleans or null", key)
				continue
			}
			items = append(items, it)
		}
	default:
		b.problem(v.Line, "parse", "field `%s` has a map as its value; a field takes a value or a list of values (put alternatives in a list of maps instead)", key)
		return &rule.Opaque{Text: key, Reason: "map as field value"}
	}
	if len(items) == 0 {
		b.problem(line, "parse", "field `%s` has an empty list of values; give at least one value", key)
		return &rule.Opaque{Text: key, Reason: "no values"}
	}
	return b.values(field, c, items, line)
}

// values builds the predicate(s) of one field (or of keywords when field is
// "") with its modifier chain.
func (b *builder) values(field string, c chain, items []*yaml.Node, line int) rule.Expr {
	if b.over {
		return &rule.Opaque{Text: field, Reason: "detection too large"}
	}
	pred := func() *rule.Predicate {
		return &rule.Predicate{Field: field, Op: c.op(), Cased: c.cased, Func: c.timePart,
			Flags: c.flags, Negated: c.neq, Line: line, Modifiers: c.applied()}
	}
	if c.typ == typeExists {
		return b.exists(field, c, items, pred(), line)
	}
	groups := make([][]rule.Value, 0, len(items))
	nulls := false
	multi := false
	incomplete := false
	n := 0
	for _, it := range items {
		if isNull(it) {
			nulls = true
			continue
		}
		var vals []rule.Value
		switch c.typ {
		case typeRegex:
			vals = []rule.Value{{Kind: rule.Regex, Value: it.Value}}
		case typeCIDR:
			vals = []rule.Value{{Kind: rule.CIDR, Value: it.Value}}
		case typeCompare:
			vals = []rule.Value{{Kind: compareKind(c.compare), Value: it.Value}}
		case typeFieldRef:
			vals = []rule.Value{{Kind: rule.FieldRef, Value: it.Value}}
		default:
			pats, complete := c.apply(parsePattern(it.Value))
			incomplete = incomplete || !complete
			vals = make([]rule.Value, len(pats))
			for i, p := range pats {
				vals[i] = p.value()
				if field == "" {
					vals[i] = keyword(vals[i], p)
				}
			}
		}
		multi = multi || len(vals) > 1
		n += len(vals)
		groups = append(groups, vals)
	}
	if incomplete {
		b.problem(line, "other", "field `%s`: a value has more than %d flag dashes, so windash varies them all alike instead of in every combination", field, maxWindashSpots)
	}
	if b.budget -= n; b.budget < 0 {
		b.over = true
		b.problem(line, "parse", "the detection expands into more than %d values; ruledex does not load it", maxValues)
		return &rule.Opaque{Text: field, Reason: "detection too large"}
	}
	var e rule.Expr
	switch {
	case len(groups) == 0:
	case c.all && multi:
		// Every value must match, each in any of its variants.
		terms := make([]rule.Expr, len(groups))
		for i, g := range groups {
			p := pred()
			p.Values = g
			terms[i] = p
		}
		e = rule.NewAnd(terms...)
	default:
		p := pred()
		p.All = c.all
		p.Values = flatten(groups, n)
		e = p
	}
	if nulls {
		// field: null is the absence of the field (exists negated).
		p := pred()
		p.Values = []rule.Value{{Kind: rule.Exists}}
		p.Negated = !c.neq
		p.Modifiers = nil
		if c.all {
			e = rule.NewAnd(e, p)
		} else {
			e = rule.NewOr(e, p)
		}
	}
	return e
}

// exists builds field|exists: true/false.
func (b *builder) exists(field string, c chain, items []*yaml.Node, p *rule.Predicate, line int) rule.Expr {
	if len(items) != 1 || isNull(items[0]) {
		b.problem(line, "parse", "field `%s|exists` takes one value, true or false", field)
		return &rule.Opaque{Text: field + c.op(), Reason: "exists without a boolean"}
	}
	var want bool
	switch strings.ToLower(items[0].Value) {
	case "true":
		want = true
	case "false":
		want = false
	default:
		b.problem(items[0].Line, "parse", "field `%s|exists` takes true or false, not `%s`", field, items[0].Value)
		return &rule.Opaque{Text: field + c.op(), Reason: "exists without a boolean"}
	}
	p.Values = []rule.Value{{Kind: rule.Exists}}
	p.Negated = !want != c.neq
	return p
}

// flatten joins the value groups, dropping repeats that expansions produce.
func flatten(groups [][]rule.Value, n int) []rule.Value {
	if len(groups) == 1 {
		return groups[0]
	}
	out := make([]rule.Value, 0, n)
	var seen map[rule.Value]bool
	if n > 16 {
		seen = make(map[rule.Value]bool, n)
	}
	for _, g := range groups {
		for _, v := range g {
			if seen != nil {
				if seen[v] {
					continue
				}
				seen[v] = true
			} else if containsValue(out, v) {
				continue
			}
			out = append(out, v)
		}
	}
	return out
}

func containsValue(vs []rule.Value, v rule.Value) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// keyword turns a string value of a keyword search (no field) into kind
// keyword: free text anywhere in the event. A keyword value is a pattern in
// the wildcard notation (rule.Keyword), so a literal star of eq and
// contains values stays escaped (`a\*b`) and only real wildcards glob.
func keyword(v rule.Value, p pattern) rule.Value {
	switch v.Kind {
	case rule.Eq, rule.Contains:
		return rule.Value{Kind: rule.Keyword, Value: rule.KeywordPattern(pattern{{lit: v.Value}}.escaped())}
	case rule.StartsWith, rule.EndsWith, rule.Wildcard:
		return rule.Value{Kind: rule.Keyword, Value: rule.KeywordPattern(p.compact().escaped())}
	}
	return v
}

func compareKind(m string) rule.Kind {
	switch m {
	case "gt":
		return rule.Gt
	case "gte":
		return rule.Ge
	case "lt":
		return rule.Lt
	}
	return rule.Le
}
