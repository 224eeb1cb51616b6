package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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
	if !strings.Contains(stderr, "3 events (0 invalid)") || !strings.Contains(stderr, "events/s") {
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
	if !strings.Contains(stderr, "invalid record: "+f+":2: record 2:") || !strings.Contains(stderr, "2 events (1 invalid)") {
		t.Errorf("stderr: %q", stderr)
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
