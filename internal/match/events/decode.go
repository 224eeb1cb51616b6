package events

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of objects and arrays an event may have.
const MaxDepth = 1000

// decodeError is a syntax error at a byte offset of one record.
// Incomplete is set when the record ran out of bytes, so that a reader can
// fetch more input and decode again.
type decodeError struct {
	off        int
	msg        string
	incomplete bool
}

func (e *decodeError) Error() string { return e.msg }

// walker decodes one JSON object into an Event: a recursive-descent pass
// over the bytes that files every scalar under its dotted path and under
// the short name the event's shape gives it (see shape.go). It allocates
// nothing per value once its buffers have grown.
type walker struct {
	data  []byte
	pos   int
	ev    *Event
	depth int
	node  *pathNode // the path of the value being read
	tmp   []byte    // unescaping scratch
}

// Decode decodes one JSON object (data holds exactly the object, possibly
// with surrounding space) into ev, replacing its previous content.
func Decode(data []byte, ev *Event) error {
	lead := 0
	for lead < len(data) && (data[lead] == ' ' || data[lead] == '\t' || data[lead] == '\n' || data[lead] == '\r') {
		lead++
	}
	n, err := decodePrefix(data[lead:], ev)
	n += lead
	if err != nil {
		return err
	}
	for _, c := range data[n:] {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return &decodeError{off: n, msg: fmt.Sprintf("unexpected %q after the end of the object", c)}
		}
	}
	return nil
}

// decodePrefix decodes the object at the start of data and returns the
// number of bytes it took.
func decodePrefix(data []byte, ev *Event) (int, error) {
	w := walker{data: data, ev: ev, node: &ev.paths.root}
	ev.reset()
	if len(data) == 0 || data[0] != '{' {
		return 0, w.errorf("an event is a JSON object; this record does not start with {")
	}
	err := w.object()
	return w.pos, err
}

func (w *walker) errorf(format string, args ...any) error {
	return &decodeError{off: w.pos, msg: fmt.Sprintf(format, args...), incomplete: w.pos >= len(w.data)}
}

func (w *walker) skipSpace() {
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case ' ', '\t', '\n', '\r':
			w.pos++
		default:
			return
		}
	}
}

// object parses {"k": v, …} at w.pos.
func (w *walker) object() error {
	w.depth++
	if w.depth > MaxDepth {
		return w.errorf("nesting deeper than %d levels", MaxDepth)
	}
	defer func() { w.depth-- }()
	w.pos++ // {
	w.skipSpace()
	if w.pos < len(w.data) && w.data[w.pos] == '}' {
		w.pos++
		return nil
	}
	// A Windows EventData <Data Name="X">v</Data> element dumped as
	// {"#attributes": {"Name": "X"}, "#text": "v"}: remember both parts.
	nameVal, textVal := int32(-1), int32(-1)
	cursor := 0
	for {
		w.skipSpace()
		if w.pos >= len(w.data) || w.data[w.pos] != '"' {
			return w.errorf("expected a quoted key in the object")
		}
		key, err := w.key()
		if err != nil {
			return err
		}
		w.skipSpace()
		if w.pos >= len(w.data) || w.data[w.pos] != ':' {
			return w.errorf("expected : after the key %q", key)
		}
		w.pos++
		w.skipSpace()
		parent := w.node
		w.node = w.ev.paths.next(w.ev.schema, parent, key, &cursor)
		before := len(w.ev.Values)
		if err := w.value(); err != nil {
			return err
		}
		switch {
		case w.node.text && len(w.ev.Values) == before+1:
			textVal = int32(before)
		case w.node.key == "#attributes":
			for i := before; i < len(w.ev.Values); i++ {
				if w.ev.leafNode[i].name {
					nameVal = int32(i)
				}
			}
		}
		w.node = parent
		w.skipSpace()
		if w.pos >= len(w.data) {
			return w.errorf("unexpected end of the object; a } is missing")
		}
		switch w.data[w.pos] {
		case ',':
			w.pos++
			continue
		case '}':
			w.pos++
			if nameVal >= 0 && textVal >= 0 {
				w.fileNamedData(nameVal, textVal)
			}
			return nil
		}
		return w.errorf("expected , or } after the value of %q", key)
	}
}

