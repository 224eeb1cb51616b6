package events

import (
	"strings"
)

// Elastic rules name their data by index pattern ("winlogbeat-*",
// "logs-endpoint.events.process-*") and integration ("endpoint", "aws").
// An index pattern is reduced to a key — "logs-" dropped, cut at the first
// "*", trailing "-" and "." trimmed: "logs-endpoint.events.process-*" is
// endpoint.events.process, "logs-windows.*" is windows — and looked up in
// elasticSources.

// elasticSource is one kind of data behind an index key: its
// plain-language description and, for Windows event logs, the channels it
// carries.
type elasticSource struct {
	key  string
	desc string
	// family: the row stands for every key under it (key + "." or "_…")
	// that has no row of its own, and for a wildcard that selects several
	// rows no event.category narrows down.
	family bool
	// category is the ECS event.category the source holds, for sources
	// split by category (Elastic Defend).
	category string
	// channels are the Windows channels the source carries; anyChannel
	// means every channel.
	channels []string
	// weak sources ("logs-*") may hold Windows events but say too little
	// to infer them from event.category alone; event.code still counts.
	weak bool
}

const anyChannel = "*"

var elasticSources = []elasticSource{
	// Windows event logs.
	{key: "winlogbeat", desc: "Windows event logs (Winlogbeat)", channels: []string{anyChannel}},
	{key: "windows", desc: "Windows event logs (Windows integration)", family: true, channels: []string{anyChannel}},
	{key: "windows.forwarded", desc: "Forwarded Windows event logs", channels: []string{anyChannel}},
	{key: "windows.sysmon_operational", desc: "Sysmon events (Windows integration)", channels: []string{sysmonChannel}},
	{key: "windows.powershell", desc: "Windows PowerShell events", channels: []string{psClassic}},
	{key: "windows.powershell_operational", desc: "PowerShell Operational events", channels: []string{psChannel}},
	{key: "system", desc: "Windows event logs (System integration)", family: true, channels: []string{"Security", "System", "Application"}},
	{key: "system.security", desc: "Windows Security event log", channels: []string{"Security"}},
	{key: "system.system", desc: "Windows System event log", channels: []string{"System"}},
	{key: "system.application", desc: "Windows Application event log", channels: []string{"Application"}},
	{key: "system.auth", desc: "Linux authentication logs"},
	{key: "system.syslog", desc: "Syslog messages"},
	{key: "", weak: true, channels: []string{anyChannel}}, // logs-*

	// Endpoint agents.
	{key: "endpoint", desc: "Elastic Defend events", family: true},
	{key: "endpoint.events", desc: "Elastic Defend events", family: true},
	{key: "endpoint.events.process", desc: "Elastic Defend process events", category: "process"},
	{key: "endpoint.events.file", desc: "Elastic Defend file events", category: "file"},
	{key: "endpoint.events.network", desc: "Elastic Defend network events", category: "network"},
	{key: "endpoint.events.registry", desc: "Elastic Defend registry events", category: "registry"},
	{key: "endpoint.events.library", desc: "Elastic Defend library load events", category: "library"},
	{key: "endpoint.events.api", desc: "Elastic Defend API call events", category: "api"},
	{key: "endpoint.events.device", desc: "Elastic Defend device events", category: "device"},
	{key: "endpoint.events.security", desc: "Elastic Defend security events", category: "authentication"},
	{key: "endpoint.alerts", desc: "Elastic Defend alerts"},
	{key: "endgame", desc: "Elastic Endgame events"},
	{key: "sentinel_one_cloud_funnel", desc: "SentinelOne Cloud Funnel events", family: true},
	{key: "sentinel_one", desc: "SentinelOne alerts and threats", family: true},
	{key: "crowdstrike", desc: "CrowdStrike Falcon events", family: true},
	{key: "crowdstrike.fdr", desc: "CrowdStrike Falcon Data Replicator events"},
	{key: "crowdstrike.alert", desc: "CrowdStrike Falcon alerts"},
	{key: "m365_defender", desc: "Microsoft Defender XDR events", family: true},
	{key: "m365_defender.alert", desc: "Microsoft Defender XDR alerts"},
	{key: "m365_defender.incident", desc: "Microsoft Defender XDR incidents"},
	{key: "jamf_protect", desc: "Jamf Protect events", family: true},
	{key: "cloud_defend", desc: "Defend for Containers events", family: true},
	{key: "cloud_defend.process", desc: "Defend for Containers process events", category: "process"},
	{key: "cloud_defend.file", desc: "Defend for Containers file events", category: "file"},
	{key: "cloud_defend.alerts", desc: "Defend for Containers alerts"},
	{key: "auditd_manager", desc: "Linux auditd events (Auditd Manager)", family: true},
	{key: "fim", desc: "File Integrity Monitoring events", family: true},

	// Beats.
	{key: "filebeat", desc: "Filebeat logs"},
	{key: "auditbeat", desc: "Auditbeat events"},
	{key: "packetbeat", desc: "Packetbeat network events"},

	// Cloud and identity.
	{key: "aws", desc: "AWS logs", family: true},
	{key: "aws.cloudtrail", desc: "AWS CloudTrail logs"},
	{key: "azure", desc: "Azure logs", family: true},
	{key: "azure.activitylogs", desc: "Azure Activity logs"},
	{key: "azure.signinlogs", desc: "Microsoft Entra ID sign-in logs"},
	{key: "azure.auditlogs", desc: "Microsoft Entra ID audit logs"},
	{key: "azure.platformlogs", desc: "Azure platform logs"},
	{key: "azure.graphactivitylogs", desc: "Microsoft Graph activity logs"},
	{key: "azure.aadgraphactivitylogs", desc: "Azure AD Graph activity logs"},
	{key: "azure.identity_protection", desc: "Microsoft Entra ID Protection logs"},
	{key: "azure.application_gateway", desc: "Azure Application Gateway logs"},
	{key: "gcp", desc: "Google Cloud logs", family: true},
	{key: "gcp.audit", desc: "Google Cloud audit logs"},
	{key: "gcp.loadbalancing_logs", desc: "Google Cloud load balancing logs"},
	{key: "o365", desc: "Microsoft 365 audit logs", family: true},
	{key: "okta", desc: "Okta system logs", family: true},
	{key: "github", desc: "GitHub audit logs", family: true},
	{key: "google_workspace", desc: "Google Workspace logs", family: true},
	{key: "google_workspace.admin", desc: "Google Workspace admin logs"},
	{key: "google_workspace.login", desc: "Google Workspace login logs"},
	{key: "google_workspace.drive", desc: "Google Workspace Drive logs"},
	{key: "google_workspace.token", desc: "Google Workspace token logs"},
	{key: "google_workspace.device", desc: "Google Workspace device logs"},
	{key: "google_workspace.alert", desc: "Google Workspace alerts"},
	{key: "google_workspace.user_accounts", desc: "Google Workspace user account logs"},
	{key: "kubernetes", desc: "Kubernetes logs", family: true},
	{key: "kubernetes.audit_logs", desc: "Kubernetes audit logs"},
	{key: "entityanalytics_entra_id", desc: "Microsoft Entra ID entity analytics", family: true},
	{key: "cyberarkpas", desc: "CyberArk Privileged Access Security audit logs", family: true},

	// Network and web.
	{key: "network_traffic", desc: "Network packet capture events", family: true},
	{key: "zeek", desc: "Zeek network logs", family: true},
	{key: "corelight", desc: "Corelight network logs", family: true},
	{key: "suricata", desc: "Suricata IDS events", family: true},
	{key: "panw", desc: "Palo Alto Networks PAN-OS logs", family: true},
	{key: "fortinet_fortigate", desc: "Fortinet FortiGate logs", family: true},
	{key: "pfsense", desc: "pfSense firewall logs", family: true},
	{key: "sonicwall_firewall", desc: "SonicWall firewall logs", family: true},
	{key: "cisco_ftd", desc: "Cisco Firepower Threat Defense logs", family: true},
	{key: "nginx", desc: "Nginx logs", family: true},
	{key: "nginx.access", desc: "Nginx access logs"},
	{key: "apache", desc: "Apache HTTP Server logs", family: true},
	{key: "apache.access", desc: "Apache HTTP Server access logs"},
	{key: "apache_tomcat", desc: "Apache Tomcat logs", family: true},
	{key: "apache_tomcat.access", desc: "Apache Tomcat access logs"},
	{key: "iis", desc: "IIS logs", family: true},
	{key: "iis.access", desc: "IIS access logs"},
	{key: "traefik", desc: "Traefik logs", family: true},
	{key: "traefik.access", desc: "Traefik access logs"},

	// Alerts of other products and Elastic's own results.
	{key: ".alerts-security", desc: "Elastic Security alerts"},
	{key: "elastic_security", desc: "Elastic Security alerts", family: true},
	{key: "microsoft_sentinel", desc: "Microsoft Sentinel alerts", family: true},
	{key: "google_secops", desc: "Google SecOps alerts", family: true},
	{key: "ibm_qradar", desc: "IBM QRadar offenses", family: true},
	{key: "splunk", desc: "Splunk alerts", family: true},
	{key: "apm", desc: "Elastic APM traces", family: true},
	{key: "traces-apm", desc: "Elastic APM traces"},
	{key: "ml_beaconing.all", desc: "Network beaconing ML results"},
}

