package match

import (
	"fmt"
	"sort"
	"strings"

	evcat "ruledex/internal/events"
)

// Field mappings: how Splunk (CIM) and Elastic (ECS) rules read Windows
// events. Sigma rules need none: they use the Windows field names (Image,
// CommandLine …), and a process_creation rule reads Security 4688 through
// the renames of events.LogsourceConditions.
//
// A mapped field is read from the first source field the event has,
// through a function, or is a constant for the event kind:
//
//	function      value
//	(none)        the source field as is
//	basename      the part after the last \ or / (C:\Windows\cmd.exe → cmd.exe)
//	dirname       the part before it
//	argv, argc    the command line split as CommandLineToArgvW does; the count
//	user_name     DOMAIN\name → name;  user_domain: → DOMAIN
//	hash:X        the X= entry of Sysmon's Hashes (SHA1=…,MD5=…), lower case
//	hive_long     the registry path as written and with the hive spelled out (HKLM → HKEY_LOCAL_MACHINE)
//	reg_key       the registry path without its hive
//	extension     the file extension without the dot
//	egress        Initiated true → egress, else ingress
//	trusted       SignatureStatus Valid → true, else false
//	reg_action    Sysmon 12 EventType: CreateKey → created, DeleteKey/DeleteValue → deleted
//	splunk_source XmlWinEventLog:<Channel> and WinEventLog:<Channel>
//	splunk_sourcetype XmlWinEventLog, WinEventLog and both with :<Channel>
//
// `ruledex match --mappings` prints the whole tables below, one line per
// (kind, field); the README quotes that output.
//
// CIM (Splunk ESCU): a tstats search on a data model reads the kinds of
// dataModels; field names lose their object prefix (Processes.process_name
// → process_name) as drop_dm_object_name does. A raw search (sysmon
// EventCode=1 …) reads every event; its fields are the event's own, with
// EventCode, source, sourcetype and host added, and the CIM fields of the
// event's kind as the Splunk add-ons alias them.
//
// ECS (Elastic): rules read every event; on the kinds below the ECS fields
// come from the table (process.name from Image …), other fields are looked
// up in the event as written (nested or dotted ECS JSON reads directly), and
// winlog.event_data.X reads the Windows field X.

// derive is how one mapped field is computed.
type derive struct {
	from  []string // source event fields, the first present is used
	fn    string   // function of the source (see above), "" for as is
	value []string // constant values, when from is empty
}

func f(from ...string) derive               { return derive{from: from} }
func fn(name string, from ...string) derive { return derive{fn: name, from: from} }
func k(values ...string) derive             { return derive{value: values} }

// dataModels maps a CIM data model (as tstats names it) to the kinds it
// reads and the object prefix its field names carry.
var dataModels = map[string]struct {
	kinds  []string
	object string
}{
	"endpoint.processes":          {[]string{"sysmon-1", "security-4688"}, "Processes"},
	"endpoint.registry":           {[]string{"sysmon-12", "sysmon-13", "sysmon-14"}, "Registry"},
	"endpoint.filesystem":         {[]string{"sysmon-11", "sysmon-23", "sysmon-26"}, "Filesystem"},
	"network_traffic":             {[]string{"sysmon-3"}, "All_Traffic"},
	"network_traffic.all_traffic": {[]string{"sysmon-3"}, "All_Traffic"},
	"network_resolution":          {[]string{"sysmon-22"}, "DNS"},
	"network_resolution.dns":      {[]string{"sysmon-22"}, "DNS"},
}

// sysmonProcessCIM are the CIM fields of the process a Sysmon event names.
var sysmonProcessCIM = map[string]derive{
	"process_name":   fn("basename", "Image"),
	"process_path":   f("Image"),
	"process_exec":   fn("basename", "Image"),
	"process_id":     f("ProcessId"),
	"process_guid":   f("ProcessGuid"),
	"user":           f("User"),
	"dest":           f("Computer"),
	"vendor_product": k("Microsoft Sysmon"),
}

