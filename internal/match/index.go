package match

import (
	"ruledex/internal/match/events"
)

// index finds the variants an event can match: by the event's channel and
// id (the bucket keys of its bindings), then by the guards of the
// variants in those buckets (prefilter.go).
type index struct {
	channels        map[string]*channelIndex // by folded channel ("" for none)
	windows         *bucket
	other           *bucket
	unmapped        *bucket // events of no mapped kind that are not Windows events
	unmappedWindows *bucket
}

type channelIndex struct {
	byID  map[int]*bucket
	any   *bucket
	known map[int]bool // ids of mapped kinds
}

// bucket holds the variants of one key.
type bucket struct {
	variants []*variant
	pf       *prefilter
}

func buildIndex(e *Engine) *index {
	ix := &index{channels: map[string]*channelIndex{}, windows: &bucket{}, other: &bucket{}, unmapped: &bucket{}, unmappedWindows: &bucket{}}
	ch := func(name string) *channelIndex {
		c := ix.channels[name]
		if c == nil {
			c = &channelIndex{byID: map[int]*bucket{}, known: map[int]bool{}}
			ix.channels[name] = c
		}
		return c
	}
	for k := range e.known {
		ch(k.ch).known[k.id] = true
	}
	for _, v := range e.variants {
		for _, k := range v.bind.keys {
			var b *bucket
			switch k.kind {
			case bExact:
				c := ch(k.ch)
				b = c.byID[k.id]
				if b == nil {
					b = &bucket{}
					c.byID[k.id] = b
				}
			case bChannel:
				c := ch(k.ch)
				if c.any == nil {
					c.any = &bucket{}
				}
				b = c.any
			case bWindows:
				b = ix.windows
			case bOther:
				b = ix.other
			case bUnmapped:
				b = ix.unmapped
			case bUnmappedWindows:
				b = ix.unmappedWindows
			}
			b.variants = append(b.variants, v)
		}
	}
	ix.eachBucket(func(b *bucket) { b.pf = buildPrefilter(e, b.variants) })
	return ix
}

func (ix *index) eachBucket(fn func(*bucket)) {
	for _, c := range ix.channels {
		for _, b := range c.byID {
			fn(b)
		}
		if c.any != nil {
			fn(c.any)
		}
	}
	fn(ix.windows)
	fn(ix.other)
	fn(ix.unmapped)
	fn(ix.unmappedWindows)
}

// buckets appends the buckets an event visits to dst.
func (ix *index) buckets(ev *events.Event, dst []*bucket) []*bucket {
	chFolded := ""
	if i := ev.ChannelIndex(); i >= 0 {
		chFolded = ev.Folded(i)
	}
	windows := ev.IsWindows()
	id, hasID := ev.EventID()
	known := false
	if c := ix.channels[chFolded]; c != nil {
		if hasID {
			if b := c.byID[id]; b != nil {
				dst = append(dst, b)
			}
			known = c.known[id]
		}
		if c.any != nil && chFolded != "" {
			dst = append(dst, c.any)
		}
	}
	if windows {
		dst = append(dst, ix.windows)
	} else {
		dst = append(dst, ix.other)
	}
	switch {
	case known:
	case windows:
		dst = append(dst, ix.unmappedWindows)
	default:
		dst = append(dst, ix.unmapped)
	}
	return dst
}