// elasticIntegrations describes the data of an integration named in a
// rule's metadata when none of the rule's index patterns did (machine
// learning rules have no index at all). Windows and System are left to the
// events the rule's index and event.code give.
var elasticIntegrations = map[string]string{
	"endpoint":                  "Elastic Defend events",
	"windows":                   "Windows event logs (Windows integration)",
	"system":                    "System integration logs",
	"sentinel_one_cloud_funnel": "SentinelOne Cloud Funnel events",
	"sentinel_one":              "SentinelOne alerts and threats",
	"crowdstrike":               "CrowdStrike Falcon events",
	"m365_defender":             "Microsoft Defender XDR events",
	"aws":                       "AWS logs",
	"aws_bedrock":               "Amazon Bedrock logs",
	"aws_bedrock_agentcore":     "Amazon Bedrock AgentCore logs",
	"auditd_manager":            "Linux auditd events (Auditd Manager)",
	"azure":                     "Azure logs",
	"azure_openai":              "Azure OpenAI logs",
	"gcp":                       "Google Cloud logs",
	"network_traffic":           "Network packet capture events",
	"cloud_defend":              "Defend for Containers events",
	"o365":                      "Microsoft 365 audit logs",
	"okta":                      "Okta system logs",
	"kubernetes":                "Kubernetes logs",
	"github":                    "GitHub audit logs",
	"google_workspace":          "Google Workspace logs",
	"pad":                       "Privileged Access Detection machine learning results",
	"lmd":                       "Lateral Movement Detection machine learning results",
	"ded":                       "Data Exfiltration Detection machine learning results",
	"dga":                       "Domain Generation Algorithm Detection machine learning results",
	"problemchild":              "ProblemChild machine learning results",
	"beaconing":                 "Network Beaconing Identification machine learning results",
	"panw":                      "Palo Alto Networks PAN-OS logs",
	"fortinet_fortigate":        "Fortinet FortiGate logs",
	"zeek":                      "Zeek network logs",
	"corelight":                 "Corelight network logs",
	"suricata":                  "Suricata IDS events",
	"pfsense":                   "pfSense firewall logs",
	"sonicwall_firewall":        "SonicWall firewall logs",
	"cisco_ftd":                 "Cisco Firepower Threat Defense logs",
	"nginx":                     "Nginx logs",
	"apache":                    "Apache HTTP Server logs",
	"apache_tomcat":             "Apache Tomcat logs",
	"iis":                       "IIS logs",
	"traefik":                   "Traefik logs",
	"apm":                       "Elastic APM traces",
	"sysmon_linux":              "Sysmon for Linux events",
	"cyberarkpas":               "CyberArk Privileged Access Security audit logs",
	"entityanalytics_entra_id":  "Microsoft Entra ID entity analytics",
	"jamf_protect":              "Jamf Protect events",
	"checkpoint_email":          "Check Point Harmony Email & Collaboration events",
	"wiz":                       "Wiz findings",
	"fim":                       "File Integrity Monitoring events",
	"microsoft_exchange_online_message_trace": "Exchange Online message trace logs",
	"microsoft_sentinel":                      "Microsoft Sentinel alerts",
	"google_secops":                           "Google SecOps alerts",
	"ibm_qradar":                              "IBM QRadar offenses",
	"elastic_security":                        "Elastic Security alerts",
	"splunk":                                  "Splunk alerts",
	"ti_rapid7_threat_command":                "Rapid7 Threat Command indicators",
}

