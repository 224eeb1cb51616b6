package events

import (
	"strconv"
	"strings"
)

// ESCU data source names follow a few patterns: "Sysmon EventID 1",
// "Windows Event Log Security 4688", "Powershell Script Block Logging 4104",
// "NTLM Operational 8004,8005,8006", and detections join several with
// " AND ". The name is a prefix that names the log, then the event ids.
// dataSourceLogs maps each known prefix (lower case) to its channel; ""
// marks a prefix that names a non-Windows source whose ids are not Windows
// events (Sysmon for Linux).
var dataSourceLogs = []struct {
	prefix  string
	channel string
}{
	{"sysmon for linux eventid", ""},
	{"sysmon eventid", "Microsoft-Windows-Sysmon/Operational"},
	{"windows event log security", "Security"},
	{"windows event log system", "System"},
	{"windows event log application", "Application"},
	{"windows event log capi2", "Microsoft-Windows-CAPI2/Operational"},
	{"windows event log certificateservicesclient", "Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"},
	{"windows event log defender", "Microsoft-Windows-Windows Defender/Operational"},
	{"windows event log printservice", "Microsoft-Windows-PrintService/Admin"},
	{"windows event log remoteconnectionmanager", "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"},
	{"windows event log taskscheduler", "Microsoft-Windows-TaskScheduler/Operational"},
	{"windows event log powershell", "Microsoft-Windows-PowerShell/Operational"},
	{"windows security", "Security"},
	{"powershell script block logging", "Microsoft-Windows-PowerShell/Operational"},
	{"ntlm operational", "Microsoft-Windows-NTLM/Operational"},
	{"windows iis", "Microsoft-IIS-Configuration/Operational"},
}

// maxDataSourceIDs bounds the ids one name may list: names are untrusted
// input and a real one lists a handful.
const maxDataSourceIDs = 64

// ForDataSource maps an ESCU data_source name to the Windows events it
// stands for, in the order the name lists them. Names that join several data
// sources with " AND " give the events of each. Non-Windows data sources
// (CrowdStrike, AWS CloudTrail, Sysmon for Linux, …) and Windows sources that
// are not event log events (Windows Active Directory Admon, PowerShell
// scripted inputs) give nil.
//
// An id the catalog does not know on the named log is still returned, with
// the log's provider and an empty Title, except that ESCU names a few
// Security audit events under "Windows Event Log System" (4720, 4726, 4728):
// an id the named log lacks that is a Security-Auditing event maps to that
// event.
func ForDataSource(name string) []Event {
	var set eventSet
	for _, part := range splitAnd(name) {
		set.add(dataSourceEvents(part)...)
	}
	return set.list
}

// splitAnd splits "A AND B" (any case) into its parts.
func splitAnd(name string) []string {
	var parts []string
	for {
		i := indexFold(name, " and ")
		if i < 0 {
			return append(parts, name)
		}
		parts = append(parts, name[:i])
		name = name[i+len(" and "):]
	}
}

// indexFold is strings.Index ignoring ASCII case, for an ASCII needle.
func indexFold(s, needle string) int {
	n := len(needle)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], needle) {
			return i
		}
	}
	return -1
}

func dataSourceEvents(part string) []Event {
	part = strings.TrimSpace(part)
	lower := strings.ToLower(part)
	best := -1
	for i, l := range dataSourceLogs {
		if hasWordPrefix(lower, l.prefix) && (best < 0 || len(l.prefix) > len(dataSourceLogs[best].prefix)) {
			best = i
		}
	}
	var channel, rest string
	switch {
	case best >= 0:
		channel = dataSourceLogs[best].channel
		rest = part[len(dataSourceLogs[best].prefix):]
		if channel == "" {
			return nil
		}
	case hasWordPrefix(lower, "windows event log"):
		// A log the table does not name yet: find the one channel whose
		// name contains the word ("Windows Event Log Bits-Client 59").
		word, r, _ := strings.Cut(strings.TrimSpace(part[len("windows event log"):]), " ")
		channel = channelContaining(word)
		rest = r
	}
	if channel == "" {
		return nil
	}
	ids, ok := parseIDList(rest)
	if !ok {
		return nil
	}
	ch, _ := channelByName(channel)
	var out []Event
	for _, id := range ids {
		if evs := onChannel(ch.Channel, id); len(evs) > 0 {
			out = append(out, evs...)
			continue
		}
		if evs := onChannel("Security", id); len(evs) > 0 && evs[0].Provider == "Microsoft-Windows-Security-Auditing" {
			out = append(out, evs...)
			continue
		}
		out = append(out, eventOn(ch, "", id)...)
	}
	return out
}

// hasWordPrefix reports whether s starts with prefix followed by a space or
// its end.
func hasWordPrefix(s, prefix string) bool {
	return strings.HasPrefix(s, prefix) && (len(s) == len(prefix) || s[len(prefix)] == ' ')
}

// channelContaining returns the one channel whose name contains word, or "".
func channelContaining(word string) string {
	word = strings.ToLower(word)
	if len(word) < 3 {
		return ""
	}
	found := ""
	for _, c := range channels {
		if strings.Contains(strings.ToLower(c.Channel), word) {
			if found != "" && found != c.Channel {
				return ""
			}
			found = c.Channel
		}
	}
	return found
}

// parseIDList reads "4688", "8004,8005,8006" or "200 201": event ids
// separated by commas or spaces. Anything else is not an id list.
func parseIDList(s string) ([]int, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(fields) == 0 || len(fields) > maxDataSourceIDs {
		return nil, false
	}
	ids := make([]int, 0, len(fields))
	for _, f := range fields {
		id, err := strconv.Atoi(f)
		if err != nil || id < 0 || id > 65535 {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}
