package events

import (
	"reflect"
	"strings"
	"testing"
)

func TestForLogsource(t *testing.T) {
	tests := []struct {
		product, category, service string
		want                       string
	}{
		{"windows", "process_creation", "", "Sysmon 1, Security-Auditing 4688"},
		{"Windows", "Process_Creation", "", "Sysmon 1, Security-Auditing 4688"},
		{"windows", "process_creation", "sysmon", "Sysmon 1"},
		{"windows", "network_connection", "", "Sysmon 3"},
		{"windows", "registry_event", "", "Sysmon 12, Sysmon 13, Sysmon 14"},
		{"windows", "registry_add", "", "Sysmon 12"},
		{"windows", "registry_delete", "", "Sysmon 12"},
		{"windows", "registry_set", "", "Sysmon 13"},
		{"windows", "registry_rename", "", "Sysmon 14"},
		{"windows", "file_event", "", "Sysmon 11"},
		{"windows", "file_delete", "", "Sysmon 23, Sysmon 26"},
		{"windows", "file_change", "", "Sysmon 2"},
		{"windows", "image_load", "", "Sysmon 7"},
		{"windows", "driver_load", "", "Sysmon 6"},
		{"windows", "pipe_created", "", "Sysmon 17, Sysmon 18"},
		{"windows", "dns_query", "", "Sysmon 22"},
		{"windows", "create_remote_thread", "", "Sysmon 8"},
		{"windows", "process_access", "", "Sysmon 10"},
		{"windows", "raw_access_thread", "", "Sysmon 9"},
		{"windows", "wmi_event", "", "Sysmon 19, Sysmon 20, Sysmon 21"},
		{"windows", "create_stream_hash", "", "Sysmon 15"},
		{"windows", "sysmon_status", "", "Sysmon 4, Sysmon 16"},
		{"windows", "sysmon_error", "", "Sysmon 255"},
		{"windows", "process_tampering", "", "Sysmon 25"},
		{"windows", "file_block_executable", "", "Sysmon 27"},
		{"windows", "file_block_shredding", "", "Sysmon 28"},
		{"windows", "file_executable_detected", "", "Sysmon 29"},
		{"windows", "clipboard_capture", "", "Sysmon 24"},
		{"windows", "ps_script", "", "PowerShell 4104, PowerShellCore 4104"},
		{"windows", "ps_module", "", "PowerShell 4103, PowerShellCore 4103"},
		{"windows", "ps_classic_start", "", "Windows PowerShell 400"},
		{"windows", "ps_classic_provider_start", "", "Windows PowerShell 600"},
		{"windows", "ps_classic_script", "", "Windows PowerShell 800"},
		// ETW only, no event log events.
		{"windows", "file_access", "", ""},
		// A service names a channel, not events.
		{"windows", "", "security", ""},
		{"windows", "unknown_category", "", ""},
		// Not Windows.
		{"linux", "process_creation", "", ""},
		{"macos", "file_event", "", ""},
		{"", "process_creation", "", ""},
		{"aws", "", "cloudtrail", ""},
	}
	for _, tt := range tests {
		if got := events(ForLogsource(tt.product, tt.category, tt.service)); got != tt.want {
			t.Errorf("ForLogsource(%q, %q, %q) = %q, want %q", tt.product, tt.category, tt.service, got, tt.want)
		}
	}
}

