package events

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// values reads the texts of a named field of an event.
func values(ev *Event, s *Schema, name string) []string {
	var out []string
	for _, i := range ev.Get(s.Lookup(name)) {
		out = append(out, ev.Values[i].Text)
	}
	return out
}

func readAll(t *testing.T, s *Schema, src string) (evs []map[string][]string, bad []*RecordError) {
	t.Helper()
	r := NewReader(strings.NewReader(src), "in")
	ev := NewEvent(s)
	for {
		err := r.Next(ev)
		if err == io.EOF {
			return
		}
		var re *RecordError
		if errors.As(err, &re) {
			bad = append(bad, re)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		m := map[string][]string{}
		for k := range s.ids {
			if v := values(ev, s, k); v != nil {
				for i := range v {
					v[i] = strings.Clone(v[i])
				}
				m[k] = v
			}
		}
		m["#index"] = []string{itoa(ev.Index)}
		m["#line"] = []string{itoa(ev.Line)}
		evs = append(evs, m)
	}
}

func itoa(n int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n))
}

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

func TestShapes(t *testing.T) {
	data, err := os.ReadFile("testdata/sysmon1.json")
	if err != nil {
		t.Fatal(err)
	}
	s := NewSchema()
	for _, f := range []string{"Image", "commandline", "User", "ProcessId", "NewProcessName", "Event.EventData.Image", "Correlation", "process.name", "winlog.event_data.Image", "Provider_Guid"} {
		s.Field(f)
	}
	evs, bad := readAll(t, s, string(data))
	if len(bad) > 0 {
		t.Fatalf("bad records: %v", bad[0])
	}
	if len(evs) != 2 {
		t.Fatalf("got %d events, want 2", len(evs))
	}
	tests := []struct {
		ev    int
		field string
		want  string
	}{
		{0, "EventID", "1"},
		{0, "Channel", "Microsoft-Windows-Sysmon/Operational"},
		{0, "Provider_Name", "Microsoft-Windows-Sysmon"},
		{0, "Provider_Guid", "5770385F-C22A-43E0-BF4C-06F5698FFBD9"},
		{0, "TimeCreated_SystemTime", "2025-01-02T03:04:05.123456Z"},
		{0, "Computer", "ws1.example.test"},
		{0, "Image", `C:\Windows\System32\bitsadmin.exe`},
		{0, "Event.EventData.Image", `C:\Windows\System32\bitsadmin.exe`},
		{0, "commandline", `bitsadmin /create "job" é`},
		{0, "User", `WS1\alice`},
		{0, "ProcessId", "4242"},
		{0, "Correlation", ""},
		{0, "#line", "1"},
		{1, "EventID", "4688"},
		{1, "Channel", "Security"},
		{1, "NewProcessName", `C:\Windows\System32\cmd.exe`},
		{1, "CommandLine", "cmd /c whoami"},
		{1, "#index", "2"},
		{1, "#line", "34"},
	}
	for _, tc := range tests {
		key := tc.field
		if key[0] != '#' {
			key = Fold(key)
		}
		got := strings.Join(evs[tc.ev][key], "|")
		if got != tc.want {
			t.Errorf("event %d field %s = %q, want %q", tc.ev+1, tc.field, got, tc.want)
		}
	}
}

func TestStreamFormats(t *testing.T) {
	s := NewSchema()
	s.Field("a")
	s.Field("process.name")
	s.Field("Image")
	tests := []struct {
		name    string
		in      string
		want    []string // "a" of each good event
		badLine []int
	}{
		{"jsonl", "{\"a\":1}\n{\"a\":2}\n", []string{"1", "2"}, nil},
		{"array", "[{\"a\":1},\n {\"a\":2}]", []string{"1", "2"}, nil},
		{"concatenated", "{\"a\":1}{\"a\":2}  {\n\"a\":3\n}", []string{"1", "2", "3"}, nil},
		{"bad line", "{\"a\":1}\n{\"a\":}\n{\"a\":3}\n", []string{"1", "3"}, []int{2}},
		{"unterminated string", "{\"a\":\"x}\n{\"a\":3}\n", []string{"3"}, []int{1}},
		{"not an object", "42\n{\"a\":3}\n", []string{"3"}, []int{1}},
		{"truncated", "{\"a\":1}\n{\"a\":[1,2", []string{"1"}, []int{2}},
		{"escapes", `{"a":"\u0041\\\"\n\ud83d\ude00"}`, []string{"A\\\"\n😀"}, nil},
		{"bom", "\xef\xbb\xbf{\"a\":1}", []string{"1"}, nil},
		{"dotted and nested", `{"process.name":"x"}{"process":{"name":"y"}}`, nil, nil},
		{"winlogbeat", `{"winlog":{"event_data":{"Image":"i"},"channel":"c"}}`, nil, nil},
		{"array with a number", `[{"a":1}, 5, {"a":2}]`, []string{"1", "2"}, []int{1}},
		{"array with scalars", "[{\"a\":1},\"x\",true,null,-1.5e3,\n{\"a\":2}]", []string{"1", "2"}, []int{1, 1, 1, 1}},
		{"array with a string holding brackets", `[{"a":1},"x}]{,",{"a":2}]`, []string{"1", "2"}, []int{1}},
		{"array with garbage", "[{\"a\":1}, 5x, {\"a\":2}]\n{\"a\":3}", []string{"1", "3"}, []int{1}},
		{"jsonl record cut short", "{\"a\":1}\n{\"a\":1\n{\"a\":3}\n", []string{"1", "3"}, []int{2}},
		{"jsonl value missing", "{\"a\":1}\n{\"a\":\n\n{\"a\":3}\n", []string{"1", "3"}, []int{2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs, bad := readAll(t, s, tc.in)
			var got []string
			for _, e := range evs {
				for k, v := range e {
					if k[0] != '#' {
						e[Fold(k)] = v
					}
				}
				if v, ok := e["a"]; ok {
					got = append(got, strings.Join(v, ","))
				}
			}
			if tc.want != nil && strings.Join(got, ";") != strings.Join(tc.want, ";") {
				t.Errorf("a = %q, want %q", got, tc.want)
			}
			var lines []int
			for _, b := range bad {
				lines = append(lines, b.Line)
			}
			if fmtInts(lines) != fmtInts(tc.badLine) {
				t.Errorf("bad lines %v, want %v (%v)", lines, tc.badLine, bad)
			}
			switch tc.name {
			case "dotted and nested":
				if len(evs) != 2 || evs[0]["process.name"][0] != "x" || evs[1]["process.name"][0] != "y" {
					t.Errorf("process.name: %v", evs)
				}
			case "winlogbeat":
				if evs[0]["image"][0] != "i" || evs[0]["channel"][0] != "c" {
					t.Errorf("winlogbeat names: %v", evs)
				}
			}
		})
	}
}

