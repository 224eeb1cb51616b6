package attack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"ruledex/internal/lang"
)

// scanner walks JSON held in memory. It is a small recursive-descent reader
// specialised for one job: pick a few fields out of a 30+ MB bundle whose
// bytes are mostly descriptions nobody here reads. Skipped strings cost one
// bytes.IndexByte per quote and no allocation, which makes it several times
// faster than encoding/json decoding into a struct (that validates and
// unescapes every byte). The strings it returns are sub-slices of the input.
//
// Errors are sticky: the first one is kept in err and every later call
// fails fast, so callers check ok once per loop instead of after each step.
type scanner struct {
	data  []byte
	pos   int
	depth int
	err   error
}

// jstr is a JSON string as it sits in the input: the bytes between the
// quotes and whether they hold escapes that still need decoding.
type jstr struct {
	raw []byte
	esc bool
}

// String decodes the string. Only escaped strings allocate beyond the copy;
// invalid UTF-8 is replaced so that names are safe to render.
func (j jstr) String() string {
	if !j.esc {
		if utf8.Valid(j.raw) {
			return string(j.raw)
		}
		return string(bytes.ToValidUTF8(j.raw, []byte("\uFFFD")))
	}
	var s string
	quoted := make([]byte, 0, len(j.raw)+2)
	quoted = append(append(append(quoted, '"'), j.raw...), '"')
	if err := json.Unmarshal(quoted, &s); err != nil {
		// A bad escape: show the text as written rather than lose it.
		return string(bytes.ToValidUTF8(j.raw, []byte("\uFFFD")))
	}
	return s
}

// is reports whether the string equals s, without allocating in the
// common unescaped case.
func (j jstr) is(s string) bool {
	if j.esc {
		return j.String() == s
	}
	return string(j.raw) == s
}

func (j jstr) empty() bool { return len(j.raw) == 0 }

// failf records the first error at the current offset.
func (s *scanner) failf(format string, args ...any) bool {
	if s.err == nil {
		line, col := position(s.data, s.pos)
		s.err = &lang.Error{Pos: lang.Pos{Line: line, Col: col}, Msg: fmt.Sprintf(format, args...)}
	}
	return false
}

// position turns a byte offset into a 1-based line and column; it runs only
// on errors.
func position(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, 0 at the end of the input.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// describe names the byte at the current offset for error messages.
func (s *scanner) describe() string {
	if s.pos >= len(s.data) {
		return "the end of the input (is the file truncated?)"
	}
	c := s.data[s.pos]
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (s *scanner) expect(c byte, what string) bool {
	if s.err != nil {
		return false
	}
	if s.peek() != c {
		return s.failf("expected %q %s, found %s", rune(c), what, s.describe())
	}
	s.pos++
	return true
}

// str reads a string value.
func (s *scanner) str() (jstr, bool) {
	if s.err != nil {
		return jstr{}, false
	}
	if s.peek() != '"' {
		return jstr{}, s.failf("expected a string, found %s", s.describe())
	}
	start := s.pos + 1
	end, ok := s.stringEnd()
	if !ok {
		return jstr{}, false
	}
	raw := s.data[start:end]
	return jstr{raw: raw, esc: bytes.IndexByte(raw, '\\') >= 0}, true
}

// stringEnd moves past the string that starts at pos (on its opening
// quote) and returns the offset of its closing quote. A quote preceded by
// an odd run of backslashes is escaped; runs between quotes are disjoint,
// so the scan stays linear.
func (s *scanner) stringEnd() (int, bool) {
	open := s.pos
	i := open + 1
	for {
		j := bytes.IndexByte(s.data[i:], '"')
		if j < 0 {
			s.pos = open
			return 0, s.failf("unterminated string (is the file truncated?)")
		}
		i += j
		n := 0
		for k := i - 1; k > open && s.data[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			s.pos = i + 1
			return i, true
		}
		i++
	}
}

// boolean reads true or false; null reads as false (STIX producers write
// null for absent flags now and then).
func (s *scanner) boolean() (bool, bool) {
	if s.err != nil {
		return false, false
	}
	switch s.peek() {
	case 't':
		return true, s.literal("true")
	case 'f':
		return false, s.literal("false")
	case 'n':
		return false, s.literal("null")
	}
	return false, s.failf("expected true or false, found %s", s.describe())
}

func (s *scanner) literal(word string) bool {
	if !bytes.HasPrefix(s.data[s.pos:], []byte(word)) {
		return s.failf("invalid literal, expected %s", word)
	}
	s.pos += len(word)
	return true
}

// isNull consumes a null if one comes next; optional fields may be null.
func (s *scanner) isNull() bool {
	if s.peek() == 'n' && bytes.HasPrefix(s.data[s.pos:], []byte("null")) {
		s.pos += 4
		return true
	}
	return false
}

// object calls member for each key of the object that comes next; member
// must consume the value (by reading it or calling skip).
func (s *scanner) object(member func(key jstr) bool) bool {
	if !s.expect('{', "to start an object") {
		return false
	}
	if !s.enter() {
		return false
	}
	defer s.leave()
	if s.peek() == '}' {
		s.pos++
		return true
	}
	for {
		key, ok := s.str()
		if !ok || !s.expect(':', "after an object key") || !member(key) {
			return false
		}
		if s.err != nil {
			return false
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return true
		default:
			return s.failf("expected ',' or '}' after an object member, found %s", s.describe())
		}
	}
}

// array calls item for each element of the array that comes next; item
// must consume the element.
func (s *scanner) array(item func() bool) bool {
	if !s.expect('[', "to start an array") {
		return false
	}
	if !s.enter() {
		return false
	}
	defer s.leave()
	if s.peek() == ']' {
		s.pos++
		return true
	}
	for {
		if !item() || s.err != nil {
			return false
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return true
		default:
			return s.failf("expected ',' or ']' after an array element, found %s", s.describe())
		}
	}
}

// strings reads an array of strings (null reads as none), appending to dst.
func (s *scanner) strings(dst []jstr) ([]jstr, bool) {
	if s.isNull() {
		return dst, true
	}
	ok := s.array(func() bool {
		v, ok := s.str()
		dst = append(dst, v)
		return ok
	})
	return dst, ok
}

func (s *scanner) enter() bool {
	s.depth++
	if s.depth > lang.MaxDepth {
		return s.failf("JSON nested deeper than %d levels; a STIX bundle is only a few levels deep", lang.MaxDepth)
	}
	return true
}

func (s *scanner) leave() { s.depth-- }

// skip consumes any value without keeping it.
func (s *scanner) skip() bool {
	if s.err != nil {
		return false
	}
	switch c := s.peek(); {
	case c == '"':
		_, ok := s.stringEnd()
		return ok
	case c == '{':
		return s.object(func(jstr) bool { return s.skip() })
	case c == '[':
		return s.array(s.skip)
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	}
	return s.failf("expected a JSON value, found %s", s.describe())
}

// number consumes a number loosely (its value is never used).
func (s *scanner) number() bool {
	start := s.pos
	for s.pos < len(s.data) && isNumberByte(s.data[s.pos]) {
		s.pos++
	}
	if s.pos == start+1 && s.data[start] == '-' {
		return s.failf("invalid number")
	}
	return true
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// end checks that nothing but white space follows the top-level value.
func (s *scanner) end() bool {
	if s.err != nil {
		return false
	}
	if s.peek() != 0 {
		return s.failf("unexpected %s after the end of the JSON document", s.describe())
	}
	return true
}
