package events

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxRecord is the largest event the reader accepts, in bytes.
const MaxRecord = 16 << 20

// readBufferSize is the reader's first buffer (it doubles for bigger
// records); tests shrink it to cross record boundaries everywhere.
var readBufferSize = 256 << 10

// RecordError is a record of the stream that is not a valid JSON object:
// the reader counts it, reports it with its file and line, and goes on
// with the next record.
type RecordError struct {
	File   string
	Line   int // line where the bad record starts
	Record int // 1-based position among the records of the file
	Msg    string
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s:%d: record %d: %s", e.File, e.Line, e.Record, e.Msg)
}

// FileError is an input that is not JSON text at all (a binary EVTX
// file): the reader reports it once, from the first Next, and then
// returns io.EOF.
type FileError struct {
	File string
	Msg  string // what the input is and what to do, after "FILE is "
}

func (e *FileError) Error() string {
	name := e.File
	if name == "-" {
		name = "standard input"
	}
	return name + " is " + e.Msg
}

// evtxMagic starts every EVTX file (the file header's signature).
const evtxMagic = "ElfFile\x00"

// Reader splits a stream of events into records and decodes them. It
// accepts JSON Lines, a JSON array of objects, and objects concatenated
// with any white space between them (pretty-printed EVTX dumps), and mixes
// of these: between records it skips white space, commas and the brackets
// of an enclosing array.
type Reader struct {
	r    io.Reader
	name string
	buf  []byte
	off  int // start of unread data in buf
	line int // line number at buf[off]
	eof  bool
	err  error // read error other than EOF
	n    int   // records seen
	// checked: the start of the input was checked for a binary format;
	// binary: it is one, and was reported.
	checked, binary bool
}

// NewReader reads events from r; name is the file name hits and errors give.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{r: r, name: name, buf: make([]byte, 0, readBufferSize), line: 1}
}

// Next decodes the next record into ev. It returns io.EOF at the end of
// the stream, a *RecordError for a bad record (the stream goes on: call
// Next again), and any other error when reading fails.
//
// A binary EVTX file (by its signature) is reported once as a *FileError;
// Next then returns io.EOF.
func (r *Reader) Next(ev *Event) error {
	if !r.checked {
		r.checked = true
		for len(r.buf) < len(evtxMagic) && r.fill() {
		}
		if string(r.buf[:min(len(r.buf), len(evtxMagic))]) == evtxMagic {
			r.binary = true
			return &FileError{File: r.name, Msg: "a binary EVTX file: convert it to JSON first (e.g. evtx_dump -o jsonl)"}
		}
	}
	if r.binary {
		return io.EOF
	}
	if !r.skipSeparators() {
		if r.err != nil {
			return r.err
		}
		return io.EOF
	}
	r.n++
	line := r.line
	if r.buf[r.off] != '{' {
		if tok, ok := r.skipScalar(); ok {
			// A value of an array of events that is not an object: the
			// next element is the next record. A line of text that only
			// starts like a value ("172.16.5.10 6705: Feb …" in a log
			// file) is one bad record, not one per word.
			if !r.valueEnds() {
				r.resync()
			}
			return &RecordError{File: r.name, Line: line, Record: r.n,
				Msg: fmt.Sprintf("an event is a JSON object; found %s", tok)}
		}
		for len(r.buf)-r.off < 20 && bytes.IndexByte(r.buf[r.off:], '\n') < 0 && r.fill() {
		}
		bad := &RecordError{File: r.name, Line: line, Record: r.n,
			Msg: fmt.Sprintf("an event is a JSON object; found %q", firstToken(r.buf[r.off:]))}
		r.resync()
		return bad
	}
	for {
		// Decode straight from the buffer; when the object runs past the
		// data read so far, read more and decode again (once per buffer
		// refill at most, as the buffer doubles for big records).
		n, err := decodePrefix(r.buf[r.off:], ev)
		ev.File, ev.Index, ev.Line = r.name, r.n, line
		if err == nil {
			r.line += bytes.Count(r.buf[r.off:r.off+n], []byte{'\n'})
			r.off += n
			return nil
		}
		var de *decodeError
		if !errors.As(err, &de) {
			return err
		}
		if de.incomplete && len(r.buf)-r.off <= MaxRecord && r.fill() {
			continue
		}
		msg := de.msg
		switch {
		case de.incomplete && len(r.buf)-r.off > MaxRecord:
			msg = fmt.Sprintf("record larger than %d MiB", MaxRecord>>20)
		case de.incomplete:
			msg = "unexpected end of input inside the object"
		}
		// The record's own line; where the decoder noticed the error, when
		// that is a later line (a pretty-printed object, or a JSON Lines
		// record cut short, whose object the decoder followed into the
		// next lines), goes in the message.
		rec := r.buf[r.off:min(r.off+de.off, len(r.buf))]
		if at := line + bytes.Count(rec, []byte{'\n'}); at != line {
			msg += fmt.Sprintf(" (noticed on line %d)", at)
		}
		bad := &RecordError{File: r.name, Line: line, Record: r.n, Msg: msg}
		r.resync()
		return bad
	}
}

// valueEnds reports whether what follows a skipped scalar on its line ends
// a JSON value: a comma, a closing bracket, the line's end or the input's.
func (r *Reader) valueEnds() bool {
	for {
		i := r.off
		for i < len(r.buf) && (r.buf[i] == ' ' || r.buf[i] == '\t') {
			i++
		}
		if i < len(r.buf) {
			switch r.buf[i] {
			case ',', ']', '\n', '\r':
				return true
			}
			return false
		}
		if i-r.off > maxScalar || !r.fill() {
			return true
		}
	}
}

