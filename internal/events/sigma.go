package events

import (
	"sort"
	"strconv"
	"strings"
)

// Sigma logsources and the events they imply.
//
// A windows category stands for fixed events (the Sigma taxonomy appendix,
// "Windows Folder / Category"), all Sysmon except the PowerShell ones and
// the Security 4688 alternative for process_creation:
//
//	category                   channel                                    event ids
//	process_creation           Microsoft-Windows-Sysmon/Operational       1
//	                           Security                                   4688 (fields renamed, see below)
//	file_change                Sysmon                                     2
//	network_connection         Sysmon                                     3
//	sysmon_status              Sysmon                                     4, 16
//	process_termination        Sysmon                                     5
//	driver_load                Sysmon                                     6
//	image_load                 Sysmon                                     7
//	create_remote_thread       Sysmon                                     8
//	raw_access_thread          Sysmon                                     9
//	process_access             Sysmon                                     10
//	file_event                 Sysmon                                     11
//	registry_add, _delete      Sysmon                                     12
//	registry_set               Sysmon                                     13
//	registry_rename            Sysmon                                     14
//	registry_event             Sysmon                                     12, 13, 14
//	create_stream_hash         Sysmon                                     15
//	pipe_created               Sysmon                                     17, 18
//	wmi_event                  Sysmon                                     19, 20, 21
//	dns_query                  Sysmon                                     22
//	file_delete                Sysmon                                     23, 26
//	clipboard_capture          Sysmon                                     24
//	process_tampering          Sysmon                                     25
//	file_delete_detected       Sysmon                                     26
//	file_block_executable      Sysmon                                     27
//	file_block_shredding       Sysmon                                     28
//	file_executable_detected   Sysmon                                     29
//	sysmon_error               Sysmon                                     255
//	ps_module                  Microsoft-Windows-PowerShell/Operational,  4103
//	                           PowerShellCore/Operational
//	ps_script                  (the same two)                             4104
//	ps_classic_start           Windows PowerShell                         400
//	ps_classic_provider_start  Windows PowerShell                         600
//	ps_classic_script          Windows PowerShell                         800
//	file_access, file_rename   ETW provider Microsoft-Windows-Kernel-File (no event log channel; no events)
//
// A windows service stands for a channel (the appendix's "Windows Folder /
// Service" table, see channels.go) and the rule's own EventID values say
// which events of it.
//
// Security 4688 names the fields of a process creation differently from
// Sysmon 1, whose names Sigma uses. A rule field is looked up in a 4688
// event under (rule field → event field):
//
//	Image            → NewProcessName
//	ParentImage      → ParentProcessName
//	CommandLine      → CommandLine
//	ProcessId        → NewProcessId
//	ParentProcessId  → ProcessId
//	User             → SubjectUserName
//	LogonId          → SubjectLogonId
//	IntegrityLevel   → MandatoryLabel (a SID such as S-1-16-12288, not "High")
//
// Fields not listed keep their name; Sysmon-only fields (ParentCommandLine,
// Hashes, OriginalFileName, CurrentDirectory, …) are absent from 4688.
//
// Only product windows has Windows events: linux and macos categories
// (process_creation, file_event, network_connection from Sysmon for Linux
// or other agents) and every other product give nil.

// Condition is what a logsource requires of an event, as data a matcher can
// test: the event's channel and provider, when set, must be these (case does
// not matter), and its id one of EventIDs when that is not empty.
type Condition struct {
	Channel  string
	Provider string
	EventIDs []int
	// FieldMap renames the rule's fields for events of this source:
	// rule field → event field. nil when the event uses the rule's names.
	FieldMap map[string]string
}

// Matches reports whether an event with this channel, provider and id meets
// the condition.
func (c Condition) Matches(channel, provider string, id int) bool {
	if c.Channel != "" && !strings.EqualFold(c.Channel, channel) {
		return false
	}
	if c.Provider != "" && !strings.EqualFold(c.Provider, provider) {
		return false
	}
	if len(c.EventIDs) == 0 {
		return true
	}
	for _, want := range c.EventIDs {
		if want == id {
			return true
		}
	}
	return false
}

// MatchCondition returns the first of a logsource's conditions an event
// meets, so that the caller can read that source's field names.
func MatchCondition(conds []Condition, channel, provider string, id int) (Condition, bool) {
	for _, c := range conds {
		if c.Matches(channel, provider, id) {
			return c, true
		}
	}
	return Condition{}, false
}

// EventField is the name a rule field has in events of this source.
func (c Condition) EventField(ruleField string) string {
	if f, ok := c.FieldMap[ruleField]; ok {
		return f
	}
	return ruleField
}

// target is one channel a category reads, with its event ids.
type target struct {
	channel  string
	provider string
	ids      []int
	fieldMap map[string]string
}

const (
	sysmonChannel  = "Microsoft-Windows-Sysmon/Operational"
	sysmonProvider = "Microsoft-Windows-Sysmon"
	psChannel      = "Microsoft-Windows-PowerShell/Operational"
	psCoreChannel  = "PowerShellCore/Operational"
	psClassic      = "Windows PowerShell"
)