// array parses [v, …]; elements share the array's path.
func (w *walker) array() error {
	w.depth++
	if w.depth > MaxDepth {
		return w.errorf("nesting deeper than %d levels", MaxDepth)
	}
	defer func() { w.depth-- }()
	w.pos++ // [
	w.skipSpace()
	if w.pos < len(w.data) && w.data[w.pos] == ']' {
		w.pos++
		return nil
	}
	for {
		w.skipSpace()
		if err := w.value(); err != nil {
			return err
		}
		w.skipSpace()
		if w.pos >= len(w.data) {
			return w.errorf("unexpected end of the array; a ] is missing")
		}
		switch w.data[w.pos] {
		case ',':
			w.pos++
			continue
		case ']':
			w.pos++
			return nil
		}
		return w.errorf("expected , or ] in the array")
	}
}

// value parses any JSON value at w.pos and files its scalars.
func (w *walker) value() error {
	if w.pos >= len(w.data) {
		return w.errorf("unexpected end of the record; a value is missing")
	}
	switch c := w.data[w.pos]; {
	case c == '{':
		return w.object()
	case c == '[':
		return w.array()
	case c == '"':
		s, err := w.str()
		if err != nil {
			return err
		}
		w.leaf(s, String)
		return nil
	case c == '-' || ('0' <= c && c <= '9'):
		start := w.pos
		if err := w.number(); err != nil {
			return err
		}
		w.leaf(w.ev.store(w.data[start:w.pos]), Number)
		return nil
	case w.literal("true"):
		w.leaf("true", Bool)
		return nil
	case w.literal("false"):
		w.leaf("false", Bool)
		return nil
	case w.literal("null"):
		w.leaf("", Null)
		return nil
	case w.partialLiteral():
		w.pos = len(w.data)
		return w.errorf("unexpected end of the record inside a literal")
	}
	return w.errorf("unexpected %q where a value should be", w.data[w.pos])
}

// partialLiteral reports whether the data ends inside true, false or null.
func (w *walker) partialLiteral() bool {
	rest := string(w.data[w.pos:])
	for _, word := range []string{"true", "false", "null"} {
		if len(rest) < len(word) && word[:len(rest)] == rest {
			return true
		}
	}
	return false
}

func (w *walker) literal(word string) bool {
	if len(w.data)-w.pos >= len(word) && string(w.data[w.pos:w.pos+len(word)]) == word {
		w.pos += len(word)
		return true
	}
	return false
}

// number checks the JSON number grammar and advances past it.
func (w *walker) number() error {
	d := w.data
	i := w.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if digits() == 0 {
		w.pos = i
		return w.errorf("a number needs digits")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			w.pos = i
			return w.errorf("a number needs digits after the decimal point")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			w.pos = i
			return w.errorf("a number needs digits in its exponent")
		}
	}
	w.pos = i
	return nil
}

