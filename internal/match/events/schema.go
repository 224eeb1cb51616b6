package events

// Slot numbers a field the loaded rules read. The decoder files each value
// of an event under the slots of its names, so a predicate finds its values
// by index instead of by name.
type Slot int32

// NoSlot is the slot of a name no rule reads.
const NoSlot Slot = -1

// DeriveFunc computes a derived field from the values of its source field;
// it calls emit for each value it produces. Values may be substrings of the
// source values or new strings.
type DeriveFunc func(src string, emit func(string))

// Schema maps field names (case-insensitively) to slots. The matcher builds
// it while compiling rules and freezes it before the first event; it is
// then read-only and shared by every decoder.
type Schema struct {
	ids     map[string]Slot
	names   []string
	derived []*derivation // by slot; nil for fields read from the event

	// The slots the decoder and the index need on every event.
	EventID, Channel, Provider, Computer Slot
	times                                []Slot
}

type derivation struct {
	src []Slot // the first source present in the event is used
	fn  DeriveFunc
}

// timeFields are the names an event's timestamp goes by, in order of
// preference: the Windows System time, ECS, and common flat exports.
var timeFields = []string{"TimeCreated_SystemTime", "@timestamp", "timestamp", "UtcTime", "EventTime", "TimeCreated", "event.created", "time"}

// NewSchema returns a schema with the well-known fields.
func NewSchema() *Schema {
	s := &Schema{ids: map[string]Slot{}}
	s.EventID = s.Field("EventID")
	s.Channel = s.Field("Channel")
	s.Provider = s.Field("Provider_Name")
	s.Computer = s.Field("Computer")
	for _, f := range timeFields {
		s.times = append(s.times, s.Field(f))
	}
	return s
}

// Field returns the slot of an event field, adding it when new.
func (s *Schema) Field(name string) Slot {
	key := Fold(name)
	if id, ok := s.ids[key]; ok {
		return id
	}
	id := Slot(len(s.names))
	s.ids[key] = id
	s.names = append(s.names, name)
	s.derived = append(s.derived, nil)
	return id
}

// Lookup returns the slot of an event field, or NoSlot.
func (s *Schema) Lookup(name string) Slot {
	if id, ok := s.ids[Fold(name)]; ok {
		return id
	}
	return NoSlot
}

// lookupFolded looks up an already folded name given as bytes without
// allocating.
func (s *Schema) lookupFolded(b []byte) Slot {
	if id, ok := s.ids[string(b)]; ok {
		return id
	}
	return NoSlot
}

// Derived adds a field computed from the first present of src by fn. The
// name is for display only (hits show it); derived fields are never filled
// from the event, so two derivations may share a name.
func (s *Schema) Derived(name string, src []Slot, fn DeriveFunc) Slot {
	id := Slot(len(s.names))
	s.names = append(s.names, name)
	s.derived = append(s.derived, &derivation{src: src, fn: fn})
	return id
}

// Name is the name a slot was created with.
func (s *Schema) Name(id Slot) string {
	if id < 0 || int(id) >= len(s.names) {
		return ""
	}
	return s.names[id]
}

// Len is the number of slots.
func (s *Schema) Len() int { return len(s.names) }
