package sigma

import (
	"go.yaml.in/yaml/v3"
)

// ruleDoc is one rule to build: a document, or for Sigma 1 rule
// collections a document merged with the global documents before it.
type ruleDoc struct {
	doc  *document
	node *yaml.Node // the top-level mapping, merged for collections
	// parts are the documents the rule is made of, in order (the global
	// documents, then its own), for its body and query text.
	parts []*document
	// collection is set when the file uses action documents.
	collection bool
	// renumber is set when the rule's id came from a global (or repeated)
	// document and an earlier rule of the file already has it.
	renumber bool
	// repeat is set for rules made by an action: repeat document.
	repeat bool
}

// collect turns a file's documents into rules. Sigma 1 rule collections
// (specification 1.0, "Rule Collections") use action documents:
// action: global is merged into every following document, action: reset
// forgets the globals, action: repeat is the previous rule merged with the
// repeat document. Files without action documents map one document to one
// rule.
func collect(docs []*document) []*ruleDoc {
	usesActions := false
	for _, d := range docs {
		if d.node != nil && action(d.node) != "" {
			usesActions = true
			break
		}
	}
	out := make([]*ruleDoc, 0, len(docs))
	if !usesActions {
		for _, d := range docs {
			out = append(out, &ruleDoc{doc: d, node: topMap(d.node), parts: []*document{d}})
		}
		return out
	}
	var global *yaml.Node
	var globals []*document
	var prev *ruleDoc
	inherited := false // a rule already took the inherited id
	for _, d := range docs {
		m := topMap(d.node)
		if m == nil {
			out = append(out, &ruleDoc{doc: d, parts: []*document{d}, collection: true})
			continue
		}
		switch action(d.node) {
		case "global":
			global = merge(global, without(m, "action"))
			globals = append(globals, d)
		case "reset":
			global, globals = nil, nil
		case "repeat":
			if prev == nil {
				out = append(out, &ruleDoc{doc: d, node: without(m, "action"), parts: []*document{d}, collection: true})
				continue
			}
			// The body shows the repeated rule's documents and this one (not
			// every repeat in between, which would grow quadratically).
			base := prev.parts
			if prev.repeat {
				base = base[:len(base)-1]
			}
			r := &ruleDoc{doc: d, node: merge(prev.node, without(m, "action")), collection: true, repeat: true,
				parts: append(append([]*document{}, base...), d)}
			r.renumber = get(m, "id") == nil
			out = append(out, r)
			prev = r
		default:
			r := &ruleDoc{doc: d, node: merge(global, m), collection: true,
				parts: append(append([]*document{}, globals...), d)}
			if get(m, "id") == nil && global != nil && get(global, "id") != nil {
				r.renumber = inherited
				inherited = true
			}
			out = append(out, r)
			prev = r
		}
	}
	return out
}

// topMap returns a document's top-level mapping, or nil.
func topMap(doc *yaml.Node) *yaml.Node {
	if doc == nil {
		return nil
	}
	n := doc
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// action returns a document's action: value, "" for rule documents.
func action(doc *yaml.Node) string {
	return str(get(topMap(doc), "action"))
}

// without returns a copy of mapping m without key.
func without(m *yaml.Node, key string) *yaml.Node {
	c := *m
	c.Content = make([]*yaml.Node, 0, len(m.Content))
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key {
			c.Content = append(c.Content, m.Content[i], m.Content[i+1])
		}
	}
	return &c
}

// merge returns base with over merged in: maps merge key by key
// (recursively), anything else in over replaces what base has. Neither
// input is modified.
func merge(base, over *yaml.Node) *yaml.Node {
	if base == nil {
		return over
	}
	if over == nil {
		return base
	}
	if base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode {
		return over
	}
	out := *over
	out.Content = make([]*yaml.Node, 0, len(base.Content)+len(over.Content))
	used := make(map[string]bool, len(over.Content)/2)
	for i := 0; i+1 < len(base.Content); i += 2 {
		k := base.Content[i]
		v := base.Content[i+1]
		if ov := get(over, k.Value); ov != nil {
			v = merge(v, ov)
			used[k.Value] = true
		}
		out.Content = append(out.Content, k, v)
	}
	for i := 0; i+1 < len(over.Content); i += 2 {
		if !used[over.Content[i].Value] {
			out.Content = append(out.Content, over.Content[i], over.Content[i+1])
		}
	}
	out.Line = base.Line
	return &out
}