// security4688Fields is the rule field → 4688 field mapping documented
// above.
var security4688Fields = map[string]string{
	"Image":           "NewProcessName",
	"ParentImage":     "ParentProcessName",
	"CommandLine":     "CommandLine",
	"ProcessId":       "NewProcessId",
	"ParentProcessId": "ProcessId",
	"User":            "SubjectUserName",
	"LogonId":         "SubjectLogonId",
	"IntegrityLevel":  "MandatoryLabel",
}

func sysmon(ids ...int) []target {
	return []target{{channel: sysmonChannel, provider: sysmonProvider, ids: ids}}
}

func powershell(id int) []target {
	return []target{
		{channel: psChannel, provider: "Microsoft-Windows-PowerShell", ids: []int{id}},
		{channel: psCoreChannel, provider: "PowerShellCore", ids: []int{id}},
	}
}

func classic(id int) []target {
	return []target{{channel: psClassic, provider: "PowerShell", ids: []int{id}}}
}

// windowsCategories is the category table documented above.
var windowsCategories = map[string][]target{
	"process_creation":          append(sysmon(1), target{channel: "Security", provider: "Microsoft-Windows-Security-Auditing", ids: []int{4688}, fieldMap: security4688Fields}),
	"file_change":               sysmon(2),
	"network_connection":        sysmon(3),
	"sysmon_status":             sysmon(4, 16),
	"process_termination":       sysmon(5),
	"driver_load":               sysmon(6),
	"image_load":                sysmon(7),
	"create_remote_thread":      sysmon(8),
	"raw_access_thread":         sysmon(9),
	"process_access":            sysmon(10),
	"file_event":                sysmon(11),
	"registry_add":              sysmon(12),
	"registry_delete":           sysmon(12),
	"registry_set":              sysmon(13),
	"registry_rename":           sysmon(14),
	"registry_event":            sysmon(12, 13, 14),
	"create_stream_hash":        sysmon(15),
	"pipe_created":              sysmon(17, 18),
	"wmi_event":                 sysmon(19, 20, 21),
	"dns_query":                 sysmon(22),
	"file_delete":               sysmon(23, 26),
	"clipboard_capture":         sysmon(24),
	"process_tampering":         sysmon(25),
	"file_delete_detected":      sysmon(26),
	"file_block_executable":     sysmon(27),
	"file_block_shredding":      sysmon(28),
	"file_executable_detected":  sysmon(29),
	"sysmon_error":              sysmon(255),
	"ps_module":                 powershell(4103),
	"ps_script":                 powershell(4104),
	"ps_classic_start":          classic(400),
	"ps_classic_provider_start": classic(600),
	"ps_classic_script":         classic(800),
	// Kernel-File ETW events, not in any event log channel.
	"file_access": {{provider: "Microsoft-Windows-Kernel-File"}},
	"file_rename": {{provider: "Microsoft-Windows-Kernel-File"}},
}