// elasticAction maps an event.action value the Elastic Windows modules set
// to the events it stands for. Sysmon actions are Sysmon's task names, which
// Elastic copies with the rule name appended ("Image loaded (rule:
// ImageLoad)"), so they match as prefixes.
type elasticAction struct {
	action  string // lower case
	prefix  bool
	channel string
	ids     []int
}

var elasticActions = []elasticAction{
	{"logged-in", false, "Security", []int{4624}},
	{"logon-failed", false, "Security", []int{4625}},
	{"logged-out", false, "Security", []int{4634}},
	{"logged-in-explicit", false, "Security", []int{4648}},
	{"logged-in-special", false, "Security", []int{4672}},
	{"created-process", false, "Security", []int{4688}},
	{"exited-process", false, "Security", []int{4689}},
	{"service-installed", false, "Security", []int{4697}},
	{"service-installed", false, "System", []int{7045}},
	{"scheduled-task-created", false, "Security", []int{4698}},
	{"scheduled-task-deleted", false, "Security", []int{4699}},
	{"scheduled-task-enabled", false, "Security", []int{4700}},
	{"scheduled-task-disabled", false, "Security", []int{4701}},
	{"scheduled-task-updated", false, "Security", []int{4702}},
	{"token right adjusted events", false, "Security", []int{4703}},
	{"added-user-account", false, "Security", []int{4720}},
	{"reset-password", false, "Security", []int{4724}},
	{"deleted-user-account", false, "Security", []int{4726}},
	{"added-member-to-group", false, "Security", []int{4728, 4732, 4756}},
	{"modified-user-account", false, "Security", []int{4738}},
	{"changed-computer-account", false, "Security", []int{4742}},
	{"renamed-user-account", false, "Security", []int{4781}},
	{"user-member-enumerated", false, "Security", []int{4798}},
	{"group-membership-enumerated", false, "Security", []int{4799}},
	{"network-share-object-access-checked", false, "Security", []int{5145}},
	{"audit-log-cleared", false, "Security", []int{1102}},
	{"process create", true, sysmonChannel, []int{1}},
	{"file creation time changed", true, sysmonChannel, []int{2}},
	{"network connection detected", true, sysmonChannel, []int{3}},
	{"process terminated", true, sysmonChannel, []int{5}},
	{"driver loaded", true, sysmonChannel, []int{6}},
	{"image loaded", true, sysmonChannel, []int{7}},
	{"createremotethread detected", true, sysmonChannel, []int{8}},
	{"rawaccessread detected", true, sysmonChannel, []int{9}},
	{"process accessed", true, sysmonChannel, []int{10}},
	{"file created", true, sysmonChannel, []int{11}},
	{"registry object added or deleted", true, sysmonChannel, []int{12}},
	{"registry value set", true, sysmonChannel, []int{13}},
	{"registry object renamed", true, sysmonChannel, []int{14}},
	{"file stream created", true, sysmonChannel, []int{15}},
	{"pipe created", true, sysmonChannel, []int{17}},
	{"pipe connected", true, sysmonChannel, []int{18}},
	{"dns query", true, sysmonChannel, []int{22}},
	{"file delete", true, sysmonChannel, []int{23, 26}},
}

