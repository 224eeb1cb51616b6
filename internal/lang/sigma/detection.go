package sigma

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/lang"
	"ruledex/internal/rule"
)

// Detection is a parsed detection section: its search identifiers in the
// order written, its condition(s), the deprecated timeframe, and the stages
// the condition resolves into.
type Detection struct {
	Identifiers []*SearchIdentifier
	Conditions  []*Condition
	Timeframe   string
	stages      []rule.Stage
}

// SearchIdentifier is one named selection of the detection.
type SearchIdentifier struct {
	Name string
	Line int
	Expr rule.Expr
	size int // values in Expr, to bound condition expansion
}

// Condition is one condition as written and parsed.
type Condition struct {
	Text string
	Line int  // file line of the condition's first line of text
	Cond Cond // nil when it did not parse
	Err  *lang.Error
	// block is set when the text is a YAML literal or folded block, whose
	// content starts on the line after the key.
	block bool
}

// Identifier returns the search identifier called name, or nil.
func (d *Detection) Identifier(name string) *SearchIdentifier {
	for _, s := range d.Identifiers {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Stages returns the detection's stages: one per top-level AND term of the
// condition (a condition that is a single OR is one stage), each with its
// expression tree; plus an aggregation stage for the deprecated "| count()"
// and "| near" forms. Several conditions (a list) are one OR stage.
func (d *Detection) Stages() []rule.Stage {
	out := make([]rule.Stage, len(d.stages))
	copy(out, d.stages)
	return out
}

// ParseDetection parses the detection section n (a YAML mapping; a
// document node is unwrapped). Problems carry n's line numbers, so parse the
// YAML with the file's own lines. It never panics: an unexpected failure
// becomes a problem.
func ParseDetection(n *yaml.Node) (d *Detection, problems []rule.Problem) {
	d = &Detection{}
	b := newBuilder()
	defer func() {
		if r := recover(); r != nil {
			line := 0
			if n != nil {
				line = n.Line
			}
			problems = append(b.problems, rule.Problem{Kind: "parse", Line: line,
				Message: fmt.Sprintf("internal error parsing the detection (%v); please report it", r)})
			d.stages = nil
		}
	}()
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		line := 0
		if n != nil {
			line = n.Line
		}
		b.problem(line, "parse", "the detection section must be a map of search identifiers and a condition")
		return d, b.problems
	}
	dup := duplicateKeys(n)
	var condKey, condNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			b.problem(n.Content[i].Line, "parse", "the detection section has a key that is not a name")
			continue
		}
		if last, ok := dup[k.Value]; ok && last != i {
			b.problem(k.Line, "parse", "the detection section has `%s` twice; YAML keeps only the last one, so rename one of them", k.Value)
			continue
		}
		switch k.Value {
		case "condition":
			condKey, condNode = k, v
		case "timeframe":
			if v := deref(v); v != nil && v.Kind == yaml.ScalarNode {
				d.Timeframe = v.Value
			}
		default:
			before := b.budget
			e := b.identifier(k.Value, v)
			d.Identifiers = append(d.Identifiers, &SearchIdentifier{Name: k.Value, Line: k.Line, Expr: e, size: before - b.budget})
		}
	}
	if condNode == nil {
		b.problem(n.Line, "parse", "the detection section has no condition; add one, e.g. `condition: selection`")
		return d, b.problems
	}
	d.Conditions = parseConditions(b, condKey, condNode)
	d.stages = newResolver(d, b).stages()
	return d, b.problems
}

// parseConditions reads the condition: a string, or a list of strings
// (alternatives, linked with OR).
func parseConditions(b *builder, key, n *yaml.Node) []*Condition {
	n = deref(n)
	var nodes []*yaml.Node
	switch {
	case n != nil && n.Kind == yaml.ScalarNode && !isNull(n):
		nodes = []*yaml.Node{n}
	case n != nil && n.Kind == yaml.SequenceNode:
		for _, it := range n.Content {
			if it = deref(it); it != nil && it.Kind == yaml.ScalarNode && !isNull(it) {
				nodes = append(nodes, it)
			} else if it != nil {
				b.problem(it.Line, "parse", "a condition list holds condition strings only")
			}
		}
	}
	if len(nodes) == 0 {
		b.problem(key.Line, "parse", "the condition is empty; write which search identifiers must match, e.g. `condition: selection`")
		return nil
	}
	out := make([]*Condition, 0, len(nodes))
	for _, cn := range nodes {
		c := &Condition{Text: cn.Value, Line: cn.Line, block: cn.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0}
		parsed, err := ParseCondition(c.Text)
		if err != nil {
			le, ok := err.(*lang.Error)
			if !ok {
				le = &lang.Error{Pos: lang.Pos{Line: 1, Col: 1}, Msg: err.Error()}
			}
			c.Err = le
			b.problem(c.fileLine(le.Line), "parse", "condition, column %d: %s", le.Col, le.Msg)
		} else {
			c.Cond = parsed
		}
		out = append(out, c)
	}
	return out
}

// fileLine maps a 1-based line of the condition text to a line of the file.
// Plain and quoted multi-line scalars are folded by YAML, so their offsets
// map to the first line.
func (c *Condition) fileLine(textLine int) int {
	if c.Line == 0 {
		return 0
	}
	if c.block {
		return c.Line + textLine
	}
	return c.Line
}

// lineAt is the file line of byte offset off of the condition.
func (c *Condition) lineAt(off int) int {
	return c.fileLine(lang.PosAt(c.Text, off).Line)
}