// WindowsCategories lists the Sigma windows categories this package maps,
// sorted.
func WindowsCategories() []string {
	out := make([]string, 0, len(windowsCategories))
	for c := range windowsCategories {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// ForLogsource returns the events a Sigma logsource implies by itself: the
// events of a windows category. A windows service names a channel but not
// its events, so it gives nil here; ForSigmaRule adds the rule's EventID
// values. Non-Windows products give nil.
func ForLogsource(product, category, service string) []Event {
	return ForSigmaRule(product, category, service, nil)
}

// ForSigmaRule returns the events a Sigma rule reads: its logsource's, made
// precise by the values the rule's detection tests, given by field name:
// "EventID" (which ids), "Provider_Name" and "Channel". Values that are not
// plain (an EventID that is not a number) are ignored.
//
// For a category the rule's ids narrow the category's events when they name
// some of them (registry_event with EventID 13 is Sysmon 13). For a service
// each id becomes the catalog's event on the service's channel, or an
// untitled event naming the channel and provider when the catalog does not
// know it.
func ForSigmaRule(product, category, service string, fieldValues map[string][]string) []Event {
	if !strings.EqualFold(strings.TrimSpace(product), "windows") {
		return nil
	}
	ids := intValues(fieldValues["EventID"])
	providers := plainValues(fieldValues["Provider_Name"])
	if targets, ok := windowsCategories[strings.ToLower(strings.TrimSpace(category))]; ok {
		return categoryEvents(targets, service, ids)
	}
	if strings.TrimSpace(category) != "" && strings.TrimSpace(service) == "" {
		return nil
	}
	chans := channelsForService(service)
	chans = restrictChannels(chans, plainValues(fieldValues["Channel"]))
	if len(chans) == 0 || len(ids) == 0 {
		return nil
	}
	var set eventSet
	for _, id := range ids {
		set.add(serviceEvents(chans, providers, id)...)
	}
	return set.list
}

func categoryEvents(targets []target, service string, ids []int) []Event {
	targets = restrictTargets(targets, service)
	var set eventSet
	if len(ids) > 0 {
		wanted := map[int]bool{}
		for _, id := range ids {
			wanted[id] = true
		}
		for _, t := range targets {
			for _, id := range t.ids {
				if wanted[id] {
					set.add(onChannel(t.channel, id)...)
				}
			}
		}
		if len(set.list) > 0 {
			return set.list
		}
	}
	for _, t := range targets {
		for _, id := range t.ids {
			set.add(onChannel(t.channel, id)...)
		}
	}
	return set.list
}

// restrictTargets keeps the targets on a service's channels when a rule
// names both a category and a service (category process_creation, service
// sysmon), unless that would leave none.
func restrictTargets(targets []target, service string) []target {
	chans := channelsForService(service)
	if len(chans) == 0 {
		return targets
	}
	var kept []target
	for _, t := range targets {
		for _, c := range chans {
			if strings.EqualFold(c.Channel, t.channel) {
				kept = append(kept, t)
				break
			}
		}
	}
	if len(kept) == 0 {
		return targets
	}
	return kept
}

// restrictChannels keeps the channels a rule's Channel values name, when it
// tests any that are among them.
func restrictChannels(chans []logChannel, names []string) []logChannel {
	if len(names) == 0 {
		return chans
	}
	var kept []logChannel
	for _, c := range chans {
		for _, n := range names {
			if strings.EqualFold(c.Channel, n) {
				kept = append(kept, c)
				break
			}
		}
	}
	if len(kept) == 0 {
		return chans
	}
	return kept
}

func serviceEvents(chans []logChannel, providers []string, id int) []Event {
	var found []Event
	for _, c := range chans {
		for _, e := range onChannel(c.Channel, id) {
			if len(providers) == 0 || anyProviderMatches(e, providers) {
				found = append(found, e)
			}
		}
	}
	if len(found) > 0 {
		return found
	}
	// The service's provider may write the id to a sibling channel
	// (PrintService 316 is in Admin, a rule reads Operational).
	for _, c := range chans {
		if c.Provider == "" {
			continue
		}
		for _, e := range ofProvider(c.Provider, id) {
			if len(providers) == 0 || anyProviderMatches(e, providers) {
				found = append(found, e)
			}
		}
		if len(found) > 0 {
			return found
		}
	}
	provider := mostSpecific(providers)
	if len(chans) == 1 {
		return eventOn(chans[0], provider, id)
	}
	// Several channels (AppLocker's four): the provider is known, the
	// channel is not.
	e := Event{Provider: chans[0].Provider, Short: chans[0].Short, ID: id}
	if provider != "" && !strings.ContainsAny(provider, "*?") {
		e.Provider, e.Short = provider, provider
	}
	return []Event{e}
}

func anyProviderMatches(e Event, providers []string) bool {
	for _, p := range providers {
		if providerMatches(e, p) {
			return true
		}
	}
	return false
}

// mostSpecific picks the provider name to show when a rule lists several
// spellings of one ("Kerberos-Key-Distribution-Center" and
// "Microsoft-Windows-Kerberos-Key-Distribution-Center"): the longest.
func mostSpecific(providers []string) string {
	best := ""
	for _, p := range providers {
		if len(p) > len(best) {
			best = p
		}
	}
	return best
}

// LogsourceConditions returns what an event must be to belong to a Sigma
// logsource, one Condition per channel it may come from (an event belongs
// when it meets any of them). A windows category gives its channels, event
// ids and field renames; a windows service gives its channels with no id
// restriction (the rule's own EventID tests select the events); product
// windows alone gives one empty Condition, which every event meets.
// Non-Windows products and unknown windows categories or services give nil.
func LogsourceConditions(product, category, service string) []Condition {
	if !strings.EqualFold(strings.TrimSpace(product), "windows") {
		return nil
	}
	if targets, ok := windowsCategories[strings.ToLower(strings.TrimSpace(category))]; ok {
		targets = restrictTargets(targets, service)
		out := make([]Condition, 0, len(targets))
		for _, t := range targets {
			out = append(out, Condition{
				Channel:  t.channel,
				Provider: t.provider,
				EventIDs: append([]int(nil), t.ids...),
				FieldMap: copyMap(t.fieldMap),
			})
		}
		return out
	}
	if strings.TrimSpace(category) != "" && strings.TrimSpace(service) == "" {
		return nil
	}
	if strings.TrimSpace(service) == "" {
		// product windows alone: any Windows event.
		return []Condition{{}}
	}
	var out []Condition
	for _, c := range channelsForService(service) {
		out = append(out, Condition{Channel: c.Channel})
	}
	return out
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// intValues parses the values that are plain event ids, once each.
func intValues(vals []string) []int {
	var out []int
	seen := map[int]bool{}
	for _, v := range vals {
		id, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || id < 0 || id > 65535 || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// plainValues drops empty values and trims the rest.
func plainValues(vals []string) []string {
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