// elasticCategories infers Windows events from the ECS event.category (and
// event.type) a query tests, for rules on Windows event log indexes that do
// not name an event.code: an EQL "process where event.type == "start"" on
// winlogbeat-* reads Sysmon 1 and Security 4688.
var elasticCategories = []struct {
	category string
	types    []string // event.type values that select this row; nil: any
	channel  string
	ids      []int
	// specific rows apply only when an index names the channel itself
	// (PowerShell script blocks are "process" events of
	// logs-windows.powershell*, not of every winlogbeat-* process rule).
	specific bool
}{
	{"process", []string{"end"}, sysmonChannel, []int{5}, false},
	{"process", []string{"end"}, "Security", []int{4689}, false},
	{"process", nil, sysmonChannel, []int{1}, false},
	{"process", nil, "Security", []int{4688}, false},
	{"process", nil, psChannel, []int{4104}, true},
	{"network", nil, sysmonChannel, []int{3}, false},
	{"library", nil, sysmonChannel, []int{7}, false},
	{"driver", nil, sysmonChannel, []int{6}, false},
	{"registry", nil, sysmonChannel, []int{12, 13, 14}, false},
	{"file", []string{"deletion"}, sysmonChannel, []int{23, 26}, false},
	{"file", nil, sysmonChannel, []int{11}, false},
	{"authentication", []string{"end"}, "Security", []int{4634}, true},
	{"authentication", nil, "Security", []int{4624, 4625}, true},
}

