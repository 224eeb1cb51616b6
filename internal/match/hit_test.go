package match

import (
	"os"
	"strings"
	"testing"
	"time"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

// TestEvidence checks the values hits show: of a multi-valued field the
// value that matched, not the first.
func TestEvidence(t *testing.T) {
	sigmaProc := func(detection string) []*rule.Rule {
		src := "title: t\nid: r\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    " +
			strings.ReplaceAll(detection, "\n", "\n    ") + "\n    condition: sel\n"
		return sigmaRules(t, src)
	}
	tests := []struct {
		name  string
		rules []*rule.Rule
		event string
		field string
		want  string
	}{
		{"process.args: the matching argument",
			[]*rule.Rule{eqlTestRule(t, `process where process.name : "bitsadmin.exe" and process.args : ("*Transfer*", "*Create*")`)},
			sysmon1(`"Image":"C:\\Windows\\bitsadmin.exe","CommandLine":"bitsadmin /transfer n http://x/y c:\\y"`), "process.args", "/transfer"},
		{"process.args: a later pattern",
			[]*rule.Rule{eqlTestRule(t, `process where process.args : ("*Create*", "*Resume*")`)},
			sysmon1(`"CommandLine":"bitsadmin /list /resume job"`), "process.args", "/resume"},
		{"process.args: exact value",
			[]*rule.Rule{kqlTestRule(t, `process.args:"-enc"`)},
			sysmon1(`"CommandLine":"powershell -nop -enc AAAA"`), "process.args", "-enc"},
		{"array: the matching element", sigmaProc("sel:\n    CommandLine|contains: 'evil'"),
			sysmon1(`"CommandLine":["good","evil twin"]`), "CommandLine", "evil twin"},
		{"array: all tests on one element", sigmaProc("sel:\n    CommandLine|contains|all:\n        - 'a'\n        - 'b'"),
			sysmon1(`"CommandLine":["xa","yb","ab"]`), "CommandLine", "ab"},
		{"array: all tests across elements", sigmaProc("sel:\n    CommandLine|contains|all:\n        - 'a'\n        - 'b'"),
			sysmon1(`"CommandLine":["q","xa","yb"]`), "CommandLine", "xa"},
		{"array: endswith set", sigmaProc("sel:\n    Image|endswith:\n        - '\\a.exe'\n        - '\\b.exe'\n        - '\\c.exe'\n        - '\\d.exe'\n        - '\\e.exe'\n        - '\\f.exe'"),
			sysmon1(`"Image":["C:\\x.exe","C:\\e.exe"]`), "Image", `C:\e.exe`},
		{"array: a function of the value", sigmaProc("sel:\n    UtcTime|hour: 3"),
			sysmon1(`"UtcTime":["2025-01-02 05:00:00.000","2025-01-02 03:04:05.000"]`), "UtcTime", "2025-01-02 03:04:05.000"},
		{"single value unchanged", sigmaProc("sel:\n    Image|endswith: '\\cmd.exe'"),
			sysmon1(`"Image":"C:\\Windows\\cmd.exe"`), "Image", `C:\Windows\cmd.exe`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(tc.rules)
			if len(e.Skipped()) > 0 {
				t.Fatalf("skipped: %s", e.Skipped()[0].Reason)
			}
			hits, _ := run(t, e, tc.event)
			if len(hits) != 1 {
				t.Fatalf("%d hits", len(hits))
			}
			if got := fieldMap(hits[0].Fields)[tc.field]; got != tc.want {
				t.Errorf("%s = %q, want %q (fields %v)", tc.field, got, tc.want, hits[0].Fields)
			}
		})
	}
}

// TestEvidenceCorpus checks the report on the SigmaHQ regression event of
// proc_creation_win_bitsadmin_download: Elastic's Bitsadmin Activity shows
// the argument its patterns matched.
func TestEvidenceCorpus(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "sigma-regression")
	rules := loadCorpora(t)
	var events string
	for _, c := range regressionCases(t, root) {
		if strings.HasSuffix(c.dir, "/proc_creation_win_bitsadmin_download") {
			events = c.events
		}
	}
	if events == "" {
		t.Fatal("no regression case for proc_creation_win_bitsadmin_download")
	}
	data, err := os.ReadFile(events)
	if err != nil {
		t.Fatal(err)
	}
	hits, _ := run(t, New(rules), string(data))
	tests := []struct{ source, title, field, want string }{
		{"elastic", "Bitsadmin Activity", "process.args", "/transfer"},
		{"elastic", "Bitsadmin Activity", "process.name", "bitsadmin.exe"},
		{"sigma", "File Download Via Bitsadmin", "Image", `C:\Windows\System32\bitsadmin.exe`},
	}
	for _, tc := range tests {
		found := false
		for _, h := range hits {
			if h.Rule.Source == tc.source && h.Rule.Name == tc.title {
				found = true
				if got := fieldMap(h.Fields)[tc.field]; got != tc.want {
					t.Errorf("%s %s: %s = %q, want %q", tc.source, tc.title, tc.field, got, tc.want)
				}
			}
		}
		if !found {
			t.Errorf("no hit of %s %s", tc.source, tc.title)
		}
	}
}

