package escu

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

func readRepo(t *testing.T) map[string]*rule.Rule {
	t.Helper()
	res, err := Reader{}.Read(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*rule.Rule{}
	for _, r := range res.Rules {
		out[r.Path] = r
	}
	return out
}

func TestBothLayoutsGiveTheSameRule(t *testing.T) {
	rules := readRepo(t)
	older := rules["detections/older/bits_job_persistence.yml"]
	newer := rules["detections/newer/bits_job_persistence.yml"]
	if older == nil || newer == nil {
		t.Fatalf("fixtures not loaded: %v", keys(rules))
	}
	for _, r := range []*rule.Rule{older, newer} {
		if len(r.Problems) != 0 {
			t.Errorf("%s: problems %+v", r.Path, r.Problems)
		}
		r.DeriveIndicators()
	}
	same := func(what string, a, b any) {
		t.Helper()
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs between layouts:\nolder %+v\nnewer %+v", what, a, b)
		}
	}
	same("id", older.ID, newer.ID)
	same("name", older.Name, newer.Name)
	same("attack", older.AttackRefs, newer.AttackRefs)
	same("data sources", older.DataSources, newer.DataSources)
	same("stories", older.Splunk.Stories, newer.Splunk.Stories)
	same("indicators", older.Indicators, newer.Indicators)
	same("stage count", len(older.Stages), len(newer.Stages))
	for i := range older.Stages {
		same("stage command", older.Stages[i].Command, newer.Stages[i].Command)
		same("stage expression", rule.Format(older.Stages[i].Expr), rule.Format(newer.Stages[i].Expr))
	}

	// What each layout says in its own way.
	if newer.Created != "2021-03-30" || newer.Modified != "2026-05-13" || older.Modified != "2024-09-30" {
		t.Errorf("dates: newer %s/%s, older %s", newer.Created, newer.Modified, older.Modified)
	}
	if f := newer.Splunk.Finding; f == nil || f.Entity == nil || f.Entity.Field != "user" || f.Entity.Score != 50 {
		t.Errorf("newer finding: %+v", newer.Splunk.Finding)
	}
	if in := newer.Splunk.IntermediateFindings; in == nil || len(in.ThreatObjects) != 2 || in.Entities[0].Field != "dest" {
		t.Errorf("newer intermediate findings: %+v", in)
	}
	if older.Splunk.RiskScore != 56 || len(older.Splunk.Observables) != 2 || older.Splunk.Observables[1].Role[0] != "Attacker" {
		t.Errorf("older risk: %+v", older.Splunk)
	}
	if len(newer.Splunk.Tests) != 2 || newer.Splunk.Tests[0].TestType != "unit" || newer.Splunk.Tests[1].AttackData[0].Sourcetype != "crowdstrike:events:sensor" {
		t.Errorf("newer tests: %+v", newer.Splunk.Tests)
	}
	if len(newer.Splunk.Drilldowns) != 2 || newer.Splunk.Drilldowns[1].EarliestOffset != "7d" {
		t.Errorf("newer drilldowns: %+v", newer.Splunk.Drilldowns)
	}
}

func TestBITSStagesAndIndicators(t *testing.T) {
	r := readRepo(t)["detections/newer/bits_job_persistence.yml"]
	r.DeriveIndicators()
	if r.Stages[0].Command != "tstats" || !strings.Contains(r.Stages[0].Expanded, "Processes.process_name=bitsadmin.exe OR Processes.original_file_name=bitsadmin.exe") {
		t.Errorf("stage 1 should be tstats with process_bitsadmin expanded: %+v", r.Stages[0])
	}
	want := []string{
		"Processes.process_name eq bitsadmin.exe",
		"Processes.original_file_name eq bitsadmin.exe",
	}
	for _, v := range []string{"create", "addfile", "setnotifyflags", "setnotifycmdline", "setminretrydelay", "setcustomheaders", "resume"} {
		want = append(want, "Processes.process contains "+v)
	}
	var got []string
	for _, in := range r.Indicators {
		got = append(got, in.Field+" "+string(in.Kind)+" "+in.Value)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("indicators:\n got %q\nwant %q", got, want)
	}
	// Data sources resolved against data_sources/.
	ds := r.Splunk.DataSources
	if len(ds) != 3 || !ds[0].Defined || ds[0].Source != "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" || ds[2].Sourcetype != "crowdstrike:events:sensor" {
		t.Errorf("data sources: %+v", ds)
	}
	// Macros used, with where they come from.
	status := map[string]string{}
	for _, m := range r.Splunk.Macros {
		status[m.Name] = m.Status
	}
	wantStatus := map[string]string{"security_content_summariesonly": "defined", "process_bitsadmin": "defined",
		"drop_dm_object_name": "builtin", "security_content_ctime": "defined", "bits_job_persistence_filter": "empty-filter"}
	for name, st := range wantStatus {
		if status[name] != st {
			t.Errorf("macro %s: status %q, want %q", name, status[name], st)
		}
	}
}