// ForElastic maps an Elastic rule's index patterns, integrations and the
// values its query tests to the Windows events it reads and to
// plain-language descriptions of the rest of its data ("Elastic Defend
// process events", "AWS CloudTrail logs"), each once, in order.
//
// fieldValues holds the values the query tests, by field: event.code,
// event.category (an EQL "process where" counts as event.category
// "process"), event.type, event.action, event.dataset, event.provider,
// winlog.channel and winlog.provider_name. Windows events come from
// event.code on the index's channels (Sysmon ids on
// logs-windows.sysmon_operational-*, 4688 on logs-system.security*), else
// from event.action, else from event.category.
func ForElastic(indexes, integrations []string, fieldValues map[string][]string) ([]Event, []string) {
	cats := lowerValues(fieldValues["event.category"])
	var descs descSet
	var win winSources
	covered := map[string]bool{} // integrations an index already described
	for _, pattern := range indexes {
		key, wild := indexKey(pattern)
		for _, s := range selectSources(key, wild, cats) {
			win.note(s)
			if s.channels == nil && s.desc != "" {
				descs.add(s.desc)
			}
			covered[integrationOf(s.key)] = true
		}
	}
	// event.dataset values narrow the Windows channels when they name some.
	var dsWin winSources
	for _, ds := range plainValues(append(append([]string(nil), fieldValues["event.dataset"]...), fieldValues["data_stream.dataset"]...)) {
		for _, s := range selectSources(strings.ToLower(ds), false, cats) {
			dsWin.note(s)
		}
	}
	if len(dsWin.channels) > 0 && win.present() {
		win = win.narrow(dsWin)
	}
	if names := plainValues(fieldValues["winlog.channel"]); len(names) > 0 && win.present() {
		win = win.narrow(winSources{channels: names, strong: true})
	}

	var evs []Event
	if win.present() {
		evs = windowsEvents(win, fieldValues, cats)
		if len(evs) == 0 {
			for _, d := range win.descs {
				descs.add(d)
			}
		}
	}
	for _, in := range integrations {
		in = strings.ToLower(strings.TrimSpace(in))
		if in == "" || covered[in] || (in == "windows" || in == "system") && win.present() {
			continue
		}
		if d, ok := elasticIntegrations[in]; ok {
			descs.add(d)
		}
	}
	return evs, descs.list
}

