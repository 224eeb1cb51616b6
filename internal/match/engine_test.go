package match

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"ruledex/internal/match/events"
	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
	"ruledex/internal/source"
	"ruledex/internal/source/elastic"
	"ruledex/internal/source/escu"
	"ruledex/internal/source/sigma"
)

const cmdRule = "title: cmd\nid: cmd\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    sel:\n        Image|endswith: '\\cmd.exe'\n    condition: sel\n"

// TestBadRecords checks that invalid records are counted, reported with
// file and line, and do not stop the run, serially and in parallel.
func TestBadRecords(t *testing.T) {
	in := sysmon1(`"Image":"C:\\cmd.exe"`) + "\n{\"EventID\": }\nnot json\n" + sysmon1(`"Image":"C:\\cmd.exe"`) + "\n"
	for _, workers := range []int{1, 2} {
		e := New(sigmaRules(t, cmdRule))
		var bad []string
		var hits []Hit
		sum, err := e.Run(context.Background(), []Input{{Name: "f.jsonl", R: strings.NewReader(in)}},
			RunOptions{Workers: workers, Bad: func(re *events.RecordError) { bad = append(bad, re.File+":"+itoa(re.Line)) }},
			func(h Hit) error { hits = append(hits, h); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if sum.Events != 2 || sum.Bad != 2 || strings.Join(bad, " ") != "f.jsonl:2 f.jsonl:3" {
			t.Errorf("workers %d: events %d, bad %d %v", workers, sum.Events, sum.Bad, bad)
		}
		if hitIDs(hits) != "cmd@1 cmd@4" {
			t.Errorf("workers %d: hits %s", workers, hitIDs(hits))
		}
	}
}

// TestParallelOrder checks that a parallel run reports hits in event order.
func TestParallelOrder(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 3*batchSize+7; i++ {
		b.WriteString(sysmon1(`"Image":"C:\\cmd.exe"`) + "\n")
	}
	e := New(sigmaRules(t, cmdRule))
	last := 0
	sum, err := e.Run(context.Background(), []Input{{Name: "f", R: strings.NewReader(b.String())}}, RunOptions{Workers: 3}, func(h Hit) error {
		if h.Event != last+1 {
			return errors.New("out of order at " + itoa(h.Event))
		}
		last = h.Event
		return nil
	})
	if err != nil || sum.Hits != 3*batchSize+7 {
		t.Fatalf("err %v, hits %d", err, sum.Hits)
	}
}

// TestEmitError stops the run at the first error of the caller.
func TestEmitError(t *testing.T) {
	e := New(sigmaRules(t, cmdRule))
	stop := errors.New("stop")
	for _, w := range []int{1, 2} {
		_, err := e.Run(context.Background(), []Input{{Name: "f", R: strings.NewReader(strings.Repeat(sysmon1(`"Image":"C:\\cmd.exe"`)+"\n", 1000))}},
			RunOptions{Workers: w}, func(Hit) error { return stop })
		if !errors.Is(err, stop) {
			t.Errorf("workers %d: err %v", w, err)
		}
	}
}

// TestNotEvaluable lists rules the matcher refuses, with reasons.
func TestNotEvaluable(t *testing.T) {
	tests := []struct {
		name, detection, reason string
	}{
		{"expand", "sel:\n        User|expand: '%admins%'\n    condition: sel", "placeholders"},
		{"lookahead", "sel:\n        CommandLine|re: 'a(?!b)'\n    condition: sel", "lookahead"},
		{"backreference", "sel:\n        CommandLine|re: '(a)\\1'\n    condition: sel", "backreference"},
		{"aggregation", "sel:\n        EventID: 1\n    condition: sel | count() by Image > 5", "deprecated aggregation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "title: t\nid: x\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    " + tc.detection + "\n"
			e := New(sigmaRules(t, src))
			if len(e.Skipped()) != 1 || !strings.Contains(e.Skipped()[0].Reason, tc.reason) {
				t.Fatalf("skipped %+v, want a reason with %q", e.Skipped(), tc.reason)
			}
		})
	}
}

// TestBitsadminAcrossCorpora loads the three shared rulesets and checks
// that a Sysmon process creation of bitsadmin adding an http download to a
// job fires the ESCU "BITS Job Persistence" and the Sigma "File Download
// Via Bitsadmin" rules.
func TestBitsadminAcrossCorpora(t *testing.T) {
	var rules []*rule.Rule
	for _, s := range []struct {
		kind string
		rd   source.Reader
	}{{"splunk", escu.Reader{}}, {"sigma", sigma.Reader{}}, {"elastic", elastic.Reader{}}} {
		res, err := s.rd.Read(sharedtest.Path(t, "corpus", s.kind))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rules {
			r.Source = s.kind
		}
		rules = append(rules, res.Rules...)
	}
	e := New(rules)
	f, err := os.Open("testdata/bitsadmin_sysmon1.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fired := map[string][]int{}
	if _, err := e.Run(context.Background(), []Input{{Name: "bits", R: f}}, RunOptions{Workers: 2}, func(h Hit) error {
		fired[h.Rule.Source+": "+h.Rule.Name] = append(fired[h.Rule.Source+": "+h.Rule.Name], h.Event)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"splunk: BITS Job Persistence", "sigma: File Download Via Bitsadmin"} {
		if !containsInt(fired[want], 2) {
			t.Errorf("%s did not fire on event 2 (fired: %v)", want, fired)
		}
	}
	t.Logf("%d rules evaluable, %d not; hits: %v", e.Rules(), len(e.Skipped()), fired)
}

func containsInt(s []int, n int) bool {
	for _, x := range s {
		if x == n {
			return true
		}
	}
	return false
}

// TestCorpusEvaluability compiles the three shared rulesets and logs, per
// source, how many rules are evaluable and why the others are not. Every
// rule is either evaluable or skipped with a reason.
func TestCorpusEvaluability(t *testing.T) {
	for _, s := range []struct {
		kind string
		rd   source.Reader
	}{{"splunk", escu.Reader{}}, {"sigma", sigma.Reader{}}, {"elastic", elastic.Reader{}}} {
		res, err := s.rd.Read(sharedtest.Path(t, "corpus", s.kind))
		if err != nil {
			t.Fatal(err)
		}
		e := New(res.Rules)
		if e.Rules()+len(e.Skipped()) != len(res.Rules) {
			t.Errorf("%s: %d rules, %d evaluable + %d skipped", s.kind, len(res.Rules), e.Rules(), len(e.Skipped()))
		}
		var top []string
		for i, r := range e.SkipReasons() {
			if i == 8 {
				break
			}
			top = append(top, itoa(r.Count)+" "+r.Reason)
		}
		t.Logf("%s: %d rules, %d evaluable, %d not:\n    %s", s.kind, len(res.Rules), e.Rules(), len(e.Skipped()), strings.Join(top, "\n    "))
	}
}

// TestBadInputs checks the counts and reports of bad records and of
// binary inputs across several inputs, serially and in parallel, in input
// order.
func TestBadInputs(t *testing.T) {
	good := sysmon1(`"Image":"C:\\cmd.exe"`)
	type file struct{ name, text string }
	tests := []struct {
		name       string
		inputs     []file
		events     int
		reports    string
		hits       string
		bad, files int
	}{
		{"array with a number", []file{{"a.json", "[" + good + ", 5, " + good + "]"}},
			2, "a.json:1", "cmd@1 cmd@3", 1, 0},
		{"evtx between JSON files", []file{{"a.jsonl", good + "\n{x\n"}, {"s.evtx", "ElfFile\x00\x01\x02"}, {"b.jsonl", good}},
			2, "a.jsonl:2 s.evtx b", "cmd@1 cmd@1", 1, 1},
		{"only evtx", []file{{"s.evtx", "ElfFile\x00"}}, 0, "s.evtx b", "", 0, 1},
	}
	for _, tc := range tests {
		for _, workers := range []int{1, 3} {
			t.Run(tc.name+"/"+itoa(workers), func(t *testing.T) {
				var inputs []Input
				for _, f := range tc.inputs {
					inputs = append(inputs, Input{Name: f.name, R: strings.NewReader(f.text)})
				}
				e := New(sigmaRules(t, cmdRule))
				var reports []string
				var hits []Hit
				sum, err := e.Run(context.Background(), inputs, RunOptions{Workers: workers,
					Bad:     func(re *events.RecordError) { reports = append(reports, re.File+":"+itoa(re.Line)) },
					BadFile: func(fe *events.FileError) { reports = append(reports, fe.File+" b") }},
					func(h Hit) error { hits = append(hits, h); return nil })
				if err != nil {
					t.Fatal(err)
				}
				if sum.Events != tc.events || sum.Bad != tc.bad || sum.BadFiles != tc.files ||
					strings.Join(reports, " ") != tc.reports || hitIDs(hits) != tc.hits {
					t.Errorf("events %d bad %d files %d reports %q hits %q", sum.Events, sum.Bad, sum.BadFiles, reports, hitIDs(hits))
				}
			})
		}
	}
}
