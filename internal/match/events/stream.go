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
}

// NewReader reads events from r; name is the file name hits and errors give.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{r: r, name: name, buf: make([]byte, 0, readBufferSize), line: 1}
}

// Next decodes the next record into ev. It returns io.EOF at the end of
// the stream, a *RecordError for a bad record (the stream goes on: call
// Next again), and any other error when reading fails.
func (r *Reader) Next(ev *Event) error {
	if !r.skipSeparators() {
		if r.err != nil {
			return r.err
		}
		return io.EOF
	}
	r.n++
	line := r.line
	if r.buf[r.off] != '{' {
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
		rec := r.buf[r.off:min(r.off+de.off, len(r.buf))]
		bad := &RecordError{File: r.name, Line: line + bytes.Count(rec, []byte{'\n'}), Record: r.n, Msg: msg}
		r.resync()
		return bad
	}
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
