package match

import (
	"math/bits"
	"slices"
)

// litSet finds which of a set of literals occur in a text. Each literal
// has an anchor, its four bytes that are rarest among the set's literals;
// a scan hashes every four-byte window of the text into a bitmap that
// fits the first-level cache and verifies the literals of the anchors it
// finds there. The windows are independent, so the processor overlaps
// them, unlike the dependent steps of an automaton whose table does not
// fit the cache. Literals under four bytes are checked at each position
// that starts with their first byte.
type litSet struct {
	lits  []litEntry
	bits  []uint64
	shift uint // hash >> shift indexes bits
	// The anchors in an open-addressed table: grams[i] is an anchor, its
	// literals are lits[heads[i]:heads[i+1]] of byAnchor. Empty slots hold
	// empty (no anchor is four zero bytes: literals are folded text).
	grams    []uint32
	heads    []int32
	byAnchor []int32
	tshift   uint
	// Short literals by first byte.
	first [256][]int32
	short bool
	// minLen is the shortest literal: shorter texts need no scan. (Folding
	// keeps ASCII lengths; a text with other runes is scanned anyway.)
	minLen int
}

type litEntry struct {
	text string
	off  int     // offset of the anchor in text
	vals []int32 // reported when the literal occurs
}

type litPattern struct {
	text string
	val  int32
}

func gram(s string, i int) uint32 {
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}

func gramHash(g uint32, shift uint) uint32 { return (g * 0x9E3779B1) >> shift }

// buildLitSet indexes non-empty patterns.
func buildLitSet(patterns []litPattern) *litSet {
	ls := &litSet{}
	table := map[uint32][]int32{} // anchor → literals
	index := map[string]int32{}
	for _, p := range patterns {
		i, ok := index[p.text]
		if !ok {
			i = int32(len(ls.lits))
			index[p.text] = i
			ls.lits = append(ls.lits, litEntry{text: p.text})
		}
		ls.lits[i].vals = appendUnique(ls.lits[i].vals, p.val)
	}
	// How many literals each gram occurs in: rare grams make good anchors,
	// and grams of text most Windows events carry make bad ones.
	count := map[uint32]int{}
	for _, c := range commonTexts {
		for i := 0; i+4 <= len(c); i++ {
			count[gram(c, i)] += 1000
		}
	}
	for _, e := range ls.lits {
		seen := map[uint32]bool{}
		for i := 0; i+4 <= len(e.text); i++ {
			if g := gram(e.text, i); !seen[g] {
				seen[g] = true
				count[g]++
			}
		}
	}
	anchors := 0
	ls.minLen = 1 << 30
	for li := range ls.lits {
		ls.minLen = min(ls.minLen, len(ls.lits[li].text))
		e := &ls.lits[li]
		if len(e.text) < 4 {
			ls.first[e.text[0]] = append(ls.first[e.text[0]], int32(li))
			ls.short = true
			continue
		}
		best := 0
		for i := 1; i+4 <= len(e.text); i++ {
			if count[gram(e.text, i)] < count[gram(e.text, best)] {
				best = i
			}
		}
		e.off = best
		g := gram(e.text, best)
		if _, ok := table[g]; !ok {
			anchors++
		}
		table[g] = append(table[g], int32(li))
	}
	// About 16 bits per anchor: one window in 16 or fewer reaches the map.
	size := 1 << 12
	for size < anchors*16 && size < 1<<22 {
		size <<= 1
	}
	ls.bits = make([]uint64, size/64)
	ls.shift = uint(32 - bits.TrailingZeros(uint(size)))
	tsize := 16
	for tsize < 2*anchors {
		tsize <<= 1
	}
	ls.tshift = uint(32 - bits.TrailingZeros(uint(tsize)))
	ls.grams = make([]uint32, tsize)
	used := make([]bool, tsize)
	var order []uint32
	for g := range table {
		order = append(order, g)
	}
	slices.Sort(order) // deterministic layout
	for _, g := range order {
		h := gramHash(g, ls.shift)
		ls.bits[h>>6] |= 1 << (h & 63)
		i := gramHash(g, ls.tshift)
		for used[i] {
			i = (i + 1) & uint32(tsize-1)
		}
		used[i], ls.grams[i] = true, g
	}
	ls.heads = make([]int32, tsize+1)
	for i := 0; i < tsize; i++ {
		ls.heads[i] = int32(len(ls.byAnchor))
		if used[i] {
			ls.byAnchor = append(ls.byAnchor, table[ls.grams[i]]...)
		}
	}
	ls.heads[tsize] = int32(len(ls.byAnchor))
	return ls
}

// anchored returns the literals of an anchor gram (none when g is not an
// anchor).
func (ls *litSet) anchored(g uint32) []int32 {
	mask := uint32(len(ls.grams) - 1)
	for i := gramHash(g, ls.tshift); ; i = (i + 1) & mask {
		switch ls.grams[i] {
		case g:
			return ls.byAnchor[ls.heads[i]:ls.heads[i+1]]
		case 0:
			if ls.heads[i] == ls.heads[i+1] {
				return nil
			}
		}
	}
}

// scan calls hit with the values of every literal occurring in text (a
// value may come more than once).
func (ls *litSet) scan(text string, hit func(int32)) {
	n := len(text)
	if n < ls.minLen {
		return
	}
	if len(ls.byAnchor) > 0 {
		bm, shift := ls.bits, ls.shift
		for i := 0; i+4 <= n; i++ {
			g := gram(text, i)
			h := gramHash(g, shift)
			if bm[h>>6]&(1<<(h&63)) == 0 {
				continue
			}
			for _, li := range ls.anchored(g) {
				e := &ls.lits[li]
				start := i - e.off
				if start >= 0 && start+len(e.text) <= n && text[start:start+len(e.text)] == e.text {
					for _, v := range e.vals {
						hit(v)
					}
				}
			}
		}
	}
	if ls.short {
		for i := 0; i < n; i++ {
			for _, li := range ls.first[text[i]] {
				e := &ls.lits[li]
				if i+len(e.text) <= n && text[i:i+len(e.text)] == e.text {
					for _, v := range e.vals {
						hit(v)
					}
				}
			}
		}
	}
}

func appendUnique(s []int32, v int32) []int32 {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