// indexKey reduces an index pattern to its key and says whether it was a
// wildcard.
func indexKey(pattern string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(pattern))
	if i := strings.IndexByte(k, ':'); i >= 0 { // remote cluster "cluster:logs-*"
		k = k[i+1:]
	}
	k = strings.TrimPrefix(k, "logs-")
	wild := false
	if i := strings.IndexByte(k, '*'); i >= 0 {
		k, wild = k[:i], true
	}
	k = strings.TrimRight(k, "-.")
	if k == "logs" {
		k = ""
	}
	return k, wild
}

// sourceByKey indexes elasticSources by key.
var sourceByKey = func() map[string][]elasticSource {
	m := map[string][]elasticSource{}
	for _, s := range elasticSources {
		m[s.key] = append(m[s.key], s)
	}
	return m
}()

// selectSources finds the rows an index key stands for (see elasticSource).
func selectSources(key string, wild bool, cats []string) []elasticSource {
	exact := sourceByKey[key]
	var under []elasticSource
	if wild && key != "" {
		for _, s := range elasticSources {
			if !s.family && s.key != key && strings.HasPrefix(s.key, key) {
				under = append(under, s)
			}
		}
	}
	if len(exact) > 0 {
		return refineFamily(exact, under, cats)
	}
	if len(under) == 1 {
		return under
	}
	if len(under) > 1 {
		if byCat := withCategory(under, cats); len(byCat) > 0 {
			return byCat
		}
	}
	// The nearest family above the key: "okta.system_extra" is okta's.
	best := -1
	for i, s := range elasticSources {
		if s.family && s.key != "" && isUnder(key, s.key) && (best < 0 || len(s.key) > len(elasticSources[best].key)) {
			best = i
		}
	}
	if best >= 0 {
		return []elasticSource{elasticSources[best]}
	}
	if wild && len(under) > 0 {
		return under
	}
	return nil
}

// refineFamily: a wildcard on a family key ("logs-endpoint.events.*")
// describes the family, unless the query's event.category picks members
// ("process where" on it reads Elastic Defend process events). A wildcard on
// a plain key takes the rows under it too ("logs-windows.powershell*" is
// both PowerShell logs).
func refineFamily(exact, under []elasticSource, cats []string) []elasticSource {
	if len(under) == 0 {
		return exact
	}
	if !exact[0].family {
		return append(append([]elasticSource(nil), exact...), under...)
	}
	if byCat := withCategory(under, cats); len(byCat) > 0 {
		return byCat
	}
	return exact
}

func withCategory(srcs []elasticSource, cats []string) []elasticSource {
	var out []elasticSource
	for _, s := range srcs {
		if s.category != "" && containsString(cats, s.category) {
			out = append(out, s)
		}
	}
	return out
}

// isUnder reports whether key is family or below it ("aws.cloudtrail" is
// under "aws"; "aws_bedrock" is not).
func isUnder(key, family string) bool {
	return key == family || strings.HasPrefix(key, family+".")
}

// integrationOf is the integration part of an index key ("aws" of
// "aws.cloudtrail").
func integrationOf(key string) string {
	i, _ := strings.CutSuffix(key, ".")
	if j := strings.IndexByte(i, '.'); j >= 0 {
		i = i[:j]
	}
	if i == "endgame" || i == "winlogbeat" {
		return ""
	}
	return i
}

// winSources collects the Windows channels a rule's indexes carry.
type winSources struct {
	channels []string // channel names, or anyChannel
	strong   bool     // some source allows inferring events from event.category
	specific []string // channels named by a source that is not "any channel"
	descs    []string // descriptions to show when no event is found
}

func (w *winSources) note(s elasticSource) {
	if len(s.channels) == 0 {
		return
	}
	w.strong = w.strong || !s.weak
	for _, c := range s.channels {
		if !containsString(w.channels, c) {
			w.channels = append(w.channels, c)
		}
		if c != anyChannel && !containsString(w.specific, c) {
			w.specific = append(w.specific, c)
		}
	}
	if s.desc != "" && !containsString(w.descs, s.desc) {
		w.descs = append(w.descs, s.desc)
	}
}

func (w winSources) present() bool { return len(w.channels) > 0 }