// cimTable maps event kind → CIM field → derivation.
var cimTable = map[string]map[string]derive{
	"sysmon-1": with(sysmonProcessCIM, map[string]derive{
		"process":                   f("CommandLine"),
		"process_current_directory": f("CurrentDirectory"),
		"process_integrity_level":   f("IntegrityLevel"),
		"process_hash":              f("Hashes"),
		"original_file_name":        f("OriginalFileName"),
		"parent_process":            f("ParentCommandLine"),
		"parent_process_name":       fn("basename", "ParentImage"),
		"parent_process_path":       f("ParentImage"),
		"parent_process_exec":       fn("basename", "ParentImage"),
		"parent_process_id":         f("ParentProcessId"),
		"parent_process_guid":       f("ParentProcessGuid"),
		"action":                    k("allowed"),
	}),
	"security-4688": {
		"process":                 f("CommandLine"),
		"process_name":            fn("basename", "NewProcessName"),
		"process_path":            f("NewProcessName"),
		"process_exec":            fn("basename", "NewProcessName"),
		"process_id":              f("NewProcessId"),
		"process_integrity_level": f("MandatoryLabel"),
		"parent_process_name":     fn("basename", "ParentProcessName"),
		"parent_process_path":     f("ParentProcessName"),
		"parent_process_exec":     fn("basename", "ParentProcessName"),
		"parent_process_id":       f("ProcessId"),
		"user":                    f("TargetUserName", "SubjectUserName"),
		"dest":                    f("Computer"),
		"action":                  k("allowed"),
		"vendor_product":          k("Microsoft Windows"),
	},
	"sysmon-3": with(sysmonProcessCIM, map[string]derive{
		"src":       f("SourceHostname", "SourceIp"),
		"src_ip":    f("SourceIp"),
		"src_port":  f("SourcePort"),
		"dest":      f("DestinationHostname", "DestinationIp"),
		"dest_ip":   f("DestinationIp"),
		"dest_port": f("DestinationPort"),
		"transport": f("Protocol"),
		"app":       fn("basename", "Image"),
		"direction": fn("direction", "Initiated"),
		"action":    k("allowed"),
	}),
	"sysmon-11": with(sysmonProcessCIM, map[string]derive{
		"file_path":        f("TargetFilename"),
		"file_name":        fn("basename", "TargetFilename"),
		"file_create_time": f("CreationUtcTime"),
		"action":           k("created"),
	}),
	"sysmon-23": with(sysmonProcessCIM, map[string]derive{
		"file_path": f("TargetFilename"),
		"file_name": fn("basename", "TargetFilename"),
		"file_hash": f("Hashes"),
		"action":    k("deleted"),
	}),
	"sysmon-26": with(sysmonProcessCIM, map[string]derive{
		"file_path": f("TargetFilename"),
		"file_name": fn("basename", "TargetFilename"),
		"file_hash": f("Hashes"),
		"action":    k("deleted"),
	}),
	"sysmon-12": with(sysmonProcessCIM, map[string]derive{
		"registry_path":     f("TargetObject"),
		"registry_key_name": fn("basename", "TargetObject"),
		"registry_hive":     fn("hive", "TargetObject"),
		"action":            fn("reg_action", "EventType"),
	}),
	"sysmon-13": with(sysmonProcessCIM, map[string]derive{
		"registry_path":       f("TargetObject"),
		"registry_key_name":   fn("basename", "TargetObject"),
		"registry_value_name": fn("basename", "TargetObject"),
		"registry_value_data": f("Details"),
		"registry_hive":       fn("hive", "TargetObject"),
		"action":              k("modified"),
	}),
	"sysmon-14": with(sysmonProcessCIM, map[string]derive{
		"registry_path":     f("TargetObject"),
		"registry_key_name": fn("basename", "TargetObject"),
		"registry_hive":     fn("hive", "TargetObject"),
		"action":            k("modified"),
	}),
	"sysmon-22": with(sysmonProcessCIM, map[string]derive{
		"query":      f("QueryName"),
		"answer":     f("QueryResults"),
		"reply_code": f("QueryStatus"),
		"src":        f("Computer"),
	}),
}

