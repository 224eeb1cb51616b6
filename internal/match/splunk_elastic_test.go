package match

import (
	"strings"
	"testing"

	"ruledex/internal/lang/eql"
	"ruledex/internal/lang/kql"
	"ruledex/internal/lang/spl"
	"ruledex/internal/rule"
)

func splRule(t *testing.T, query string) *rule.Rule {
	t.Helper()
	res := spl.Parse(query, nil)
	for _, p := range res.Problems {
		if p.Kind == "parse" {
			t.Fatalf("%s: %s", query, p.Message)
		}
	}
	return &rule.Rule{ID: "s", Source: "splunk", Language: "spl", Stages: res.Stages}
}

const (
	bitsSysmon = `{"Channel":"Microsoft-Windows-Sysmon/Operational","Provider_Name":"Microsoft-Windows-Sysmon","EventID":1,` +
		`"Image":"C:\\Windows\\System32\\bitsadmin.exe","OriginalFileName":"bitsadmin.exe","CommandLine":"bitsadmin /create job1",` +
		`"ParentImage":"C:\\Windows\\System32\\cmd.exe","User":"CORP\\alice","Computer":"ws1"}`
	bits4688 = `{"Channel":"Security","Provider_Name":"Microsoft-Windows-Security-Auditing","EventID":4688,` +
		`"NewProcessName":"C:\\Windows\\System32\\bitsadmin.exe","CommandLine":"bitsadmin /create job1","Computer":"ws1"}`
	netSysmon = `{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":3,"Image":"C:\\x\\bitsadmin.exe","DestinationPort":443}`
)

