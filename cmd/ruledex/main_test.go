package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"ruledex/internal/catalog"
	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

// run executes the CLI in-process and returns stdout and stderr.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), errb.String(), err
}

func TestBuildExamples(t *testing.T) {
	dir := t.TempDir()
	_, stderr, err := run(t, "build", "--offline", "--attack", "none", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stderr, "built "+dir+": ") || !strings.Contains(stderr, "splunk ") || !strings.Contains(stderr, " s; ") {
		t.Errorf("summary line: %q", stderr)
	}
	var rules []map[string]string
	b, err := os.ReadFile(filepath.Join(dir, "api", "rules.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rules); err != nil || len(rules) < 10 {
		t.Fatalf("api/rules.json: %d rules, %v", len(rules), err)
	}
}

func TestBuildNeedsOut(t *testing.T) {
	if _, _, err := run(t, "build", "--attack", "none"); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Errorf("build without --out: %v", err)
	}
	if _, _, err := run(t, "build", "--attack", "none", "--out", t.TempDir(), "nosuchkind=."); err == nil || !strings.Contains(err.Error(), "unknown kind") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, _, err := run(t, "build", "--attack", "none", "--out", t.TempDir(), "splunk"); err == nil || !strings.Contains(err.Error(), "KIND=PATH") {
		t.Errorf("missing =: %v", err)
	}
}

func TestShowExample(t *testing.T) {
	out, _, err := run(t, "show", "--attack", "none", "BITS Job Persistence")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"BITS Job Persistence", "Stages", "tstats", "Indicators",
		"Processes.process_name", "bitsadmin.exe", "contains", "setnotifycmdline", "Sysmon", "4688"} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q:\n%s", want, out)
		}
	}
	js, _, err := run(t, "show", "--json", "--attack", "none", "splunk/bits_job_persistence")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		ID         string `json:"id"`
		Indicators []struct {
			Field string `json:"field"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(js), &r); err != nil || r.ID != "e97a5ffe-90bf-11eb-928a-acde48001122" || len(r.Indicators) != 9 {
		t.Errorf("show --json: %v %+v", err, r)
	}
	if _, _, err := run(t, "show", "--attack", "none", "no such rule"); err == nil {
		t.Error("show of a missing rule should fail")
	}
}

func TestStatsExample(t *testing.T) {
	out, _, err := run(t, "stats", "--attack", "none")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "splunk") || !strings.Contains(out, "Undefined macros") {
		t.Errorf("stats output:\n%s", out)
	}
}

// TestShowCorpusBITS is the acceptance check on the real corpus.
func TestShowCorpusBITS(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "splunk")
	bundle := sharedtest.Path(t, "attack", "enterprise-attack-18.1.json.gz")
	out, _, err := run(t, "show", "--attack", bundle, "splunk="+root, "detections/endpoint/bits_job_persistence.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"T1197", "BITS Jobs", "Persistence, Defense Evasion", "Enterprise ATT&CK v18.1",
		"Process creation", "A new process has been created.", "process_bitsadmin", "Processes.original_file_name=bitsadmin.exe"} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q", want)
		}
	}
}

func TestSetMemoryLimit(t *testing.T) {
	for _, ok := range []string{"350MiB", "1GiB", "500MB", "off", ""} {
		if err := setMemoryLimit(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"lots", "12", "-3MiB", "MiB"} {
		if err := setMemoryLimit(bad); err == nil {
			t.Errorf("%q should be refused", bad)
		}
	}
	debug.SetMemoryLimit(math.MaxInt64)
}

func TestBuildOutFolder(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := run(t, "build", "--attack", "none", "--out", dir); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "rules", "splunk", "gone", "index.html")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte("old"), 0o644)
	if _, _, err := run(t, "build", "--attack", "none", "--out", dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a page of the earlier build survived a rebuild")
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if _, _, err := run(t, "build", "--attack", "none", "--out", other); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("building into a folder of other files: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, "notes.txt")); err != nil {
		t.Errorf("the user's file was touched: %v", err)
	}
	// A folder that only looks like a site (an api/stats.json of its own)
	// is not one: nothing in it is deleted.
	lookalike := t.TempDir()
	os.MkdirAll(filepath.Join(lookalike, "api"), 0o755)
	os.WriteFile(filepath.Join(lookalike, "api", "stats.json"), []byte("{}"), 0o644)
	precious := filepath.Join(lookalike, "rules", "precious.txt")
	os.MkdirAll(filepath.Dir(precious), 0o755)
	os.WriteFile(precious, []byte("mine"), 0o644)
	if _, _, err := run(t, "build", "--attack", "none", "--out", lookalike); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("building into a folder with its own api/stats.json: %v", err)
	}
	if _, err := os.Stat(precious); err != nil {
		t.Errorf("a file of the user's was deleted: %v", err)
	}
}

func TestKindWarning(t *testing.T) {
	broken := func() *rule.Rule { return &rule.Rule{Problems: []rule.Problem{{Kind: "load"}}} }
	fine := func() *rule.Rule { return &rule.Rule{Problems: []rule.Problem{{Kind: "parse"}}} }
	for _, tc := range []struct {
		name  string
		rules []*rule.Rule
		want  string
	}{
		{"no rules", nil, "holds no splunk rules"},
		{"most fail to load", []*rule.Rule{broken(), broken(), fine()}, "2 of its 3 rules do not load"},
		{"a few fail to load", []*rule.Rule{broken(), fine(), fine()}, ""},
		{"parse problems are not a wrong KIND", []*rule.Rule{fine(), fine()}, ""},
	} {
		got := kindWarning(&catalog.Source{Ruleset: catalog.Ruleset{Kind: "splunk", Path: "x"}, Rules: tc.rules})
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: warning %q, want one containing %q", tc.name, got, tc.want)
		}
	}
}