// maxScalar bounds the scalars skipScalar skips (longer ones resync).
const maxScalar = 1 << 20

// skipScalar skips a JSON scalar (string, number, true, false, null) at
// r.off when a separator (white space, a comma, a bracket) or the end of
// the input follows it, and describes it (`a number 5`, clipped) for the
// error message. Otherwise it moves nothing and returns false: the record
// is not JSON, and the reader resyncs at the next line.
func (r *Reader) skipScalar() (string, bool) {
	for {
		n, done := scalarLen(r.buf[r.off:], r.eof)
		if !done {
			if len(r.buf)-r.off <= maxScalar && r.fill() {
				continue
			}
			n, done = scalarLen(r.buf[r.off:], true)
		}
		if !done || n == 0 {
			return "", false
		}
		tok := string(r.buf[r.off : r.off+n])
		r.off += n
		if len(tok) > 40 {
			tok = tok[:40] + "…"
		}
		switch tok[0] {
		case '"':
			return "a string " + tok, true
		case 't', 'f':
			return "a boolean " + tok, true
		case 'n':
			return "null", true
		}
		return "a number " + tok, true
	}
}

// scalarLen is the length of the scalar at the start of b when a
// separator or (at the end of the input) nothing follows it, 0 when b
// does not start with one; done is false when b ends before that is
// known.
func scalarLen(b []byte, atEOF bool) (n int, done bool) {
	if len(b) == 0 {
		return 0, true
	}
	i := 0
	switch c := b[0]; {
	case c == '"':
		i = 1
		for i < len(b) && b[i] != '"' {
			switch b[i] {
			case '\n':
				return 0, true
			case '\\':
				if i+1 < len(b) && b[i+1] == '\n' {
					return 0, true
				}
				i++
			}
			i++
		}
		if i >= len(b) {
			return 0, atEOF
		}
		i++ // the closing quote
	case c == '-' || ('0' <= c && c <= '9'):
		for i < len(b) && (b[i] == '-' || b[i] == '+' || b[i] == '.' || b[i] == 'e' || b[i] == 'E' || ('0' <= b[i] && b[i] <= '9')) {
			i++
		}
	case c == 't' || c == 'f' || c == 'n':
		for _, w := range []string{"true", "false", "null"} {
			if w[0] != c {
				continue
			}
			m := min(len(w), len(b))
			if string(b[:m]) != w[:m] {
				return 0, true
			}
			if m < len(w) {
				return 0, atEOF
			}
			i = len(w)
		}
	default:
		return 0, true
	}
	if i >= len(b) {
		if atEOF {
			return i, true
		}
		return 0, false
	}
	switch b[i] {
	case ' ', '\t', '\r', '\n', ',', ']', '[', '{':
		return i, true
	}
	return 0, true
}

// fill reads more input, keeping buf[off:]; it returns false at the end.
func (r *Reader) fill() bool {
	if r.eof {
		return false
	}
	if r.off > 0 && r.off >= len(r.buf)/2 {
		n := copy(r.buf, r.buf[r.off:])
		r.buf = r.buf[:n]
		r.off = 0
	}
	if len(r.buf) == cap(r.buf) {
		nb := make([]byte, len(r.buf), 2*cap(r.buf))
		copy(nb, r.buf)
		r.buf = nb
	}
	for {
		n, err := r.r.Read(r.buf[len(r.buf):cap(r.buf)])
		r.buf = r.buf[:len(r.buf)+n]
		if err != nil {
			r.eof = true
			if err != io.EOF {
				r.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// skipSeparators moves to the next record's first byte; false at the end.
func (r *Reader) skipSeparators() bool {
	for {
		for r.off < len(r.buf) {
			switch r.buf[r.off] {
			case '\n':
				r.line++
				r.off++
			case ' ', '\t', '\r', ',', '[', ']':
				r.off++
			case 0xEF:
				// A UTF-8 byte order mark.
				for r.off+3 > len(r.buf) && r.fill() {
				}
				if r.off+2 < len(r.buf) && r.buf[r.off+1] == 0xBB && r.buf[r.off+2] == 0xBF {
					r.off += 3
					continue
				}
				return true
			default:
				return true
			}
		}
		if !r.fill() {
			return false
		}
	}
}

// resync skips a bad record: to the next line that starts, in its first
// column, with something other than a closing bracket or white space. In
// JSON Lines that is the next line; in pretty-printed dumps, whose inner
// lines are indented, the next top-level object.
func (r *Reader) resync() {
	for {
		i := bytes.IndexByte(r.buf[r.off:], '\n')
		if i < 0 {
			r.off = len(r.buf)
			if !r.fill() {
				return
			}
			continue
		}
		r.off += i + 1
		r.line++
		for r.off >= len(r.buf) {
			if !r.fill() {
				return
			}
		}
		switch r.buf[r.off] {
		case ' ', '\t', '\r', '\n', '}', ']', ',':
			continue
		}
		return
	}
}

func firstToken(b []byte) string {
	n := 0
	for n < len(b) && n < 20 && b[n] != '\n' && b[n] != '\r' {
		n++
	}
	return string(b[:n])
}
