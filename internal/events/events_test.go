package events

import (
	"strings"
	"testing"

	"ruledex/internal/rule"
)

func TestCatalogIsConsistent(t *testing.T) {
	seen := map[key]bool{}
	for _, e := range All() {
		if e.Title == "" || e.Provider == "" || e.Short == "" || e.Channel == "" {
			t.Errorf("%v: every catalog event needs provider, short name, channel and title: %+v", e, e)
		}
		if seen[e.key()] {
			t.Errorf("%v on %s is listed twice", e, e.Channel)
		}
		seen[e.key()] = true
		if _, ok := channelByName(e.Channel); !ok {
			t.Errorf("%v: channel %q is not in the channel table (channels.go)", e, e.Channel)
		}
		if strings.TrimSpace(e.Title) != e.Title || strings.Contains(e.Title, "  ") {
			t.Errorf("%v: title %q has stray spaces", e, e.Title)
		}
	}
	if len(seen) < 250 {
		t.Errorf("catalog has %d events, expected the full Sysmon and Security sets at least", len(seen))
	}
}

func TestSysmonIsComplete(t *testing.T) {
	for id := 1; id <= 29; id++ {
		if _, ok := Lookup("Sysmon", id); !ok {
			t.Errorf("Sysmon %d missing", id)
		}
	}
	if _, ok := Lookup("Sysmon", 255); !ok {
		t.Error("Sysmon 255 missing")
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name  string
		id    int
		short string
		title string
	}{
		{"Sysmon", 1, "Sysmon", "Process creation"},
		{"microsoft-windows-sysmon", 3, "Sysmon", "Network connection"},
		{"Microsoft-Windows-Sysmon/Operational", 22, "Sysmon", "DNSEvent (DNS query)"},
		{"Security", 4688, "Security-Auditing", "A new process has been created."},
		{"Security-Auditing", 4624, "Security-Auditing", "An account was successfully logged on."},
		{"XmlWinEventLog:Security", 4625, "Security-Auditing", "An account failed to log on."},
		{"Security", 1102, "Eventlog", "The audit log was cleared."},
		{"System", 7045, "Service Control Manager", "A service was installed in the system."},
		{"Service Control Manager", 7036, "Service Control Manager", "The %1 service entered the %2 state."},
		{"System", 104, "Eventlog", "The %1 log file was cleared."},
		{"PowerShell", 4104, "PowerShell", "Creating Scriptblock text (%1 of %2)"},
		{"Windows PowerShell", 400, "Windows PowerShell", "Engine state is changed from %1 to %2."},
		{"WinEventLog:Microsoft-Windows-Windows Defender/Operational", 1116, "Windows Defender", "The antimalware platform detected malware or other potentially unwanted software."},
		{"TaskScheduler", 106, "TaskScheduler", `User "%2" registered Task Scheduler task "%1"`},
	}
	for _, tt := range tests {
		e, ok := Lookup(tt.name, tt.id)
		if !ok {
			t.Errorf("Lookup(%q, %d): not found", tt.name, tt.id)
			continue
		}
		if e.Short != tt.short || e.Title != tt.title {
			t.Errorf("Lookup(%q, %d) = %s %q, want %s %q", tt.name, tt.id, e.Short, e.Title, tt.short, tt.title)
		}
	}
	for _, miss := range []struct {
		name string
		id   int
	}{{"Sysmon", 4688}, {"Security", 1}, {"", 1}, {"nonsense", 4688}} {
		if e, ok := Lookup(miss.name, miss.id); ok {
			t.Errorf("Lookup(%q, %d) = %v, want not found", miss.name, miss.id, e)
		}
	}
}

func TestRef(t *testing.T) {
	e, _ := Lookup("Security", 4688)
	got := e.Ref("Windows Event Log Security 4688")
	want := rule.EventRef{Provider: "Security-Auditing", EventID: "4688", Title: "A new process has been created.", Channel: "Security", Via: "Windows Event Log Security 4688"}
	if got != want {
		t.Errorf("Ref = %+v, want %+v", got, want)
	}
}

func TestAllReturnsACopy(t *testing.T) {
	a := All()
	a[0].Title = "changed"
	if All()[0].Title == "changed" {
		t.Error("All must not expose the catalog")
	}
}

// events renders events compactly for comparisons: "Sysmon 1".
func events(evs []Event) string {
	var parts []string
	for _, e := range evs {
		s := e.String()
		if !e.Known() {
			s += "?"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