func TestSplunk(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		event  string
		want   bool
		reason string // not evaluable when set (a part of the reason)
	}{
		{"tstats process_name from Image", `| tstats count from datamodel=Endpoint.Processes where Processes.process_name=bitsadmin.exe Processes.process=*create* by Processes.dest | rename Processes.* AS *`, bitsSysmon, true, ""},
		{"tstats on 4688", `| tstats count from datamodel=Endpoint.Processes where Processes.process_name=bitsadmin.exe by Processes.dest`, bits4688, true, ""},
		{"tstats ignores network events", `| tstats count from datamodel=Endpoint.Processes where Processes.process_name=bitsadmin.exe by Processes.dest`, netSysmon, false, ""},
		{"filter after rename", `| tstats count from datamodel=Endpoint.Processes by Processes.dest Processes.process_name | rename Processes.* AS * | search process_name=bitsadmin.exe`, bitsSysmon, true, ""},
		{"filter after explicit rename", `| tstats count from datamodel=Endpoint.Processes by Processes.dest Processes.parent_process_name | rename Processes.parent_process_name as parent | where parent="cmd.exe"`, bitsSysmon, true, ""},
		{"stats threshold", `| tstats count from datamodel=Endpoint.Processes by Processes.dest | stats count by dest | where count > 5`, bitsSysmon, false, "stats computes"},
		{"stats by field filter", `| tstats count from datamodel=Endpoint.Processes by Processes.dest | stats count by dest | search dest=ws1`, bitsSysmon, true, ""},
		{"eval then where", `| tstats count from datamodel=Endpoint.Processes by Processes.process | eval l=len(process) | where l > 10`, bitsSysmon, false, "eval computes"},
		{"lookup output filtered", `| tstats count from datamodel=Endpoint.Processes by Processes.process_name | lookup lolbas file_name as process_name OUTPUT is_lolbas | where is_lolbas="true"`, bitsSysmon, false, "lookup outputs"},
		{"unmapped data model", `| tstats count from datamodel=Web where Web.url=*evil* by Web.src`, bitsSysmon, false, "CIM data model"},
		{"join", `search sourcetype=x | join type=inner dest [search sourcetype=y]`, bitsSysmon, false, "combines several searches"},
		{"raw search with source and EventCode", `search source=XmlWinEventLog:Microsoft-Windows-Sysmon/Operational EventCode=1 Image=*\\bitsadmin.exe`, bitsSysmon, true, ""},
		{"raw search other channel", `search source=XmlWinEventLog:Security EventCode=1`, bitsSysmon, false, ""},
		{"raw search reads CIM aliases", `search sourcetype=XmlWinEventLog EventCode=1 process_name=bitsadmin.exe`, bitsSysmon, true, ""},
		{"!= needs the field", `search EventCode=1 Missing!=x`, bitsSysmon, false, ""},
		{"NOT does not", `search EventCode=1 NOT Missing=x`, bitsSysmon, true, ""},
		{"isnull", `search EventCode=1 | where isnull(Missing)`, bitsSysmon, true, ""},
		{"raw search on an unmapped event", `search source=XmlWinEventLog:System EventCode=7045 ServiceName=evil`, `{"Channel":"System","EventID":7045,"ServiceName":"Evil"}`, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New([]*rule.Rule{splRule(t, tc.query)})
			if tc.reason != "" {
				if len(e.Skipped()) != 1 || !strings.Contains(e.Skipped()[0].Reason, tc.reason) {
					t.Fatalf("want not evaluable (%s), got %+v", tc.reason, e.Skipped())
				}
				return
			}
			if len(e.Skipped()) > 0 {
				t.Fatalf("not evaluable: %s", e.Skipped()[0].Reason)
			}
			hits, _ := run(t, e, tc.event)
			if got := len(hits) > 0; got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestElastic(t *testing.T) {
	eqlRule := func(q string) *rule.Rule {
		st, err := eql.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		return &rule.Rule{ID: "e", Source: "elastic", Language: "eql", Stages: st, Elastic: &rule.ElasticMeta{RuleType: "eql"}}
	}
	kqlRule := func(q string) *rule.Rule {
		e, err := kql.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		return &rule.Rule{ID: "e", Source: "elastic", Language: "kql", Elastic: &rule.ElasticMeta{RuleType: "query"},
			Stages: []rule.Stage{{Command: "query", Role: rule.RoleFilter, Expr: e}}}
	}
	tests := []struct {
		name   string
		r      *rule.Rule
		event  string
		want   bool
		reason string
	}{
		{"eql process", eqlRule(`process where host.os.type == "windows" and event.type == "start" and process.name : "bitsadmin.exe" and process.args : "/create"`), bitsSysmon, true, ""},
		{"eql category mismatch", eqlRule(`network where process.name : "bitsadmin.exe"`), bitsSysmon, false, ""},
		{"eql network", eqlRule(`network where process.name : "bitsadmin.exe" and destination.port == 443`), netSysmon, true, ""},
		{"eql == is cased", eqlRule(`process where process.name == "BITSADMIN.EXE"`), bitsSysmon, false, ""},
		{"eql on 4688", eqlRule(`process where process.name : "bitsadmin.exe" and process.command_line : "*create*"`), bits4688, true, ""},
		{"eql pe original name", eqlRule(`process where process.pe.original_file_name == "bitsadmin.exe" and user.name == "alice"`), bitsSysmon, true, ""},
		{"eql regex matches the whole value", eqlRule(`process where process.name regex~ """[a-z0-9]\.exe"""`), bitsSysmon, false, ""},
		{"eql regex whole value", eqlRule(`process where process.name regex~ """bits[a-z]+\.exe"""`), bitsSysmon, true, ""},
		{"eql sequence", eqlRule(`sequence by host.id [process where true] [network where true]`), bitsSysmon, false, "sequence"},
		{"kql", kqlRule(`event.category:process and process.name:bitsadmin.exe and process.parent.name:cmd.exe`), bitsSysmon, true, ""},
		{"kql on ECS JSON", kqlRule(`event.category:process and process.name:curl`), `{"event":{"category":"process"},"process":{"name":"curl"}}`, true, ""},
		{"kql winlog event_data", kqlRule(`winlog.event_data.ServiceName:evil and event.code:7045`), `{"Channel":"System","EventID":7045,"ServiceName":"evil"}`, true, ""},
		{"threshold", &rule.Rule{ID: "e", Source: "elastic", Language: "kql", Elastic: &rule.ElasticMeta{RuleType: "threshold"}}, bitsSysmon, false, "threshold"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New([]*rule.Rule{tc.r})
			if tc.reason != "" {
				if len(e.Skipped()) != 1 || !strings.Contains(e.Skipped()[0].Reason, tc.reason) {
					t.Fatalf("want not evaluable (%s), got %+v", tc.reason, e.Skipped())
				}
				return
			}
			if len(e.Skipped()) > 0 {
				t.Fatalf("not evaluable: %s", e.Skipped()[0].Reason)
			}
			hits, _ := run(t, e, tc.event)
			if got := len(hits) > 0; got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}