func fmtInts(v []int) string {
	var s []string
	for _, n := range v {
		s = append(s, fmtInt(n))
	}
	return strings.Join(s, ",")
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CMD.EXE", "cmd.exe"},
		{"\u212a", "k"}, // Kelvin sign folds with k
		{"ÄÖ", "äö"},
		{"ſ", "s"},
		{"\xff", "\xff"},
	}
	for _, tc := range tests {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDerived(t *testing.T) {
	s := NewSchema()
	img := s.Field("Image")
	base := s.Derived("process_name", []Slot{s.Field("NewProcessName"), img}, func(v string, emit func(string)) {
		emit(v[strings.LastIndexByte(v, '\\')+1:])
	})
	ev := NewEvent(s)
	if err := Decode([]byte(`{"Image":"C:\\x\\a.exe"}`), ev); err != nil {
		t.Fatal(err)
	}
	got := ev.Get(base)
	if len(got) != 1 || ev.Values[got[0]].Text != "a.exe" {
		t.Fatalf("derived = %v", got)
	}
	// A second decode starts afresh.
	if err := Decode([]byte(`{"Other":1}`), ev); err != nil {
		t.Fatal(err)
	}
	if got := ev.Get(base); len(got) != 0 {
		t.Fatalf("derived after reset = %v", got)
	}
}

// TestRecordErrors checks the messages of bad records: the record's own
// line, and where the decoder noticed the error when that is later.
func TestRecordErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // RecordError.Error() of each bad record
	}{
		{"number in an array", `[{"a":1}, 5, {"b":2}]`, []string{"in:1: record 2: an event is a JSON object; found a number 5"}},
		{"string in an array", `[{"a":1}, "x"]`, []string{`in:1: record 2: an event is a JSON object; found a string "x"`}},
		{"not JSON", "oops\n", []string{`in:1: record 1: an event is a JSON object; found "oops"`}},
		{"a log line that starts with a number", "172.16.5.10 6705: Feb  3 denied\n{\"a\":1}\n",
			[]string{"in:1: record 1: an event is a JSON object; found a number 172.16.5.10"}},
		{"numbers on lines of their own", "5\n6\n", []string{
			"in:1: record 1: an event is a JSON object; found a number 5",
			"in:2: record 2: an event is a JSON object; found a number 6"}},
		{"cut short", "{\"a\":1}\n{\"a\":1\n{\"a\":3}\n",
			[]string{`in:2: record 2: expected , or } after the value of "a" (noticed on line 3)`}},
		{"same line", "{\"a\":1}\n{\"a\":}\n", []string{`in:2: record 2: unexpected '}' where a value should be`}},
		{"pretty-printed", "{\n  \"a\": 1,\n  \"b\": ]\n}\n{\"a\":2}", []string{`in:1: record 1: unexpected ']' where a value should be (noticed on line 3)`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, bad := readAll(t, NewSchema(), tc.in)
			var got []string
			for _, b := range bad {
				got = append(got, b.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestBinaryInput checks that a binary EVTX file is reported once, as a
// FileError, and then ends; other input starting alike is JSON's to judge.
func TestBinaryInput(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           string // the FileError; "" for none
		bad            int    // records reported bad
	}{
		{"evtx", "s.evtx", "ElfFile\x00\x00\x00\x00\x00\x03\x00\x01ElfChnk\x00\x00{\"a\":1}\n", "s.evtx is a binary EVTX file: convert it to JSON first (e.g. evtx_dump -o jsonl)", 0},
		{"evtx on standard input", "-", "ElfFile\x00", "standard input is a binary EVTX file: convert it to JSON first (e.g. evtx_dump -o jsonl)", 0},
		{"magic without its NUL", "f", "ElfFile!\n", "", 1},
		{"short", "f", "Elf", "", 1},
		{"empty", "f", "", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tc.in), tc.file)
			ev := NewEvent(NewSchema())
			var files []string
			bad := 0
			for i := 0; i < 100; i++ {
				err := r.Next(ev)
				if err == io.EOF {
					break
				}
				var fe *FileError
				var re *RecordError
				switch {
				case errors.As(err, &fe):
					files = append(files, fe.Error())
				case errors.As(err, &re):
					bad++
				case err != nil:
					t.Fatal(err)
				default:
					t.Fatalf("an event from %q", tc.in)
				}
			}
			want := []string{}
			if tc.want != "" {
				want = []string{tc.want}
			}
			if strings.Join(files, "|") != strings.Join(want, "|") || bad != tc.bad {
				t.Errorf("file errors %q, bad %d; want %q, %d", files, bad, want, tc.bad)
			}
		})
	}
}
