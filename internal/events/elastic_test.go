package events

import (
	"strings"
	"testing"
)

func TestForElastic(t *testing.T) {
	type fv = map[string][]string
	tests := []struct {
		name         string
		indexes      []string
		integrations []string
		fields       fv
		events       string
		descs        string
	}{
		{"defend process",
			[]string{"logs-endpoint.events.process-*"}, []string{"endpoint"}, fv{"event.category": {"process"}},
			"", "Elastic Defend process events"},
		{"defend family narrowed by category",
			[]string{"logs-endpoint.events.*"}, []string{"endpoint"}, fv{"event.category": {"registry"}},
			"", "Elastic Defend registry events"},
		{"defend family without category",
			[]string{"logs-endpoint.events.*"}, nil, nil,
			"", "Elastic Defend events"},
		{"sysmon by code",
			[]string{"winlogbeat-*", "logs-windows.sysmon_operational-*"}, []string{"windows"}, fv{"event.code": {"10"}},
			"Sysmon 10", ""},
		{"sysmon code preferred over another provider's",
			[]string{"winlogbeat-*", "logs-windows.sysmon_operational-*"}, nil, fv{"event.code": {"21"}},
			"Sysmon 21", ""},
		{"security 4688",
			[]string{"logs-system.security*"}, []string{"system"}, fv{"event.code": {"4688"}},
			"Security-Auditing 4688", ""},
		{"several codes",
			[]string{"winlogbeat-*", "logs-system.security*", "logs-windows.forwarded*"}, nil, fv{"event.code": {"4624", "4625", "5145"}},
			"Security-Auditing 4624, Security-Auditing 4625, Security-Auditing 5145", ""},
		{"code on an index that cannot hold it",
			[]string{"logs-system.security*"}, nil, fv{"event.code": {"1"}},
			"", "Windows Security event log"},
		{"service install on both logs",
			[]string{"logs-system.*", "winlogbeat-*"}, nil, fv{"event.code": {"4697", "7045"}},
			"Security-Auditing 4697, Service Control Manager 7045", ""},
		{"powershell both datasets",
			[]string{"winlogbeat-*", "logs-windows.powershell*"}, []string{"windows"}, fv{"event.code": {"4104"}},
			"PowerShell 4104", ""},
		{"process where on windows logs",
			[]string{"winlogbeat-*", "logs-endpoint.events.process-*", "logs-windows.sysmon_operational-*", "endgame-*", "logs-system.security*", "logs-m365_defender.event-*", "logs-sentinel_one_cloud_funnel.*", "logs-crowdstrike.fdr*"},
			[]string{"endpoint", "windows", "system", "m365_defender", "sentinel_one_cloud_funnel", "crowdstrike"},
			fv{"event.category": {"process"}, "event.type": {"start"}},
			"Sysmon 1, Security-Auditing 4688",
			"Elastic Defend process events; Elastic Endgame events; Microsoft Defender XDR events; SentinelOne Cloud Funnel events; CrowdStrike Falcon Data Replicator events"},
		{"process end",
			[]string{"logs-windows.sysmon_operational-*"}, nil, fv{"event.category": {"process"}, "event.type": {"end"}},
			"Sysmon 5", ""},
		{"library load",
			[]string{"winlogbeat-*"}, nil, fv{"event.category": {"library", "process"}},
			"Sysmon 7, Sysmon 1, Security-Auditing 4688", ""},
		{"file deletion",
			[]string{"logs-windows.sysmon_operational-*"}, nil, fv{"event.category": {"file"}, "event.type": {"deletion"}},
			"Sysmon 23, Sysmon 26", ""},
		{"event.action",
			[]string{"logs-system.security*"}, nil, fv{"event.action": {"logged-in"}},
			"Security-Auditing 4624", ""},
		{"sysmon event.action prefix",
			[]string{"winlogbeat-*"}, nil, fv{"event.action": {"Image loaded*"}},
			"Sysmon 7", ""},
		{"dataset narrows winlogbeat",
			[]string{"winlogbeat-*"}, nil, fv{"event.dataset": {"windows.sysmon_operational"}, "event.category": {"process"}},
			"Sysmon 1", ""},
		{"channel narrows",
			[]string{"winlogbeat-*"}, nil, fv{"winlog.channel": {"Security"}, "event.category": {"process"}},
			"Security-Auditing 4688", ""},
		{"provider filters",
			[]string{"winlogbeat-*"}, nil, fv{"event.code": {"1102"}, "event.provider": {"Microsoft-Windows-Eventlog"}},
			"Eventlog 1102", ""},
		{"provider from another branch does not drop the code",
			[]string{"winlogbeat-*", "logs-windows.sysmon_operational-*", "logs-endpoint.events.api-*"}, nil,
			fv{"event.code": {"21"}, "event.provider": {"Microsoft-Windows-WMI-Activity"}, "data_stream.dataset": {"windows.sysmon_operational", "endpoint.events.api"}},
			"Sysmon 21", "Elastic Defend API call events"},
		{"powershell script blocks are process events of their own index",
			[]string{"logs-windows.powershell*"}, nil, fv{"event.category": {"process"}},
			"PowerShell 4104", ""},
		{"but not of every winlogbeat process rule",
			[]string{"winlogbeat-*"}, nil, fv{"event.category": {"process"}},
			"Sysmon 1, Security-Auditing 4688", ""},
		{"authentication on the Security log",
			[]string{"logs-system.security*", "winlogbeat-*"}, nil, fv{"event.category": {"authentication"}},
			"Security-Auditing 4624, Security-Auditing 4625", ""},
		{"enumeration action",
			[]string{"logs-system.security*"}, nil, fv{"event.action": {"user-member-enumerated"}},
			"Security-Auditing 4798", ""},
		{"logs-* needs a code",
			[]string{"logs-*"}, nil, fv{"event.category": {"process"}},
			"", ""},
		{"logs-* with a code",
			[]string{"logs-*"}, nil, fv{"event.code": {"4769"}},
			"Security-Auditing 4769", ""},
		{"windows logs, nothing to go on",
			[]string{"winlogbeat-*", "logs-windows.*"}, []string{"windows"}, nil,
			"", "Windows event logs (Winlogbeat); Windows event logs (Windows integration)"},
		{"aws",
			[]string{"filebeat-*", "logs-aws.cloudtrail-*"}, []string{"aws"}, fv{"event.dataset": {"aws.cloudtrail"}},
			"", "Filebeat logs; AWS CloudTrail logs"},
		{"azure family members",
			[]string{"logs-azure.signinlogs-*", "logs-azure.activitylogs-*"}, []string{"azure"}, nil,
			"", "Microsoft Entra ID sign-in logs; Azure Activity logs"},
		{"families",
			[]string{"logs-okta*", "logs-gcp*", "logs-network_traffic.http*", "logs-google_workspace.login*", "logs-m365_defender.event-*"}, nil, nil,
			"", "Okta system logs; Google Cloud logs; Network packet capture events; Google Workspace login logs; Microsoft Defender XDR events"},
		{"machine learning: integrations only",
			nil, []string{"pad", "endpoint", "windows"}, nil,
			"", "Privileged Access Detection machine learning results; Elastic Defend events; Windows event logs (Windows integration)"},
		{"unknown index and integration",
			[]string{"logs-nobody.knows-*", "metrics-*"}, []string{"nobody"}, nil,
			"", ""},
		{"linux auth",
			[]string{"logs-system.auth-*"}, []string{"system"}, nil,
			"", "Linux authentication logs"},
		{"alerts",
			[]string{".alerts-security.*", "logs-endpoint.alerts-*"}, nil, nil,
			"", "Elastic Security alerts; Elastic Defend alerts"},
	}
	for _, tt := range tests {
		evs, descs := ForElastic(tt.indexes, tt.integrations, tt.fields)
		if got := events(evs); got != tt.events {
			t.Errorf("%s: events = %q, want %q", tt.name, got, tt.events)
		}
		if got := strings.Join(descs, "; "); got != tt.descs {
			t.Errorf("%s: descriptions = %q, want %q", tt.name, got, tt.descs)
		}
	}
}

