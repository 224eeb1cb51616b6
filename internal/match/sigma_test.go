package match

import (
	"strings"
	"testing"
)

// TestSigmaSemantics checks one detection against events, case by case,
// per the Sigma specification (rules and modifiers appendix).
func TestSigmaSemantics(t *testing.T) {
	tests := []struct {
		name      string
		logsource string // YAML of the logsource map body; default process_creation
		detection string // YAML of the detection section body
		event     string
		want      bool
	}{
		{"eq is case-insensitive", "", "sel:\n    CommandLine: 'WHOAMI /ALL'", sysmon1(`"CommandLine":"whoami /all"`), true},
		{"eq is whole value", "", "sel:\n    CommandLine: 'whoami'", sysmon1(`"CommandLine":"whoami /all"`), false},
		{"cased", "", "sel:\n    CommandLine|cased: 'WHOAMI'", sysmon1(`"CommandLine":"whoami"`), false},
		{"cased same case", "", "sel:\n    CommandLine|cased: 'WhoAmI'", sysmon1(`"CommandLine":"WhoAmI"`), true},
		{"endswith", "", "sel:\n    Image|endswith: '\\cmd.exe'", sysmon1(`"Image":"C:\\Windows\\System32\\CMD.EXE"`), true},
		{"wildcard ?", "", "sel:\n    Image: 'C:\\Windows\\c?d.exe'", sysmon1(`"Image":"C:\\Windows\\cmd.exe"`), true},
		{"wildcard middle", "", "sel:\n    CommandLine: 'net * user *'", sysmon1(`"CommandLine":"net.exe  user admin /add"`), false},
		{"wildcard middle hit", "", "sel:\n    CommandLine: 'net* user *'", sysmon1(`"CommandLine":"net.exe  user admin /add"`), true},
		{"escaped star is literal", "", "sel:\n    CommandLine: 'a\\*b'", sysmon1(`"CommandLine":"axxb"`), false},
		{"escaped star matches star", "", "sel:\n    CommandLine: 'a\\*b'", sysmon1(`"CommandLine":"a*b"`), true},
		{"contains all", "", "sel:\n    CommandLine|contains|all:\n        - ' -nop '\n        - ' -w hidden '", sysmon1(`"CommandLine":"powershell -nop -c x"`), false},
		{"contains all hit", "", "sel:\n    CommandLine|contains|all:\n        - ' -nop '\n        - ' -w hidden '", sysmon1(`"CommandLine":"powershell -w hidden -nop -c x"`), true},
		{"list is or", "", "sel:\n    Image|endswith:\n        - '\\a.exe'\n        - '\\b.exe'", sysmon1(`"Image":"C:\\b.exe"`), true},
		{"windash slash", "", "sel:\n    CommandLine|windash|contains: ' -enc '", sysmon1(`"CommandLine":"powershell /enc AAAA"`), true},
		{"windash em dash", "", "sel:\n    CommandLine|windash|contains: ' -enc '", sysmon1(`"CommandLine":"powershell \u2014enc AAAA"`), true},
		{"base64offset", "", "sel:\n    CommandLine|base64offset|contains: 'http://'", sysmon1(`"CommandLine":"powershell -e ` + b64("IEX (New-Object Net.WebClient).DownloadString('http://x')") + `"`), true},
		{"wide base64offset", "", "sel:\n    CommandLine|wide|base64offset|contains: 'Invoke-'", sysmon1(`"CommandLine":"powershell -e ` + b64(utf16le("xInvoke-Expression")) + `"`), true},
		{"regex is case-sensitive", "", "sel:\n    CommandLine|re: 'Who[a-z]+'", sysmon1(`"CommandLine":"whoami"`), false},
		{"regex i flag", "", "sel:\n    CommandLine|re|i: 'Who[a-z]+'", sysmon1(`"CommandLine":"whoami"`), true},
		{"regex unanchored", "", "sel:\n    CommandLine|re: 'am.'", sysmon1(`"CommandLine":"whoami"`), true},
		{"cidr v4", "category: network_connection", "sel:\n    DestinationIp|cidr: '10.0.0.0/8'", sysmon3(`"DestinationIp":"10.20.30.40"`), true},
		{"cidr v4 outside", "category: network_connection", "sel:\n    DestinationIp|cidr: '10.0.0.0/8'", sysmon3(`"DestinationIp":"11.0.0.1"`), false},
		{"cidr v4-mapped", "category: network_connection", "sel:\n    DestinationIp|cidr: '10.0.0.0/8'", sysmon3(`"DestinationIp":"::ffff:10.0.0.1"`), true},
		{"cidr v6", "category: network_connection", "sel:\n    DestinationIp|cidr: 'fe80::/10'", sysmon3(`"DestinationIp":"fe80::1c2:3"`), true},
		{"cidr v6 outside", "category: network_connection", "sel:\n    DestinationIp|cidr: 'fe80::/10'", sysmon3(`"DestinationIp":"2001:db8::1"`), false},
		{"gt number", "category: network_connection", "sel:\n    DestinationPort|gt: 1000", sysmon3(`"DestinationPort":8080`), true},
		{"gt string number", "category: network_connection", "sel:\n    DestinationPort|gt: 1000", sysmon3(`"DestinationPort":"443"`), false},
		{"lte", "category: network_connection", "sel:\n    DestinationPort|lte: 443", sysmon3(`"DestinationPort":443`), true},
		{"number eq", "category: network_connection", "sel:\n    DestinationPort: 445", sysmon3(`"DestinationPort":445`), true},
		{"exists true", "", "sel:\n    ParentUser|exists: true", sysmon1(`"ParentUser":"x"`), true},
		{"exists true absent", "", "sel:\n    ParentUser|exists: true", sysmon1(``), false},
		{"exists counts null", "", "sel:\n    ParentUser|exists: true", sysmon1(`"ParentUser":null`), true},
		{"exists false", "", "sel:\n    ParentUser|exists: false", sysmon1(``), true},
		{"null absent", "", "sel:\n    ParentUser: null", sysmon1(``), true},
		{"null value", "", "sel:\n    ParentUser: null", sysmon1(`"ParentUser":null`), true},
		{"null has value", "", "sel:\n    ParentUser: null", sysmon1(`"ParentUser":"x"`), false},
		{"empty value", "", "sel:\n    ParentUser: ''", sysmon1(`"ParentUser":""`), true},
		{"empty value absent", "", "sel:\n    ParentUser: ''", sysmon1(``), false},
		{"fieldref", "", "sel:\n    Image|fieldref: ParentImage", sysmon1(`"Image":"C:\\a.exe","ParentImage":"c:\\A.EXE"`), true},
		{"fieldref differs", "", "sel:\n    Image|fieldref: ParentImage", sysmon1(`"Image":"C:\\a.exe","ParentImage":"C:\\b.exe"`), false},
		{"neq", "", "sel:\n    User|neq: 'NT AUTHORITY\\SYSTEM'", sysmon1(`"User":"CORP\\bob"`), true},
		{"neq equal", "", "sel:\n    User|neq: 'NT AUTHORITY\\SYSTEM'", sysmon1(`"User":"nt authority\\system"`), false},
		{"keywords", "", "keywords:\n    - 'mimikatz'\n    - 'sekurlsa'", sysmon1(`"CommandLine":"Invoke-Mimikatz -x"`), true},
		{"keywords miss", "", "keywords:\n    - 'mimikatz'", sysmon1(`"CommandLine":"whoami"`), false},
		{"keywords numbers", "", "keywords:\n    - '4242'", sysmon1(`"ProcessId":4242`), true},
		{"hour", "", "sel:\n    UtcTime|hour: 3", sysmon1(`"UtcTime":"2025-01-02 03:04:05.000"`), true},
		{"hour other", "", "sel:\n    UtcTime|hour: 4", sysmon1(`"UtcTime":"2025-01-02 03:04:05.000"`), false},
		{"not filter", "", "sel:\n    Image|endswith: '\\cmd.exe'\nfilter:\n    ParentImage|endswith: '\\explorer.exe'", sysmon1(`"Image":"C:\\cmd.exe","ParentImage":"C:\\Windows\\explorer.exe"`), false},
		{"array values", "", "sel:\n    CommandLine|contains: 'evil'", sysmon1(`"CommandLine":["good","evil twin"]`), true},
		// Logsource.
		{"process_creation ignores network events", "", "sel:\n    Image|endswith: '\\cmd.exe'", sysmon3(`"Image":"C:\\cmd.exe"`), false},
		{"process_creation reads 4688 with renamed fields", "", "sel:\n    Image|endswith: '\\cmd.exe'\n    ParentImage|endswith: '\\explorer.exe'",
			`{"Channel":"Security","Provider_Name":"Microsoft-Windows-Security-Auditing","EventID":4688,"NewProcessName":"C:\\Windows\\cmd.exe","ParentProcessName":"C:\\Windows\\explorer.exe"}`, true},
		{"4688 of another provider", "", "sel:\n    Image|endswith: '\\cmd.exe'",
			`{"Channel":"Security","Provider_Name":"Other","EventID":4688,"NewProcessName":"C:\\Windows\\cmd.exe"}`, false},
		{"service security", "service: security", "sel:\n    EventID: 4624\n    LogonType: 10", `{"Channel":"Security","EventID":4624,"LogonType":10}`, true},
		{"service security other channel", "service: security", "sel:\n    EventID: 4624", `{"Channel":"System","EventID":4624}`, false},
		{"product only", "", "sel:\n    EventID: 7045", `{"Channel":"System","EventID":7045}`, false},
		{"linux rule on non-Windows event", "product: linux\n    service: auditd", "sel:\n    type: EXECVE\n    a0: curl", `{"type":"EXECVE","a0":"curl"}`, true},
		{"linux rule on Windows event", "product: linux\n    service: auditd", "sel:\n    type: EXECVE", `{"Channel":"Security","EventID":1,"type":"EXECVE"}`, false},
		{"flat sysmon without channel", "", "sel:\n    Image|endswith: '\\cmd.exe'", `{"EventID":1,"Image":"C:\\cmd.exe"}`, true},
		{"event 104 UserData channel", "service: system", "sel:\n    EventID: 104\nfilter:\n    Channel: 'System'",
			`{"Event":{"System":{"EventID":104,"Channel":"System"},"UserData":{"LogFileCleared":{"Channel":"Application"}}}}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ls := tc.logsource
			if ls == "" {
				ls = "category: process_creation"
			}
			if !strings.Contains(ls, "product:") {
				ls = "product: windows\n    " + ls
			}
			cond := "sel"
			switch {
			case strings.HasPrefix(tc.detection, "keywords"):
				cond = "keywords"
			case strings.Contains(tc.detection, "\nfilter:"):
				cond = "sel and not filter"
			}
			if strings.HasPrefix(tc.name, "event 104") {
				cond = "sel and not filter"
			}
			if tc.name == "product only" {
				ls = "product: windows\n    category: process_creation"
			}
			src := "title: t\nid: r1\nlogsource:\n    " + ls + "\ndetection:\n    " + strings.ReplaceAll(tc.detection, "\n", "\n    ") + "\n    condition: " + cond + "\n"
			e := New(sigmaRules(t, src))
			if len(e.Skipped()) > 0 {
				t.Fatalf("skipped: %s", e.Skipped()[0].Reason)
			}
			hits, sum := run(t, e, tc.event)
			if sum.Bad > 0 {
				t.Fatalf("the event does not decode: %s", tc.event)
			}
			if got := len(hits) > 0; got != tc.want {
				t.Errorf("match = %v, want %v\nrule:\n%s\nevent: %s", got, tc.want, src, tc.event)
			}
		})
	}
}

func sysmon3(fields string) string {
	return `{"Channel":"Microsoft-Windows-Sysmon/Operational","Provider_Name":"Microsoft-Windows-Sysmon","EventID":3,` + fields + `}`
}
