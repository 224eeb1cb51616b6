package events

import (
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// Kind is the JSON type of a value.
type Kind uint8

// The scalar kinds an event value can have.
const (
	String Kind = iota + 1
	Number
	Bool
	Null
)

// Value is one scalar of an event with the dotted path it was found at.
// Arrays give one Value per element, all with the array's path.
type Value struct {
	Path string // "Event.EventData.Image", "process.name", as written
	Text string // unescaped; numbers as written; "true"/"false"; "" for null
	Kind Kind
	fold string // Text folded, once asked for
	done bool   // fold is set
}

// Event is one decoded event: its scalars, and for every schema slot the
// values filed under it. A decoder reuses one Event: its strings point into
// a buffer that the next event overwrites, so whoever keeps a string past
// the next Decode must strings.Clone it.
type Event struct {
	File  string // the file it came from ("-" for stdin)
	Index int    // 1-based position among the records of the file
	Line  int    // line where it starts

	Values []Value

	schema  *Schema
	slots   [][]int32 // per slot: indexes into Values
	state   []uint8   // per slot: see the slot states below
	touched []Slot
	arena   []byte
	// The System header's event id, channel and provider (-1: none).
	sysID, sysChannel, sysProvider int32

	paths    *paths      // interned paths, shared by the events one goroutine decodes
	leafNode []*pathNode // per value: its path
}

// Slot states.
const (
	slotEmpty   = iota
	slotFilled  // values from the event's body or flat fields
	slotDerived // a derived slot, computed
	slotWeak    // only System header values, which body values replace
)

// NewEvent returns an empty event for a schema.
func NewEvent(s *Schema) *Event {
	e := &Event{schema: s, slots: make([][]int32, s.Len()), state: make([]uint8, s.Len()), sysID: -1, sysChannel: -1, sysProvider: -1}
	e.paths = &paths{}
	e.paths.root.full, e.paths.root.alias = NoSlot, NoSlot
	return e
}

// SharePaths makes e intern paths with other's table. Events decoded by
// one goroutine (a reader filling a pool of events) may share one table;
// it is not safe for concurrent decoding.
func (e *Event) SharePaths(other *Event) { e.paths = other.paths }

// Schema is the schema the event is filed by.
func (e *Event) Schema() *Schema { return e.schema }

// reset empties the event for the next decode.
func (e *Event) reset() {
	for _, s := range e.touched {
		e.slots[s] = e.slots[s][:0]
		e.state[s] = 0
	}
	e.touched = e.touched[:0]
	e.Values = e.Values[:0]
	e.leafNode = e.leafNode[:0]
	e.arena = e.arena[:0]
	e.sysID, e.sysChannel, e.sysProvider = -1, -1, -1
}

// file puts value i under slot s, replacing System header values there.
func (e *Event) file(s Slot, i int32) {
	switch e.state[s] {
	case slotEmpty:
		e.touched = append(e.touched, s)
	case slotWeak:
		e.slots[s] = e.slots[s][:0]
	}
	e.state[s] = slotFilled
	e.slots[s] = append(e.slots[s], i)
}

// fileWeak puts a System header value i under its short name s, unless a
// body value already has it.
func (e *Event) fileWeak(s Slot, i int32) {
	switch e.state[s] {
	case slotFilled:
		return
	case slotEmpty:
		e.touched = append(e.touched, s)
	}
	e.state[s] = slotWeak
	e.slots[s] = append(e.slots[s], i)
}

// store copies b into the event's arena and returns it as a string that
// stays valid until the next reset.
func (e *Event) store(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(e.arena)+len(b) > cap(e.arena) {
		// A new block; strings into the old one stay valid (they keep it
		// alive), only its reuse is given up.
		n := 2 * cap(e.arena)
		if n < 4096 {
			n = 4096
		}
		for n < len(b) {
			n *= 2
		}
		e.arena = make([]byte, 0, n)
	}
	off := len(e.arena)
	e.arena = append(e.arena, b...)
	return unsafe.String(&e.arena[off], len(b))
}

// Get returns the indexes (into Values) of the values of slot s, computing a
// derived slot on first use. The slice is valid until the next decode.
func (e *Event) Get(s Slot) []int32 {
	if s < 0 || int(s) >= len(e.slots) {
		return nil
	}
	if d := e.schema.derived[s]; d != nil && e.state[s] != slotDerived {
		e.derive(s, d)
	}
	return e.slots[s]
}

func (e *Event) derive(s Slot, d *derivation) {
	if e.state[s] == slotEmpty {
		e.touched = append(e.touched, s)
	}
	e.state[s] = slotDerived
	for _, src := range d.src {
		idx := e.Get(src)
		if len(idx) == 0 {
			continue
		}
		for _, i := range idx {
			v := e.Values[i]
			if v.Kind == Null {
				continue
			}
			path := e.schema.names[s]
			d.fn(v.Text, func(out string) {
				e.Values = append(e.Values, Value{Path: path, Text: out, Kind: String})
				e.leafNode = append(e.leafNode, nil)
				e.slots[s] = append(e.slots[s], int32(len(e.Values)-1))
			})
		}
		return
	}
}

// Folded returns value i's text folded (see Fold), computed once.
func (e *Event) Folded(i int32) string {
	v := &e.Values[i]
	if !v.done {
		if isFolded(v.Text) {
			v.fold = v.Text
		} else {
			start := len(e.arena)
			if start+2*len(v.Text)+8 > cap(e.arena) {
				v.fold = Fold(v.Text)
			} else {
				e.arena = AppendFold(e.arena, v.Text)
				v.fold = unsafe.String(&e.arena[start], len(e.arena)-start)
			}
		}
		v.done = true
	}
	return v.fold
}

// First returns the text of the first non-null value of slot s.
func (e *Event) First(s Slot) (string, bool) {
	for _, i := range e.Get(s) {
		if e.Values[i].Kind != Null {
			return e.Values[i].Text, true
		}
	}
	return "", false
}

// header returns the index of a System header value (or, for flat
// events, of the field of that name), -1 when absent.
func (e *Event) header(sys int32, s Slot) int32 {
	if sys >= 0 {
		return sys
	}
	for _, i := range e.Get(s) {
		if e.Values[i].Kind != Null {
			return i
		}
	}
	return -1
}

// EventID is the Windows event id, when the event has one that is a number.
func (e *Event) EventID() (int, bool) {
	i := e.header(e.sysID, e.schema.EventID)
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(e.Values[i].Text))
	return n, err == nil
}

