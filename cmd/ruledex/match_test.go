package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"ruledex/internal/catalog"
	"ruledex/internal/sharedtest"
)

const bitsEvents = "../../internal/match/testdata/bitsadmin_sysmon1.json"

func TestMatchExamples(t *testing.T) {
	out, stderr, err := run(t, "match", "--json", bitsEvents)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var h struct {
			Rule, Source, Title, File string
			Event                     int
			Fields                    map[string]string
		}
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if h.Title == "BITS Job Persistence" && h.Event == 2 && h.Source == "splunk" && h.File == bitsEvents &&
			h.Fields["Processes.process_name"] == "bitsadmin.exe" {
			found = true
		}
	}
	if !found {
		t.Errorf("no BITS Job Persistence hit on event 2:\n%s", out)
	}
	if !strings.Contains(stderr, "3 events read, 0 invalid records, ") || !strings.Contains(stderr, " rules loaded, ") ||
		!strings.Contains(stderr, "events/s") {
		t.Errorf("summary: %q", stderr)
	}
}

func TestMatchBadRecords(t *testing.T) {
	f := filepath.Join(t.TempDir(), "e.jsonl")
	if err := os.WriteFile(f, []byte("{\"EventID\":1}\n{oops\n{\"EventID\":2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := run(t, "match", f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "invalid record: "+f+":2: record 2:") || !strings.Contains(stderr, "2 events read, 1 invalid record,") {
		t.Errorf("stderr: %q", stderr)
	}
}

// TestMatchBadInput checks the reports, the summary and the exit status of
// runs over bad input: a run fails only when it read no event and some
// input was invalid.
func TestMatchBadInput(t *testing.T) {
	const evtxMsg = " is a binary EVTX file: convert it to JSON first (e.g. evtx_dump -o jsonl)"
	tests := []struct {
		name    string
		files   map[string]string // name → content
		fail    bool
		stderr  []string // substrings, FILE replaced by the temp dir
		reports int      // lines starting "ruledex: " before the summary (error excluded)
	}{
		{"good and bad lines", map[string]string{"e.jsonl": "{\"EventID\":1}\n{\"a\":1\n{\"EventID\":2}\n"}, false,
			[]string{"FILE/e.jsonl:2: record 2: expected , or } after the value of \"a\" (noticed on line 3)", "2 events read, 1 invalid record,"}, 1},
		{"array with a number", map[string]string{"a.json": `[{"a":1}, 5, {"b":2}]`}, false,
			[]string{"FILE/a.json:1: record 2: an event is a JSON object; found a number 5", "2 events read, 1 invalid record,"}, 1},
		{"only invalid records", map[string]string{"bad.json": "oops\n42\n"}, true,
			[]string{"0 events read, 2 invalid records,", "no event could be read: 2 invalid records"}, 2},
		{"evtx", map[string]string{"s.evtx": "ElfFile\x00\x00\x00\x00\x00\x03\x00\x01\x00ElfChnk\x00"}, true,
			[]string{"ruledex: FILE/s.evtx" + evtxMsg + "\n", "1 file skipped (binary EVTX)", "no event could be read: 1 file skipped (binary EVTX)"}, 1},
		{"evtx beside json", map[string]string{"s.evtx": "ElfFile\x00rest", "e.json": `{"EventID":1}`}, false,
			[]string{"FILE/s.evtx" + evtxMsg, "1 event read, 0 invalid records, 1 file skipped (binary EVTX),"}, 1},
		{"empty", map[string]string{"e.json": ""}, false, []string{"0 events read, 0 invalid records,"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"match"}
			for _, name := range fileNames(tc.files) {
				f := filepath.Join(dir, name)
				if err := os.WriteFile(f, []byte(tc.files[name]), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, f)
			}
			_, stderr, err := run(t, args...)
			if (err != nil) != tc.fail {
				t.Errorf("err = %v, want failure %v", err, tc.fail)
			}
			for _, want := range tc.stderr {
				want = strings.ReplaceAll(want, "FILE", dir)
				if strings.HasPrefix(want, "no event could be read") {
					if err == nil || err.Error() != want {
						t.Errorf("err = %v, want %q", err, want)
					}
					continue
				}
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if n := strings.Count(stderr, "ruledex: "); n != tc.reports {
				t.Errorf("%d reports, want %d:\n%s", n, tc.reports, stderr)
			}
		})
	}
}

func fileNames(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestMatchDeprecated checks that deprecated rules are skipped unless
// --include-deprecated, and that --skipped and the summary say so.
func TestMatchDeprecated(t *testing.T) {
	const old = "skipped: splunk 3c1f5a3e-1b33-4d8c-9d7b-0c0b2b0d0d01 (detections/deprecated/bitsadmin_old.yml): deprecated\n"
	tests := []struct {
		name    string
		args    []string
		listed  bool   // the deprecated example is listed by --skipped
		summary string // in the summary line
	}{
		{"default", []string{"--skipped"}, true, "26 rules loaded, 18 evaluable (7 not, 1 of them deprecated or unsupported: listed above), 1 Sigma filter applied,"},
		{"not listed", nil, false, "18 evaluable (7 not, 1 of them deprecated or unsupported: --skipped lists them)"},
		{"included", []string{"--skipped", "--include-deprecated"}, false, "26 rules loaded, 19 evaluable (6 not: listed above)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"match"}, tc.args...), bitsEvents)
			_, stderr, err := run(t, args...)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(stderr, old) != tc.listed {
				t.Errorf("deprecated rule listed: %v, want %v\n%s", !tc.listed, tc.listed, stderr)
			}
			if !strings.Contains(stderr, tc.summary) {
				t.Errorf("summary lacks %q:\n%s", tc.summary, stderr)
			}
		})
	}
}

// TestMatchText checks the text form of a hit: the event's position and
// line are told apart.
func TestMatchText(t *testing.T) {
	out, _, err := run(t, "match", bitsEvents)
	if err != nil {
		t.Fatal(err)
	}
	tests := []string{
		bitsEvents + " event 1 (line 1)  splunk  e97a5ffe-90bf-11eb-928a-acde48001122  BITS Job Persistence  Processes.process_name=bitsadmin.exe",
		bitsEvents + " event 2 (line 67)  splunk  ",
		bitsEvents + " event 3 (line 133)  splunk  ",
	}
	for _, want := range tests {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestMatchMappings(t *testing.T) {
	out, _, err := run(t, "match", "--mappings")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"process_name", "basename(Image)", "process.args", "argv(CommandLine)", "datamodel endpoint.processes"} {
		if !strings.Contains(out, want) {
			t.Errorf("--mappings lacks %q", want)
		}
	}
}

// TestMatchCorpus runs the shared corpora over the bitsadmin events in one
// call: the ESCU and the Sigma rule must fire on event 2.
func TestMatchCorpus(t *testing.T) {
	args := []string{"match", "--json"}
	for _, k := range []string{"splunk", "sigma", "elastic"} {
		p := sharedtest.Path(t, "corpus", k)
		if !hasKind(k) {
			continue
		}
		args = append(args, "--rules", k+"="+p)
	}
	out, stderr, err := run(t, append(args, bitsEvents)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"source":"splunk","title":"BITS Job Persistence"`, `"source":"sigma","title":"File Download Via Bitsadmin"`} {
		ok := false
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, want) && strings.Contains(line, `"event":2,`) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("no hit %s on event 2", want)
		}
	}
	t.Log(strings.TrimSpace(stderr))
}

func hasKind(k string) bool {
	for _, x := range catalog.Kinds() {
		if x == k {
			return true
		}
	}
	return false
}
