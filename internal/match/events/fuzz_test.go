package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// leavesOf flattens a JSON object with encoding/json's tokenizer into
// "path=value" lines, the reference for the decoder.
func leavesOf(data []byte) ([]string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []string
	var path []string
	var inObj []bool // per open container: object?
	expectKey := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				inObj = append(inObj, true)
				expectKey = true
				continue
			case '[':
				inObj = append(inObj, false)
				expectKey = false
				continue
			default:
				inObj = inObj[:len(inObj)-1]
				if len(inObj) > 0 && inObj[len(inObj)-1] {
					path = path[:len(path)-1]
					expectKey = true
				}
				continue
			}
		case string:
			if expectKey {
				path = append(path, v)
				expectKey = false
				continue
			}
			out = append(out, strings.Join(path, ".")+"="+v)
		case json.Number:
			out = append(out, strings.Join(path, ".")+"="+v.String())
		case bool:
			if v {
				out = append(out, strings.Join(path, ".")+"=true")
			} else {
				out = append(out, strings.Join(path, ".")+"=false")
			}
		case nil:
			out = append(out, strings.Join(path, ".")+"=")
		}
		if len(inObj) > 0 && inObj[len(inObj)-1] {
			path = path[:len(path)-1]
			expectKey = true
		}
	}
}

func seeds(f *testing.F) {
	data, err := os.ReadFile("testdata/sysmon1.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, rec := range bytes.Split(data, []byte("\n}\n")) {
		f.Add(append(rec, "\n}"...))
	}
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, `{"a":"\u00e9\ud83d\ude00\n"}`, `{"a":-1.5e3,"b":true}`, `{"#attributes":{"Name":"x"},"#text":"y"}`, `[{"a":1},{"a":2}]`} {
		f.Add([]byte(s))
	}
}

// FuzzDecode checks the decoder against encoding/json: it never panics,
// and an object encoding/json reads decodes to the same scalars.
func FuzzDecode(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewSchema()
		ev := NewEvent(s)
		err := Decode(data, ev)
		ref, ok := leavesOf(data)
		trimmed := bytes.TrimSpace(data)
		if !ok || !json.Valid(data) || len(trimmed) == 0 || trimmed[0] != '{' || !utf8.Valid(data) {
			return
		}
		if err != nil {
			t.Fatalf("encoding/json reads %q but Decode fails: %v", data, err)
		}
		var got []string
		for _, v := range ev.Values {
			got = append(got, v.Path+"="+v.Text)
		}
		if strings.Join(got, "\n") != strings.Join(ref, "\n") {
			t.Fatalf("decode %q:\n got %q\nwant %q", data, got, ref)
		}
	})
}

// readStream reads a whole stream and describes every record: its leaves,
// or its error with file and line.
func readStream(t *testing.T, data []byte) ([]string, int) {
	s := NewSchema()
	ev := NewEvent(s)
	r := NewReader(bytes.NewReader(data), "f")
	var out []string
	for i := 0; ; i++ {
		if i > len(data)+2 {
			t.Fatalf("more records than bytes in %q", data)
		}
		err := r.Next(ev)
		if err == io.EOF {
			return out, r.n
		}
		var re *RecordError
		if errors.As(err, &re) {
			if re.Line < 1 || re.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("bad line %d in %q", re.Line, data)
			}
			out = append(out, "error at line "+strconv.Itoa(re.Line)+": "+re.Msg)
			continue
		}
		var fe *FileError
		if errors.As(err, &fe) {
			if !bytes.HasPrefix(data, []byte(evtxMagic)) {
				t.Fatalf("%q: %v", data, err)
			}
			out = append(out, "file error")
			if err := r.Next(ev); err != io.EOF {
				t.Fatalf("after a file error: %v", err)
			}
			return out, r.n + 1
		}
		if err != nil {
			t.Fatal(err)
		}
		var leaves []string
		for _, v := range ev.Values {
			leaves = append(leaves, v.Path+"="+v.Text)
		}
		out = append(out, "line "+strconv.Itoa(ev.Line)+": "+strings.Join(leaves, ","))
	}
}

// FuzzReader feeds arbitrary streams to the reader: it must end, never
// panic, account for every record, and read the same with a buffer of a
// few bytes (records then cross every buffer boundary) as with a big one.
func FuzzReader(f *testing.F) {
	seeds(f)
	f.Add([]byte("{\"a\":1}\n{\"a\":}\nnot json\n[{\"a\":2},{\"a\":3}]"))
	f.Add([]byte(`{"a":"\ud83d\ude00\u00e9\\\""}` + "\n" + `{"b":"\ud83d"}`))
	f.Add([]byte(`[{"a":1}, 5, "x\"]", true, null, -1e3, 7x, {"b":2}]`))
	f.Add([]byte("{\"a\":1}\n{\"a\":1\n{\"a\":3}\n"))
	f.Add([]byte("ElfFile\x00\x00\x01{\"a\":1}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		big, n := readStream(t, data)
		if len(big) != n {
			t.Fatalf("records %d, results %d", n, len(big))
		}
		defer func(old int) { readBufferSize = old }(readBufferSize)
		readBufferSize = 1 + len(data)%13
		small, _ := readStream(t, data)
		if strings.Join(big, "\n") != strings.Join(small, "\n") {
			t.Fatalf("a small buffer reads %q differently:\n%q\nwith a big one:\n%q", data, small, big)
		}
	})
}
