package sigma

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// deref follows aliases.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// get returns the value of key in mapping m (the last one if repeated, as
// YAML loaders keep), or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var v *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v = m.Content[i+1]
		}
	}
	return deref(v)
}

// getKey returns the key node of key in mapping m, or nil.
func getKey(m *yaml.Node, key string) *yaml.Node {
	if m == nil {
		return nil
	}
	var k *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			k = m.Content[i]
		}
	}
	return k
}

// str returns a scalar's text; a list of scalars is joined with ", ";
// null and maps give "".
func str(n *yaml.Node) string {
	n = deref(n)
	switch {
	case n == nil:
		return ""
	case n.Kind == yaml.ScalarNode:
		if n.Tag == "!!null" {
			return ""
		}
		return n.Value
	case n.Kind == yaml.SequenceNode:
		return strings.Join(strs(n), ", ")
	}
	return ""
}

// strs returns a list of scalars as strings; a single scalar is a list of
// one. Items that are not scalars are skipped.
func strs(n *yaml.Node) []string {
	n = deref(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.ScalarNode:
		if s := str(n); s != "" {
			return []string{s}
		}
		return nil
	case n.Kind != yaml.SequenceNode:
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, it := range n.Content {
		it = deref(it)
		if it != nil && it.Kind == yaml.ScalarNode && it.Tag != "!!null" {
			out = append(out, it.Value)
		}
	}
	return out
}

// yamlText renders a node as compact YAML (for keys the specification does
// not define).
func yamlText(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return ""
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	b, err := yaml.Marshal(n)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
