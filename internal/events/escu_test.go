package events

import "testing"

func TestForDataSource(t *testing.T) {
	tests := []struct {
		name string
		want string // events(...) rendering; "?" marks an event the catalog lacks
	}{
		{"Sysmon EventID 1", "Sysmon 1"},
		{"sysmon eventid 22", "Sysmon 22"},
		{"Sysmon EventID 1 AND Sysmon EventID 11", "Sysmon 1, Sysmon 11"},
		{"Sysmon EventID 13 and Sysmon EventID 1", "Sysmon 13, Sysmon 1"},
		{"Windows Event Log Security 4688", "Security-Auditing 4688"},
		{"Windows Event Log Security 1102", "Eventlog 1102"},
		{"Windows Security 5136", "Security-Auditing 5136"},
		{"Windows Event Log System 7045", "Service Control Manager 7045"},
		{"Windows Event Log System 104", "Eventlog 104"},
		// ESCU files these Security audit events under System.
		{"Windows Event Log System 4720", "Security-Auditing 4720"},
		{"Windows Event Log Application 3000", "ProcessExitMonitor 3000"},
		{"Windows Event Log Defender 1121", "Windows Defender 1121"},
		{"Windows Event Log Defender 1133", "Windows Defender 1133"},
		{"Windows Event Log Printservice 4909", "PrintService 4909?"},
		{"Windows Event Log TaskScheduler 200", "TaskScheduler 200"},
		{"Windows Event Log RemoteConnectionManager 1149", "TerminalServices-RemoteConnectionManager 1149"},
		{"Windows Event Log CAPI2 70", "CAPI2 70?"},
		{"Powershell Script Block Logging 4104", "PowerShell 4104"},
		{"NTLM Operational 8004,8005,8006", "NTLM 8004, NTLM 8005?, NTLM 8006?"},
		{"Windows IIS 29", "IIS-Configuration 29"},
		// A log the prefix table does not name, found by channel name.
		{"Windows Event Log Bits-Client 59", "Bits-Client 59"},
		// Not Windows event log events.
		{"Sysmon for Linux EventID 1", ""},
		{"CrowdStrike ProcessRollup2", ""},
		{"AWS CloudTrail CreateLoginProfile AND AWS CloudTrail ConsoleLogin", ""},
		{"Windows Active Directory Admon", ""},
		{"Windows Defender Alerts", ""},
		{"Windows IIS", ""},
		{"Powershell Installed IIS Modules", ""},
		{"Windows Event Log Security", ""},
		{"Windows Event Log Security 4688x", ""},
		{"Windows Event Log Security 99999999", ""},
		{"Sysmon EventIDs 1", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := events(ForDataSource(tt.name)); got != tt.want {
			t.Errorf("ForDataSource(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestForDataSourceUnknownKeepsChannel(t *testing.T) {
	evs := ForDataSource("Windows Event Log Defender 1130")
	if len(evs) != 1 {
		t.Fatalf("got %v", evs)
	}
	e := evs[0]
	if e.Provider != "Microsoft-Windows-Windows Defender" || e.Channel != "Microsoft-Windows-Windows Defender/Operational" || e.Title != "" {
		t.Errorf("an uncatalogued id keeps its log's provider and channel: %+v", e)
	}
}

func TestParseIDList(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		ok   bool
	}{
		{" 4688", []int{4688}, true},
		{" 8004,8005, 8006", []int{8004, 8005, 8006}, true},
		{" 200 201", []int{200, 201}, true},
		{"", nil, false},
		{" ,", nil, false},
		{" 1a", nil, false},
		{" -1", nil, false},
		{" 70000", nil, false},
	}
	for _, tt := range tests {
		got, ok := parseIDList(tt.in)
		if ok != tt.ok || len(got) != len(tt.want) {
			t.Errorf("parseIDList(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("parseIDList(%q) = %v, want %v", tt.in, got, tt.want)
			}
		}
	}
}

func FuzzForDataSource(f *testing.F) {
	for _, s := range []string{
		"Sysmon EventID 1", "Windows Event Log Security 4688", "NTLM Operational 8004,8005,8006",
		"Sysmon EventID 1 AND Sysmon EventID 11", "Windows Event Log Bits-Client 59", "Windows Event Log ",
		"windows event log system 4720", "AND AND", "Sysmon EventID ,,,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, e := range ForDataSource(name) {
			if e.Channel == "" || e.Provider == "" && e.Short == "" {
				t.Fatalf("ForDataSource(%q) gave an event without channel or provider: %+v", name, e)
			}
		}
	})
}

func BenchmarkForDataSource(b *testing.B) {
	names := []string{
		"Sysmon EventID 1", "Windows Event Log Security 4688", "Sysmon EventID 1 AND Sysmon EventID 11",
		"NTLM Operational 8004,8005,8006", "AWS CloudTrail ConsoleLogin", "Windows Event Log System 7045",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			ForDataSource(n)
		}
	}
}