func TestIndexKey(t *testing.T) {
	tests := []struct {
		in   string
		key  string
		wild bool
	}{
		{"logs-endpoint.events.process-*", "endpoint.events.process", true},
		{"logs-windows.*", "windows", true},
		{"winlogbeat-*", "winlogbeat", true},
		{"logs-okta*", "okta", true},
		{"logs-*", "", true},
		{".alerts-security.*", ".alerts-security", true},
		{"ml_beaconing.all", "ml_beaconing.all", false},
		{"remote:logs-aws.cloudtrail-*", "aws.cloudtrail", true},
		{"apm-*-transaction*", "apm", true},
	}
	for _, tt := range tests {
		k, w := indexKey(tt.in)
		if k != tt.key || w != tt.wild {
			t.Errorf("indexKey(%q) = %q, %v; want %q, %v", tt.in, k, w, tt.key, tt.wild)
		}
	}
}

func FuzzForElastic(f *testing.F) {
	f.Add("winlogbeat-*", "windows", "4688", "process", "start", "logged-in")
	f.Add("logs-endpoint.events.*", "endpoint", "", "file", "deletion", "")
	f.Add("logs-*", "", "1", "", "", "Image loaded*")
	f.Fuzz(func(t *testing.T, index, integration, code, category, typ, action string) {
		fv := map[string][]string{"event.code": {code}, "event.category": {category}, "event.type": {typ}, "event.action": {action}}
		evs, descs := ForElastic([]string{index}, []string{integration}, fv)
		for _, e := range evs {
			if !e.Known() {
				t.Fatalf("ForElastic gave an event outside the catalog: %+v", e)
			}
		}
		for _, d := range descs {
			if d == "" {
				t.Fatal("empty description")
			}
		}
	})
}