// ChannelIndex is the index of the Windows channel value, -1 when absent.
func (e *Event) ChannelIndex() int32 { return e.header(e.sysChannel, e.schema.Channel) }

// Channel is the Windows event log channel, "" when absent.
func (e *Event) Channel() string {
	if i := e.ChannelIndex(); i >= 0 {
		return e.Values[i].Text
	}
	return ""
}

// Provider is the Windows event provider, "" when absent.
func (e *Event) Provider() string {
	if i := e.header(e.sysProvider, e.schema.Provider); i >= 0 {
		return e.Values[i].Text
	}
	return ""
}

// IsWindows reports whether the event names a Windows channel or provider.
func (e *Event) IsWindows() bool {
	return e.ChannelIndex() >= 0 || e.Provider() != ""
}

// timeLayouts are the timestamp forms of the time fields.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

// Time is the event's timestamp: the first time field that parses.
// Numbers are taken as Unix seconds (or milliseconds when larger than 1e12).
func (e *Event) Time() (time.Time, bool) {
	for _, s := range e.schema.times {
		for _, i := range e.Get(s) {
			v := e.Values[i]
			if v.Kind == Number {
				f, err := strconv.ParseFloat(v.Text, 64)
				if err != nil {
					continue
				}
				if f > 1e12 {
					return time.UnixMilli(int64(f)).UTC(), true
				}
				return time.Unix(0, int64(f*1e9)).UTC(), true
			}
			if v.Kind != String {
				continue
			}
			if t, ok := ParseTime(v.Text); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// ParseTime reads a timestamp in the forms events use (RFC 3339, Sysmon's
// "2006-01-02 15:04:05.000"); times without a zone are UTC.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
