package events

import "strings"

// pathNode is one path of an event's shape, interned with what filing a
// value there needs: its slots, whether its short name is a System header
// field. Events of one stream share their shape, so after the first few
// events a key costs one small map lookup instead of folding and hashing
// the whole path.
type pathNode struct {
	kids   map[string]*pathNode
	order  []*pathNode // kids in the order first seen
	idx    int         // index in the parent's order, -1 when not kept
	parent *pathNode
	raw    string // key as written
	key    string // folded key
	path   string // dotted path as written
	depth  int
	full   Slot // the slot of the whole path
	alias  Slot // the slot of the short name
	sys    bool // the short name is a System header field
	hdr    uint8
	name   bool // the path ends in #attributes.Name
	text   bool // the key is #text
}

// Header fields the index reads (hdr).
const (
	hdrNone uint8 = iota
	hdrID
	hdrChannel
	hdrProvider
)

// maxPathNodes bounds the interned paths of one event reader: a stream of
// events with ever new keys falls back to transient nodes.
const maxPathNodes = 1 << 16

// paths interns the paths of one Event.
type paths struct {
	root  pathNode
	count int
	comps []string
}

// child returns the node of key under n, creating it on first use.
func (ps *paths) child(s *Schema, n *pathNode, key []byte) *pathNode {
	if c, ok := n.kids[string(key)]; ok {
		return c
	}
	k := string(key)
	c := &pathNode{parent: n, raw: k, key: Fold(k), depth: n.depth + 1, full: NoSlot, alias: NoSlot, idx: -1}
	if n.depth == 0 {
		c.path = k
	} else {
		c.path = n.path + "." + k
	}
	ps.comps = ps.comps[:0]
	for x := c; x != nil && x.depth > 0; x = x.parent {
		ps.comps = append(ps.comps, x.key)
	}
	for i, j := 0, len(ps.comps)-1; i < j; i, j = i+1, j-1 {
		ps.comps[i], ps.comps[j] = ps.comps[j], ps.comps[i]
	}
	c.full = s.Lookup(strings.Join(ps.comps, "."))
	if a, sys := aliasOf(ps.comps); a != "" {
		if id := s.Lookup(a); id != c.full {
			c.alias, c.sys = id, sys
		}
		if sys {
			switch s.Lookup(a) {
			case s.EventID:
				c.hdr = hdrID
			case s.Channel:
				c.hdr = hdrChannel
			case s.Provider:
				c.hdr = hdrProvider
			}
		}
	}
	c.text = c.key == "#text"
	c.name = c.key == "name" && n.key == "#attributes"
	if ps.count < maxPathNodes {
		if n.kids == nil {
			n.kids = map[string]*pathNode{}
		}
		n.kids[k] = c
		c.idx = len(n.order)
		n.order = append(n.order, c)
		ps.count++
	}
	return c
}

// next returns the node of key under n. Events of one stream list their
// keys in the same order, so it first tries the kid after the previous
// one (*cursor), which spares hashing the key.
func (ps *paths) next(s *Schema, n *pathNode, key []byte, cursor *int) *pathNode {
	if i := *cursor; i < len(n.order) && n.order[i].raw == string(key) {
		*cursor = i + 1
		return n.order[i]
	}
	c := ps.child(s, n, key)
	*cursor = c.idx + 1
	return c
}