func TestForSigmaRule(t *testing.T) {
	tests := []struct {
		category, service string
		fields            map[string][]string
		want              string
	}{
		{"", "security", map[string][]string{"EventID": {"4624", "4625"}}, "Security-Auditing 4624, Security-Auditing 4625"},
		{"", "security", map[string][]string{"EventID": {"1102"}, "Provider_Name": {"Microsoft-Windows-Eventlog"}}, "Eventlog 1102"},
		{"", "security", map[string][]string{"EventID": {"517", "1102"}, "Provider_Name": {"Microsoft-Windows-Eventlog", "Security"}}, "Security 517, Eventlog 1102"},
		{"", "system", map[string][]string{"EventID": {"7045"}, "Provider_Name": {"Service Control Manager"}}, "Service Control Manager 7045"},
		{"", "system", map[string][]string{"EventID": {"7045"}}, "Service Control Manager 7045"},
		{"", "system", map[string][]string{"EventID": {"104"}, "Provider_Name": {"Microsoft-Windows-Eventlog"}}, "Eventlog 104"},
		// Not in the catalog: the provider the rule names, untitled.
		{"", "system", map[string][]string{"EventID": {"16"}, "Provider_Name": {"Microsoft-Windows-Kernel-General"}}, "Microsoft-Windows-Kernel-General 16?"},
		{"", "system", map[string][]string{"EventID": {"42"}, "Provider_Name": {"Kerberos-Key-Distribution-Center", "Microsoft-Windows-Kerberos-Key-Distribution-Center"}}, "Kerberos-Key-Distribution-Center 42"},
		{"", "system", map[string][]string{"EventID": {"43"}, "Provider_Name": {"Kerberos-Key-Distribution-Center", "Microsoft-Windows-Kerberos-Key-Distribution-Center"}}, "Kerberos-Key-Distribution-Center 43?"},
		{"", "application", map[string][]string{"EventID": {"18456"}, "Provider_Name": {"MSSQL"}}, "MSSQLSERVER 18456"},
		{"", "sysmon", map[string][]string{"EventID": {"8", "10"}}, "Sysmon 8, Sysmon 10"},
		{"", "windefend", map[string][]string{"EventID": {"1116", "1117"}}, "Windows Defender 1116, Windows Defender 1117"},
		{"", "applocker", map[string][]string{"EventID": {"8004", "8007"}}, "AppLocker 8004, AppLocker 8007"},
		{"", "taskscheduler", map[string][]string{"EventID": {"106"}}, "TaskScheduler 106"},
		{"", "wmi", map[string][]string{"EventID": {"5861"}}, "WMI-Activity 5861"},
		{"", "codeintegrity-operational", map[string][]string{"EventID": {"3033"}}, "CodeIntegrity 3033"},
		{"", "codeintegrity-operational", map[string][]string{"EventID": {"3090"}}, "CodeIntegrity 3090?"},
		// The provider writes 316 to its Admin channel.
		{"", "printservice-operational", map[string][]string{"EventID": {"316"}}, "PrintService 316"},
		{"", "security", map[string][]string{"EventID": {"not-a-number"}}, ""},
		{"", "security", nil, ""},
		{"", "no-such-service", map[string][]string{"EventID": {"1"}}, ""},
		// Categories: the rule's ids narrow the category's events.
		{"registry_event", "", map[string][]string{"EventID": {"13"}}, "Sysmon 13"},
		{"wmi_event", "", map[string][]string{"EventID": {"19"}}, "Sysmon 19"},
		{"registry_event", "", map[string][]string{"EventID": {"4657"}}, "Sysmon 12, Sysmon 13, Sysmon 14"},
	}
	for _, tt := range tests {
		if got := events(ForSigmaRule("windows", tt.category, tt.service, tt.fields)); got != tt.want {
			t.Errorf("ForSigmaRule(windows, %q, %q, %v) = %q, want %q", tt.category, tt.service, tt.fields, got, tt.want)
		}
	}
}

func TestForSigmaRuleUntitledEventNamesItsChannel(t *testing.T) {
	evs := ForSigmaRule("windows", "", "codeintegrity-operational", map[string][]string{"EventID": {"3090"}})
	if len(evs) != 1 || evs[0].Channel != "Microsoft-Windows-CodeIntegrity/Operational" || evs[0].Provider != "Microsoft-Windows-CodeIntegrity" {
		t.Errorf("got %+v", evs)
	}
	// AppLocker spans four channels: an unknown id keeps the provider only.
	evs = ForSigmaRule("windows", "", "applocker", map[string][]string{"EventID": {"8040"}})
	if len(evs) != 1 || evs[0].Provider != "Microsoft-Windows-AppLocker" || evs[0].Channel != "" {
		t.Errorf("got %+v", evs)
	}
}