// TestVia checks that hits name the event source alike in every
// language: a Windows event by its channel and id.
func TestVia(t *testing.T) {
	const sysmonVia = "Microsoft-Windows-Sysmon/Operational 1"
	sigmaLS := func(logsource, detection string) []*rule.Rule {
		return sigmaRules(t, "title: t\nid: r\nlogsource:\n    "+logsource+"\ndetection:\n    "+
			strings.ReplaceAll(detection, "\n", "\n    ")+"\n    condition: sel\n")
	}
	procSigma := sigmaLS("product: windows\n    category: process_creation", "sel:\n    Image|endswith: '\\bitsadmin.exe'")
	tests := []struct {
		name  string
		rules []*rule.Rule
		event string
		want  string
	}{
		{"sigma category", procSigma, bitsSysmon, sysmonVia},
		{"splunk data model", []*rule.Rule{splRule(t, `| tstats count from datamodel=Endpoint.Processes where Processes.process_name=bitsadmin.exe by Processes.dest`)}, bitsSysmon, sysmonVia},
		{"splunk raw search", []*rule.Rule{splRule(t, `search EventCode=1 Image=*\\bitsadmin.exe`)}, bitsSysmon, sysmonVia},
		{"elastic", []*rule.Rule{eqlTestRule(t, `process where process.name : "bitsadmin.exe"`)}, bitsSysmon, sysmonVia},
		{"flat Sysmon without channel", procSigma, `{"EventID":1,"Image":"C:\\x\\bitsadmin.exe"}`, sysmonVia},
		{"elastic flat Sysmon without channel", []*rule.Rule{eqlTestRule(t, `process where process.name : "bitsadmin.exe"`)}, `{"EventID":1,"Image":"C:\\x\\bitsadmin.exe"}`, sysmonVia},
		{"security 4688", procSigma, `{"Channel":"Security","Provider_Name":"Microsoft-Windows-Security-Auditing","EventID":4688,"NewProcessName":"C:\\x\\bitsadmin.exe"}`, "Security 4688"},
		{"elastic on 4688", []*rule.Rule{eqlTestRule(t, `process where process.name : "bitsadmin.exe"`)}, bits4688, "Security 4688"},
		{"sigma service", sigmaLS("product: windows\n    service: system", "sel:\n    EventID: 7045"), `{"Channel":"System","EventID":7045}`, "System 7045"},
		{"splunk on an unmapped Windows event", []*rule.Rule{splRule(t, `search EventCode=7045 ServiceName=evil`)}, `{"Channel":"System","EventID":7045,"ServiceName":"evil"}`, "System 7045"},
		{"sigma non-Windows", sigmaLS("product: zeek\n    service: rdp", "sel:\n    id.orig_h: '8.8.8.8'"), `{"id.orig_h":"8.8.8.8"}`, "logsource zeek/rdp"},
		{"elastic non-Windows", []*rule.Rule{kqlTestRule(t, `process.name:curl`)}, `{"process":{"name":"curl"}}`, "ecs"},
		{"splunk non-Windows", []*rule.Rule{splRule(t, `search process_name=curl`)}, `{"process_name":"curl"}`, "raw"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(tc.rules)
			if len(e.Skipped()) > 0 {
				t.Fatalf("skipped: %s", e.Skipped()[0].Reason)
			}
			hits, _ := run(t, e, tc.event)
			if len(hits) != 1 {
				t.Fatalf("%d hits", len(hits))
			}
			if hits[0].Via != tc.want {
				t.Errorf("via %q, want %q", hits[0].Via, tc.want)
			}
		})
	}
}

// TestHitString checks the text line of a hit.
func TestHitString(t *testing.T) {
	r := &rule.Rule{ID: "id1", Source: "sigma", Name: "Some Rule"}
	tests := []struct {
		name string
		hit  Hit
		want string
	}{
		{"fields", Hit{Rule: r, File: "f.json", Event: 2, Line: 67, Fields: []Field{{"Image", `C:\a.exe`}, {"CommandLine", "a b"}}},
			`f.json event 2 (line 67)  sigma  id1  Some Rule  Image=C:\a.exe  CommandLine="a b"`},
		{"quoted values keep their backslashes", Hit{Rule: r, File: "f.json", Event: 3, Line: 3, Fields: []Field{{"CommandLine", `"C:\Windows\cmd.exe" /c "x"`}, {"Note", "a\tb\n"}, {"Empty", ""}}},
			`f.json event 3 (line 3)  sigma  id1  Some Rule  CommandLine="""C:\Windows\cmd.exe"" /c ""x"""  Note="a\tb\n"  Empty=""`},
		{"stdin", Hit{Rule: r, File: "-", Event: 1, Line: 1}, "- event 1 (line 1)  sigma  id1  Some Rule"},
		{"correlation", Hit{Rule: r, File: "f.json", Event: 9, Line: 9, Correlation: "event_count", Count: 3, Group: []Field{{"User", "bob"}}, Time: time.Unix(0, 0)},
			"f.json event 9 (line 9)  sigma  id1  Some Rule  [event_count count=3]  User=bob"},
	}
	for _, tc := range tests {
		if got := tc.hit.String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