// ecsCommon are the ECS fields of every Sysmon event.
var ecsCommon = map[string]derive{
	"host.name":            f("Computer"),
	"host.hostname":        f("Computer"),
	"host.os.type":         k("windows"),
	"host.os.family":       k("windows"),
	"event.code":           f("EventID"),
	"event.provider":       f("Provider_Name"),
	"event.module":         k("sysmon"),
	"event.dataset":        k("windows.sysmon_operational"),
	"data_stream.dataset":  k("windows.sysmon_operational"),
	"winlog.channel":       f("Channel"),
	"winlog.event_id":      f("EventID"),
	"winlog.provider_name": f("Provider_Name"),
	"winlog.computer_name": f("Computer"),
	"process.name":         fn("basename", "Image"),
	"process.executable":   f("Image"),
	"process.pid":          f("ProcessId"),
	"process.entity_id":    f("ProcessGuid"),
	"user.name":            fn("user_name", "User"),
	"user.domain":          fn("user_domain", "User"),
}

// ecsTable maps event kind → ECS field → derivation.
var ecsTable = map[string]map[string]derive{
	"sysmon-1": with(ecsCommon, map[string]derive{
		"event.category":                         k("process"),
		"event.type":                             k("start"),
		"event.action":                           k("start", "Process Create (rule: ProcessCreate)"),
		"process.command_line":                   f("CommandLine"),
		"process.args":                           fn("argv", "CommandLine"),
		"process.args_count":                     fn("argc", "CommandLine"),
		"process.working_directory":              f("CurrentDirectory"),
		"process.pe.original_file_name":          f("OriginalFileName"),
		"process.pe.description":                 f("Description"),
		"process.pe.product":                     f("Product"),
		"process.pe.company":                     f("Company"),
		"process.pe.file_version":                f("FileVersion"),
		"process.hash.md5":                       fn("hash:MD5", "Hashes"),
		"process.hash.sha1":                      fn("hash:SHA1", "Hashes"),
		"process.hash.sha256":                    fn("hash:SHA256", "Hashes"),
		"process.pe.imphash":                     fn("hash:IMPHASH", "Hashes"),
		"process.parent.name":                    fn("basename", "ParentImage"),
		"process.parent.executable":              f("ParentImage"),
		"process.parent.command_line":            f("ParentCommandLine"),
		"process.parent.args":                    fn("argv", "ParentCommandLine"),
		"process.parent.args_count":              fn("argc", "ParentCommandLine"),
		"process.parent.pid":                     f("ParentProcessId"),
		"process.parent.entity_id":               f("ParentProcessGuid"),
		"process.Ext.token.integrity_level_name": f("IntegrityLevel"),
	}),
	"security-4688": {
		"host.name":                 f("Computer"),
		"host.hostname":             f("Computer"),
		"host.os.type":              k("windows"),
		"host.os.family":            k("windows"),
		"event.code":                f("EventID"),
		"event.provider":            f("Provider_Name"),
		"event.module":              k("security"),
		"event.dataset":             k("windows.security"),
		"data_stream.dataset":       k("windows.security"),
		"winlog.channel":            f("Channel"),
		"winlog.event_id":           f("EventID"),
		"event.category":            k("process"),
		"event.type":                k("start"),
		"event.action":              k("start", "created-process"),
		"process.name":              fn("basename", "NewProcessName"),
		"process.executable":        f("NewProcessName"),
		"process.command_line":      f("CommandLine"),
		"process.args":              fn("argv", "CommandLine"),
		"process.args_count":        fn("argc", "CommandLine"),
		"process.pid":               f("NewProcessId"),
		"process.parent.name":       fn("basename", "ParentProcessName"),
		"process.parent.executable": f("ParentProcessName"),
		"process.parent.pid":        f("ProcessId"),
		"user.name":                 f("TargetUserName", "SubjectUserName"),
		"user.domain":               f("TargetDomainName", "SubjectDomainName"),
	},
	"sysmon-3": with(ecsCommon, map[string]derive{
		"event.category":     k("network"),
		"event.type":         k("connection", "start"),
		"event.action":       k("Network connection detected (rule: NetworkConnect)"),
		"source.ip":          f("SourceIp"),
		"source.port":        f("SourcePort"),
		"source.domain":      f("SourceHostname"),
		"destination.ip":     f("DestinationIp"),
		"destination.port":   f("DestinationPort"),
		"destination.domain": f("DestinationHostname"),
		"network.transport":  f("Protocol"),
		"network.direction":  fn("egress", "Initiated"),
	}),
	"sysmon-5": with(ecsCommon, map[string]derive{
		"event.category": k("process"),
		"event.type":     k("end"),
	}),
	"sysmon-7": with(ecsCommon, map[string]derive{
		"event.category":                  k("library", "process"),
		"event.type":                      k("start", "change"),
		"event.action":                    k("load", "Image loaded (rule: ImageLoad)"),
		"dll.path":                        f("ImageLoaded"),
		"dll.name":                        fn("basename", "ImageLoaded"),
		"dll.pe.original_file_name":       f("OriginalFileName"),
		"dll.pe.description":              f("Description"),
		"dll.pe.product":                  f("Product"),
		"dll.pe.company":                  f("Company"),
		"dll.code_signature.subject_name": f("Signature"),
		"dll.code_signature.status":       f("SignatureStatus"),
		"dll.code_signature.exists":       f("Signed"),
		"dll.code_signature.trusted":      fn("trusted", "SignatureStatus"),
		"dll.hash.sha256":                 fn("hash:SHA256", "Hashes"),
	}),
	"sysmon-8": with(ecsCommon, map[string]derive{
		"event.category":     k("process"),
		"event.type":         k("change"),
		"process.name":       fn("basename", "SourceImage"),
		"process.executable": f("SourceImage"),
		"process.pid":        f("SourceProcessId"),
	}),
	"sysmon-10": with(ecsCommon, map[string]derive{
		"event.category":     k("process"),
		"event.type":         k("access"),
		"process.name":       fn("basename", "SourceImage"),
		"process.executable": f("SourceImage"),
		"process.pid":        f("SourceProcessId"),
		"user.name":          fn("user_name", "SourceUser"),
		"user.domain":        fn("user_domain", "SourceUser"),
	}),
	"sysmon-11": with(ecsCommon, map[string]derive{
		"event.category": k("file"),
		"event.type":     k("creation"),
		"event.action":   k("creation", "File created (rule: FileCreate)"),
		"file.path":      f("TargetFilename"),
		"file.name":      fn("basename", "TargetFilename"),
		"file.directory": fn("dirname", "TargetFilename"),
		"file.extension": fn("extension", "TargetFilename"),
	}),
	"sysmon-23": with(ecsCommon, map[string]derive{
		"event.category": k("file"),
		"event.type":     k("deletion"),
		"event.action":   k("deletion"),
		"file.path":      f("TargetFilename"),
		"file.name":      fn("basename", "TargetFilename"),
		"file.directory": fn("dirname", "TargetFilename"),
		"file.extension": fn("extension", "TargetFilename"),
	}),
	"sysmon-26": with(ecsCommon, map[string]derive{
		"event.category": k("file"),
		"event.type":     k("deletion"),
		"event.action":   k("deletion"),
		"file.path":      f("TargetFilename"),
		"file.name":      fn("basename", "TargetFilename"),
		"file.directory": fn("dirname", "TargetFilename"),
		"file.extension": fn("extension", "TargetFilename"),
	}),
	"sysmon-12": with(ecsCommon, map[string]derive{
		"event.category": k("registry"),
		"event.type":     fn("reg_type", "EventType"),
		"registry.path":  fn("hive_long", "TargetObject"),
		"registry.key":   fn("reg_key", "TargetObject"),
		"registry.hive":  fn("hive", "TargetObject"),
	}),
	"sysmon-13": with(ecsCommon, map[string]derive{
		"event.category":        k("registry"),
		"event.type":            k("change"),
		"event.action":          k("modification", "Registry value set (rule: RegistryEvent)"),
		"registry.path":         fn("hive_long", "TargetObject"),
		"registry.key":          fn("reg_key_of_value", "TargetObject"),
		"registry.value":        fn("basename", "TargetObject"),
		"registry.data.strings": f("Details"),
		"registry.hive":         fn("hive", "TargetObject"),
	}),
	"sysmon-14": with(ecsCommon, map[string]derive{
		"event.category": k("registry"),
		"event.type":     k("change"),
		"registry.path":  fn("hive_long", "TargetObject"),
		"registry.key":   fn("reg_key", "TargetObject"),
		"registry.hive":  fn("hive", "TargetObject"),
	}),
	"sysmon-22": with(ecsCommon, map[string]derive{
		"event.category":    k("network"),
		"event.type":        k("protocol", "info"),
		"dns.question.name": f("QueryName"),
		"network.protocol":  k("dns"),
	}),
}