func TestLogsourceConditions(t *testing.T) {
	got := LogsourceConditions("windows", "process_creation", "")
	want := []Condition{
		{Channel: "Microsoft-Windows-Sysmon/Operational", Provider: "Microsoft-Windows-Sysmon", EventIDs: []int{1}},
		{Channel: "Security", Provider: "Microsoft-Windows-Security-Auditing", EventIDs: []int{4688}, FieldMap: security4688Fields},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("process_creation conditions = %+v\nwant %+v", got, want)
	}
	if f := got[1].EventField("ParentImage"); f != "ParentProcessName" {
		t.Errorf("4688 ParentImage = %q", f)
	}
	if f := got[1].EventField("ParentProcessId"); f != "ProcessId" {
		t.Errorf("4688 ParentProcessId = %q", f)
	}
	if f := got[0].EventField("ParentImage"); f != "ParentImage" {
		t.Errorf("Sysmon ParentImage = %q", f)
	}
	if c, ok := MatchCondition(got, "Security", "Microsoft-Windows-Security-Auditing", 4688); !ok || c.EventField("Image") != "NewProcessName" {
		t.Errorf("MatchCondition(4688) = %+v, %v", c, ok)
	}
	if _, ok := MatchCondition(got, "Security", "Microsoft-Windows-Security-Auditing", 4624); ok {
		t.Error("MatchCondition(4624) matched process_creation")
	}
	// The returned map is the caller's own.
	got[1].FieldMap["Image"] = "changed"
	if security4688Fields["Image"] != "NewProcessName" {
		t.Error("LogsourceConditions must not expose its tables")
	}

	tests := []struct {
		category, service string
		channel, provider string
		id                int
		want              bool
	}{
		{"process_creation", "", "Microsoft-Windows-Sysmon/Operational", "Microsoft-Windows-Sysmon", 1, true},
		{"process_creation", "", "microsoft-windows-sysmon/operational", "Microsoft-Windows-Sysmon", 1, true},
		{"process_creation", "", "Security", "Microsoft-Windows-Security-Auditing", 4688, true},
		{"process_creation", "", "Microsoft-Windows-Sysmon/Operational", "Microsoft-Windows-Sysmon", 3, false},
		{"process_creation", "", "Security", "Microsoft-Windows-Security-Auditing", 4624, false},
		{"registry_set", "", "Microsoft-Windows-Sysmon/Operational", "Microsoft-Windows-Sysmon", 13, true},
		{"ps_script", "", "PowerShellCore/Operational", "PowerShellCore", 4104, true},
		{"", "security", "Security", "Microsoft-Windows-Security-Auditing", 4701, true},
		{"", "security", "Security", "Microsoft-Windows-Eventlog", 1102, true},
		{"", "security", "System", "Service Control Manager", 7045, false},
		{"", "applocker", "Microsoft-Windows-AppLocker/MSI and Script", "Microsoft-Windows-AppLocker", 8007, true},
		{"file_access", "", "", "Microsoft-Windows-Kernel-File", 12, true},
	}
	for _, tt := range tests {
		conds := LogsourceConditions("windows", tt.category, tt.service)
		got := false
		for _, c := range conds {
			got = got || c.Matches(tt.channel, tt.provider, tt.id)
		}
		if got != tt.want {
			t.Errorf("%s/%s matches (%s, %s, %d) = %v, want %v", tt.category, tt.service, tt.channel, tt.provider, tt.id, got, tt.want)
		}
	}
	if c := LogsourceConditions("windows", "", ""); len(c) != 1 || !c[0].Matches("Anything", "Any", 7) {
		t.Errorf("product windows alone = %+v, want one condition every event meets", c)
	}
	for _, none := range [][3]string{{"linux", "process_creation", ""}, {"windows", "nope", ""}, {"windows", "", "nope"}, {"", "", ""}} {
		if c := LogsourceConditions(none[0], none[1], none[2]); c != nil {
			t.Errorf("LogsourceConditions%v = %+v, want nil", none, c)
		}
	}
}

// Every category in the table gives conditions, and every one but the
// ETW-only ones gives catalog events.
func TestEveryCategoryMaps(t *testing.T) {
	for _, c := range WindowsCategories() {
		if len(LogsourceConditions("windows", c, "")) == 0 {
			t.Errorf("%s: no conditions", c)
		}
		evs := ForLogsource("windows", c, "")
		if c == "file_access" || c == "file_rename" {
			continue
		}
		if len(evs) == 0 {
			t.Errorf("%s: no events", c)
		}
		for _, e := range evs {
			if !e.Known() {
				t.Errorf("%s: %v is not in the catalog", c, e)
			}
		}
	}
}

// Every service a channel row names gives a condition on that channel.
func TestEveryServiceMaps(t *testing.T) {
	for _, ch := range channels {
		for _, s := range ch.Sigma {
			found := false
			for _, c := range LogsourceConditions("windows", "", s) {
				found = found || c.Channel == ch.Channel
			}
			if !found {
				t.Errorf("service %s: no condition on %s", s, ch.Channel)
			}
		}
	}
}

func FuzzForSigmaRule(f *testing.F) {
	f.Add("windows", "process_creation", "", "4688", "")
	f.Add("windows", "", "security", "4624", "Microsoft-Windows-Security-Auditing")
	f.Add("windows", "", "applocker", "8040", "")
	f.Add("windows", "", "system", "16", "Kernel*")
	f.Fuzz(func(t *testing.T, product, category, service, id, provider string) {
		fv := map[string][]string{"EventID": {id}, "Provider_Name": {provider}}
		for _, e := range ForSigmaRule(product, category, service, fv) {
			if e.Provider == "" && e.Short == "" {
				t.Fatalf("event without provider: %+v", e)
			}
		}
		conds := LogsourceConditions(product, category, service)
		for _, c := range conds {
			if c.Channel == "" && c.Provider == "" && (len(conds) > 1 || strings.TrimSpace(category) != "" || strings.TrimSpace(service) != "") {
				t.Fatalf("condition without channel or provider: %+v", c)
			}
		}
	})
}
