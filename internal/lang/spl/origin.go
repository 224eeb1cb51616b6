package spl

import (
	"sort"

	"ruledex/internal/lang"
)

// span maps a run of expanded text back to the query as written. A literal
// span maps byte for byte; a macro span maps every byte it holds (nested
// macros included) to the whole top-level call `…` that produced it.
type span struct {
	at      int // first byte of the run in the expanded text
	orig    int // literal: original offset of byte at; macro: start of the call
	end     int // macro: end of the call (exclusive)
	literal bool
}

// origin answers "where in the query did this expanded byte come from".
type origin struct {
	src   string
	spans []span
	lines []int // offsets of line starts in src
}

func newOrigin(src string) *origin {
	o := &origin{src: src, lines: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			o.lines = append(o.lines, i+1)
		}
	}
	return o
}

// find returns the span holding expanded offset e (the last span starting
// at or before e, so an empty expansion yields to the text after it).
func (o *origin) find(e int) (span, bool) {
	i := sort.Search(len(o.spans), func(i int) bool { return o.spans[i].at > e }) - 1
	if i < 0 {
		return span{}, false
	}
	return o.spans[i], true
}

// offset returns the original offset of expanded byte e: itself for literal
// text, the start of the macro call for expanded text.
func (o *origin) offset(e int) int {
	s, ok := o.find(e)
	switch {
	case !ok:
		return 0
	case s.literal:
		return clamp(s.orig+e-s.at, len(o.src))
	default:
		return s.orig
	}
}

// left is where a segment whose delimiter sits at expanded offset d starts
// in the original text: just after a literal delimiter, or at the start of
// the macro call that produced it.
func (o *origin) left(d int) int {
	s, ok := o.find(d)
	switch {
	case !ok:
		return 0
	case s.literal:
		return clamp(s.orig+d-s.at+1, len(o.src))
	default:
		return s.orig
	}
}

// right is where a segment ending at a delimiter at expanded offset d ends
// in the original text.
func (o *origin) right(d int) int {
	s, ok := o.find(d)
	switch {
	case !ok:
		return len(o.src)
	case s.literal:
		return clamp(s.orig+d-s.at, len(o.src))
	default:
		return s.end
	}
}

// fromMacro reports whether expanded offset e came from a macro.
func (o *origin) fromMacro(e int) bool {
	s, ok := o.find(e)
	return ok && !s.literal
}

// posOf is the line and column of an original offset.
func (o *origin) posOf(off int) lang.Pos {
	off = clamp(off, len(o.src))
	i := sort.Search(len(o.lines), func(i int) bool { return o.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return lang.Pos{Line: i + 1, Col: off - o.lines[i] + 1}
}

// pos is the line and column an expanded offset came from.
func (o *origin) pos(e int) lang.Pos { return o.posOf(o.offset(e)) }

func clamp(x, n int) int {
	if x < 0 {
		return 0
	}
	if x > n {
		return n
	}
	return x
}