// with returns base extended (and overridden) by more.
func with(base, more map[string]derive) map[string]derive {
	out := make(map[string]derive, len(base)+len(more))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// MappingTables renders the logsource table (internal/events) and the CIM
// and ECS tables, one line per entry: "cim  sysmon-1  process_name
// basename(Image)".
func MappingTables() string {
	var b strings.Builder
	b.WriteString("# Sigma logsources (product windows) and the events they read\n")
	for _, cat := range evcat.WindowsCategories() {
		var parts []string
		for _, c := range evcat.LogsourceConditions("windows", cat, "") {
			p := c.Channel
			if p == "" {
				p = "provider " + c.Provider
			}
			if len(c.EventIDs) > 0 {
				p += " " + joinInts(c.EventIDs)
			}
			if len(c.FieldMap) > 0 {
				var renames []string
				for k, v := range c.FieldMap {
					if k != v {
						renames = append(renames, k+"→"+v)
					}
				}
				sort.Strings(renames)
				p += " (" + strings.Join(renames, ", ") + ")"
			}
			parts = append(parts, p)
		}
		fmt.Fprintf(&b, "logsource %-28s %s\n", cat, strings.Join(parts, "; "))
	}
	b.WriteString("logsource service:<name>              the service's channel, any event id (the rule's EventID tests select)\n")
	b.WriteString("logsource product:windows alone       any Windows event\n")
	b.WriteString("logsource other products              events that name no Windows channel or provider\n\n")
	b.WriteString("# Data models (tstats) and the event kinds they read\n")
	var dms []string
	for d := range dataModels {
		dms = append(dms, d)
	}
	sort.Strings(dms)
	for _, d := range dms {
		fmt.Fprintf(&b, "datamodel %-30s %s (prefix %s.)\n", d, strings.Join(dataModels[d].kinds, ", "), dataModels[d].object)
	}
	for _, t := range []struct {
		name  string
		table map[string]map[string]derive
	}{{"cim", cimTable}, {"ecs", ecsTable}} {
		fmt.Fprintf(&b, "\n# %s fields by event kind\n", strings.ToUpper(t.name))
		for _, kd := range kinds {
			fields := t.table[kd.name]
			var names []string
			for n := range fields {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				fmt.Fprintf(&b, "%s  %-14s %-40s %s\n", t.name, kd.name, n, fields[n].String())
			}
		}
	}
	return b.String()
}

func (d derive) String() string {
	if len(d.from) == 0 {
		return "= " + strings.Join(quoteAll(d.value), " | ")
	}
	src := strings.Join(d.from, " or ")
	if d.fn == "" {
		return src
	}
	return d.fn + "(" + src + ")"
}

func quoteAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