func TestBadInputBecomesProblems(t *testing.T) {
	rules := readRepo(t)
	tests := []struct {
		file, kind, contains string
		line                 int
	}{
		{"detections/bad/broken_yaml.yml", "load", "YAML does not load", 6},
		{"detections/bad/recursive_macro.yml", "recursive-macro", "loop_a", 5},
		{"detections/bad/undefined_macro.yml", "undefined-macro", "no_such_macro", 5},
		{"detections/bad/unparsable.yml", "parse", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := rules[tt.file]
			if r == nil {
				t.Fatalf("%s was dropped; every file must give a rule", tt.file)
			}
			var found *rule.Problem
			for i := range r.Problems {
				if r.Problems[i].Kind == tt.kind && strings.Contains(r.Problems[i].Message, tt.contains) {
					found = &r.Problems[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("no %s problem mentioning %q: %+v", tt.kind, tt.contains, r.Problems)
			}
			if tt.line != 0 && found.Line != tt.line {
				t.Errorf("line %d, want %d", found.Line, tt.line)
			}
			if found.Line == 0 {
				t.Errorf("problem has no line: %+v", found)
			}
		})
	}
	if r := rules["detections/bad/broken_yaml.yml"]; r.ID != "broken_yaml" || r.Name != "broken_yaml" {
		t.Errorf("placeholder rule should be named after the file: %+v", r)
	}
	// The undefined-macro rule's `broken` macro is undefined because its file does not load.
	res, _ := Reader{}.Read(filepath.Join("testdata", "repo"))
	var macroProblem bool
	for _, p := range res.Problems {
		if p.File == "macros/broken.yml" && p.Line > 0 {
			macroProblem = true
		}
	}
	if !macroProblem {
		t.Errorf("macros/broken.yml should be a file problem with a line: %+v", res.Problems)
	}
}

func TestDeprecated(t *testing.T) {
	r := readRepo(t)["detections/deprecated/old_rule.yml"]
	if r == nil || !r.Deprecated {
		t.Fatalf("rules under detections/deprecated load and are marked: %+v", r)
	}
}

func TestSingleFileFindsItsRepository(t *testing.T) {
	res, err := Reader{}.Read(filepath.Join("testdata", "repo", "detections", "newer", "bits_job_persistence.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rules) != 1 {
		t.Fatalf("got %d rules", len(res.Rules))
	}
	r := res.Rules[0]
	if r.Path != "detections/newer/bits_job_persistence.yml" || len(r.Problems) != 0 {
		t.Errorf("path %q problems %+v", r.Path, r.Problems)
	}
}

// TestCorpus reads the whole ESCU corpus: every detection file loads (the
// corpus has multi-line single-quoted strings that weaker YAML parsers
// reject), fewer than 0.5% of queries have a parse problem, and no macro is
// undefined but *_filter ones.
func TestCorpus(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "splunk")
	files, err := filepath.Glob(filepath.Join(root, "detections", "*", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Reader{}.Read(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rules) != len(files) {
		t.Errorf("%d rules from %d detection files", len(res.Rules), len(files))
	}
	parse, load := 0, 0
	for _, r := range res.Rules {
		for _, p := range r.Problems {
			switch p.Kind {
			case "load":
				load++
				t.Errorf("%s:%d does not load: %s", r.Path, p.Line, p.Message)
			case "parse":
				parse++
				t.Logf("%s:%d: %s", r.Path, p.Line, p.Message)
			case "undefined-macro", "recursive-macro":
				t.Errorf("%s:%d: %s", r.Path, p.Line, p.Message)
			}
		}
	}
	if max := len(res.Rules) / 200; parse > max {
		t.Errorf("%d rules with parse problems, more than 0.5%% (%d)", parse, max)
	}
	for _, p := range res.Problems {
		t.Errorf("file problem %s:%d: %s", p.File, p.Line, p.Message)
	}
	t.Logf("%d rules, %d parse problems, %d load problems; %s", len(res.Rules), parse, load, strings.Join(res.Notes, "; "))
}

func keys(m map[string]*rule.Rule) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