func (w winSources) allows(channel string) bool {
	for _, c := range w.channels {
		if c == anyChannel || strings.EqualFold(c, channel) {
			return true
		}
	}
	return false
}

// narrow keeps the channels both allow; a narrower that allows none of
// them leaves w as it was.
func (w winSources) narrow(by winSources) winSources {
	var kept []string
	for _, c := range by.channels {
		if c != anyChannel && w.allows(c) && !containsString(kept, c) {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return w
	}
	return winSources{channels: kept, strong: w.strong, specific: kept, descs: w.descs}
}

func windowsEvents(win winSources, fv map[string][]string, cats []string) []Event {
	providers := plainValues(append(append([]string(nil), fv["event.provider"]...), fv["winlog.provider_name"]...))
	keep := func(e Event) bool { return win.allows(e.Channel) }
	var set eventSet
	for _, id := range intValues(fv["event.code"]) {
		var cands []Event
		for _, i := range idx.byID[id] {
			if keep(catalog[i]) {
				cands = append(cands, catalog[i])
			}
		}
		set.add(preferSpecific(byProvider(cands, providers), win.specific)...)
	}
	if len(set.list) > 0 {
		return set.list
	}
	for _, a := range lowerValues(fv["event.action"]) {
		a = strings.TrimRight(a, "*")
		for _, row := range elasticActions {
			if a == row.action || row.prefix && len(a) >= 5 && (strings.HasPrefix(a, row.action) || strings.HasPrefix(row.action, a)) {
				for _, id := range row.ids {
					for _, e := range onChannel(row.channel, id) {
						if keep(e) {
							set.add(e)
						}
					}
				}
			}
		}
	}
	if len(set.list) > 0 || !win.strong {
		return set.list
	}
	types := lowerValues(fv["event.type"])
	for _, c := range cats {
		matchedTyped := false
		for _, row := range elasticCategories {
			if row.category != c || row.types == nil || !anyIn(types, row.types) {
				continue
			}
			if row.specific && !containsFold(win.specific, row.channel) {
				continue
			}
			matchedTyped = true
			addRow(&set, row.channel, row.ids, keep)
		}
		if matchedTyped {
			continue
		}
		for _, row := range elasticCategories {
			if row.category == c && row.types == nil && (!row.specific || containsFold(win.specific, row.channel)) {
				addRow(&set, row.channel, row.ids, keep)
			}
		}
	}
	return set.list
}

// byProvider keeps the events of the providers a query names, when some
// are; otherwise all (the provider test may belong to another branch).
func byProvider(evs []Event, providers []string) []Event {
	if len(providers) == 0 {
		return evs
	}
	var kept []Event
	for _, e := range evs {
		if anyProviderMatches(e, providers) {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		return evs
	}
	return kept
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func addRow(set *eventSet, channel string, ids []int, keep func(Event) bool) {
	for _, id := range ids {
		for _, e := range onChannel(channel, id) {
			if keep(e) {
				set.add(e)
			}
		}
	}
}

// preferSpecific keeps, of several events with one id, those on a channel
// an index names specifically (code 21 on logs-windows.sysmon_operational-*
// is Sysmon's, not TerminalServices').
func preferSpecific(cands []Event, specific []string) []Event {
	if len(cands) < 2 {
		return cands
	}
	var kept []Event
	for _, e := range cands {
		for _, c := range specific {
			if strings.EqualFold(c, e.Channel) {
				kept = append(kept, e)
				break
			}
		}
	}
	if len(kept) == 0 {
		return cands
	}
	return kept
}

// lowerValues lower-cases the plain values, once each.
func lowerValues(vals []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range plainValues(vals) {
		v = strings.ToLower(v)
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func anyIn(have, want []string) bool {
	for _, w := range want {
		if containsString(have, w) {
			return true
		}
	}
	return false
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// descSet collects descriptions once each, in order.
type descSet struct{ list []string }

func (d *descSet) add(s string) {
	if s != "" && !containsString(d.list, s) {
		d.list = append(d.list, s)
	}
}