// str parses a quoted string at w.pos and returns it unescaped, stored in
// the event's arena. Runs without escapes are found and copied whole
// (bytes.IndexByte is vectorised); Windows paths escape every backslash,
// so that matters.
func (w *walker) str() (string, error) {
	d := w.data
	start := w.pos + 1
	i := start
	buf := w.tmp[:0]
	escaped := false
	for {
		q := bytes.IndexByte(d[i:], '"')
		if q < 0 {
			w.pos = len(d)
			return "", w.errorf("unterminated string; a closing \" is missing")
		}
		run := d[i : i+q]
		b := bytes.IndexByte(run, '\\')
		if b >= 0 {
			run = run[:b]
		}
		if nl := bytes.IndexByte(run, '\n'); nl >= 0 {
			w.pos = i + nl
			return "", w.errorf("a string runs past the end of its line (a \" is missing)")
		}
		if b < 0 {
			w.pos = i + q + 1
			if !escaped {
				return w.ev.store(d[start : i+q]), nil
			}
			buf = append(buf, run...)
			w.tmp = buf
			return w.ev.store(buf), nil
		}
		// An escape at i+b.
		if !escaped {
			buf = append(buf, d[start:i]...)
			escaped = true
		}
		buf = append(buf, run...)
		i += b
		if i+1 >= len(d) {
			w.pos = len(d) // the record goes on past the data read so far
			return "", w.errorf("unterminated escape in a string")
		}
		switch e := d[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, n, ok := w.unicodeEscape(i)
			if !ok {
				w.pos = i
				if n < 0 {
					w.pos = len(d)
				}
				return "", w.errorf("invalid \\u escape in a string; it takes four hex digits")
			}
			buf = utf8.AppendRune(buf, r)
			i += n
			continue
		default:
			w.pos = i
			return "", w.errorf("invalid escape \\%c in a string", e)
		}
		i += 2
	}
}

// key parses an object key at w.pos and returns its unescaped bytes,
// valid until the next key.
func (w *walker) key() ([]byte, error) {
	d := w.data
	start := w.pos + 1
	i := start
	for i < len(d) && d[i] != '"' && d[i] != '\\' && d[i] != '\n' {
		i++
	}
	if i < len(d) && d[i] == '"' {
		w.pos = i + 1
		return d[start:i], nil
	}
	s, err := w.str()
	if err != nil {
		return nil, err
	}
	w.tmp = append(w.tmp[:0], s...)
	return w.tmp, nil
}

// unicodeEscape decodes \uXXXX (and a following low surrogate) at d[i].
// It returns n < 0 when the data ends before the escape (or the pair)
// does, so that the caller can ask for more.
func (w *walker) unicodeEscape(i int) (rune, int, bool) {
	d := w.data
	if i+6 > len(d) {
		return 0, -1, false
	}
	r, ok := hex4(d, i+2)
	if !ok {
		return 0, 0, false
	}
	if !utf16.IsSurrogate(r) {
		return r, 6, true
	}
	// A pair needs \uXXXX right after; decide only once it is all there.
	switch {
	case i+6 < len(d) && d[i+6] != '\\':
	case i+7 < len(d) && d[i+7] != 'u':
	case i+12 > len(d):
		return 0, -1, false
	default:
		if r2, ok := hex4(d, i+8); ok {
			if c := utf16.DecodeRune(r, r2); c != utf8.RuneError {
				return c, 12, true
			}
		}
	}
	return utf8.RuneError, 6, true
}

func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// leaf records a scalar at the current path and files it under the slots
// of its path and of its short name.
func (w *walker) leaf(text string, k Kind) {
	ev := w.ev
	n := w.node
	i := int32(len(ev.Values))
	ev.Values = append(ev.Values, Value{Path: n.path, Text: text, Kind: k})
	ev.leafNode = append(ev.leafNode, n)
	if n.full >= 0 {
		ev.file(n.full, i)
	}
	if n.alias >= 0 {
		if n.sys {
			ev.fileWeak(n.alias, i)
		} else {
			ev.file(n.alias, i)
		}
	}
	switch n.hdr {
	case hdrID:
		ev.sysID = i
	case hdrChannel:
		ev.sysChannel = i
	case hdrProvider:
		ev.sysProvider = i
	}
}

// fileNamedData files a {"#attributes": {"Name": n}, "#text": v} element
// under the slot named n.
func (w *walker) fileNamedData(nameVal, textVal int32) {
	root := w.node
	for root.depth > 1 {
		root = root.parent
	}
	if root.key != "event" {
		return
	}
	w.tmp = AppendFold(w.tmp[:0], w.ev.Values[nameVal].Text)
	if a := w.ev.schema.lookupFolded(w.tmp); a >= 0 {
		w.ev.file(a, textVal)
	}
}
