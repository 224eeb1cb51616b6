package events

import "strings"

// logChannel is an event log channel rules name: its usual provider (empty
// for the shared Application and System logs, where the provider depends
// on the event) and the Sigma services that select it, per the Sigma
// taxonomy appendix (windows services), plus the services the SigmaHQ
// rules use that the appendix does not list yet.
type logChannel struct {
	Channel  string
	Provider string
	Short    string
	Sigma    []string
}

var channels = []logChannel{
	{"Microsoft-Windows-Sysmon/Operational", "Microsoft-Windows-Sysmon", "Sysmon", []string{"sysmon"}},
	{"Security", "Microsoft-Windows-Security-Auditing", "Security-Auditing", []string{"security"}},
	{"System", "", "System", []string{"system"}},
	{"Application", "", "Application", []string{"application"}},
	{"Microsoft-Windows-PowerShell/Operational", "Microsoft-Windows-PowerShell", "PowerShell", []string{"powershell"}},
	{"PowerShellCore/Operational", "PowerShellCore", "PowerShellCore", nil},
	{"Windows PowerShell", "PowerShell", "Windows PowerShell", []string{"powershell-classic"}},
	{"Microsoft-Windows-Windows Defender/Operational", "Microsoft-Windows-Windows Defender", "Windows Defender", []string{"windefend"}},
	{"Microsoft-Windows-TaskScheduler/Operational", "Microsoft-Windows-TaskScheduler", "TaskScheduler", []string{"taskscheduler"}},
	{"Microsoft-Windows-WMI-Activity/Operational", "Microsoft-Windows-WMI-Activity", "WMI-Activity", []string{"wmi"}},
	{"Microsoft-Windows-Bits-Client/Operational", "Microsoft-Windows-Bits-Client", "Bits-Client", []string{"bits-client"}},
	{"Microsoft-Windows-DNS Client Events/Operational", "Microsoft-Windows-DNS-Client", "DNS-Client", []string{"dns-client"}},
	{"DNS Server", "Microsoft-Windows-DNS-Server-Service", "DNS-Server-Service", []string{"dns-server"}},
	{"Microsoft-Windows-DNS-Server/Analytical", "Microsoft-Windows-DNS-Server", "DNS-Server", []string{"dns-server-analytic"}},
	{"Microsoft-Windows-DNS-Server/Audit", "Microsoft-Windows-DNS-Server", "DNS-Server", []string{"dns-server-audit"}},
	{"Microsoft-Windows-AppLocker/MSI and Script", "Microsoft-Windows-AppLocker", "AppLocker", []string{"applocker"}},
	{"Microsoft-Windows-AppLocker/EXE and DLL", "Microsoft-Windows-AppLocker", "AppLocker", []string{"applocker"}},
	{"Microsoft-Windows-AppLocker/Packaged app-Deployment", "Microsoft-Windows-AppLocker", "AppLocker", []string{"applocker"}},
	{"Microsoft-Windows-AppLocker/Packaged app-Execution", "Microsoft-Windows-AppLocker", "AppLocker", []string{"applocker"}},
	{"Microsoft-Windows-Application-Experience/Program-Telemetry", "Microsoft-Windows-Application-Experience", "Application-Experience", []string{"application-experience"}},
	{"Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant", "Microsoft-Windows-Application-Experience", "Application-Experience", []string{"application-experience"}},
	{"Microsoft-Windows-AppModel-Runtime/Admin", "Microsoft-Windows-AppModel-Runtime", "AppModel-Runtime", []string{"appmodel-runtime"}},
	{"Microsoft-Windows-AppXDeploymentServer/Operational", "Microsoft-Windows-AppXDeployment-Server", "AppXDeployment-Server", []string{"appxdeployment-server"}},
	{"Microsoft-Windows-AppxPackaging/Operational", "Microsoft-Windows-AppxPackagingOM", "AppxPackagingOM", []string{"appxpackaging-om"}},
	{"Microsoft-Windows-BitLocker/BitLocker Management", "Microsoft-Windows-BitLocker-API", "BitLocker-API", []string{"bitlocker"}},
	{"Microsoft-Windows-CAPI2/Operational", "Microsoft-Windows-CAPI2", "CAPI2", []string{"capi2"}},
	{"Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational", "Microsoft-Windows-CertificateServicesClient-Lifecycle-System", "CertificateServicesClient-Lifecycle-System", []string{"certificateservicesclient-lifecycle-system"}},
	{"Microsoft-Windows-CodeIntegrity/Operational", "Microsoft-Windows-CodeIntegrity", "CodeIntegrity", []string{"codeintegrity-operational"}},
	{"Microsoft-Windows-DHCP-Server/Operational", "Microsoft-Windows-DHCP-Server", "DHCP-Server", []string{"dhcp"}},
	{"Microsoft-Windows-Diagnosis-Scripted/Operational", "Microsoft-Windows-Diagnosis-Scripted", "Diagnosis-Scripted", []string{"diagnosis-scripted"}},
	{"Microsoft-Windows-DriverFrameworks-UserMode/Operational", "Microsoft-Windows-DriverFrameworks-UserMode", "DriverFrameworks-UserMode", []string{"driver-framework"}},
	{"Microsoft-Windows-Windows Firewall With Advanced Security/Firewall", "Microsoft-Windows-Windows Firewall With Advanced Security", "Windows Firewall With Advanced Security", []string{"firewall-as"}},
	{"Microsoft-Windows-Hyper-V-Worker", "Microsoft-Windows-Hyper-V-Worker", "Hyper-V-Worker", []string{"hyper-v-worker"}},
	{"Microsoft-IIS-Configuration/Operational", "Microsoft-IIS-Configuration", "IIS-Configuration", []string{"iis-configuration"}},
	{"Microsoft-Windows-Kernel-EventTracing", "Microsoft-Windows-Kernel-EventTracing", "Kernel-EventTracing", []string{"kernel-event-tracing"}},
	{"Microsoft-Windows-Kernel-ShimEngine/Operational", "Microsoft-Windows-Kernel-ShimEngine", "Kernel-ShimEngine", []string{"kernel-shimengine"}},
	{"Microsoft-Windows-Kernel-ShimEngine/Diagnostic", "Microsoft-Windows-Kernel-ShimEngine", "Kernel-ShimEngine", []string{"kernel-shimengine"}},
	{"Microsoft-Windows-LDAP-Client/Debug", "Microsoft-Windows-LDAP-Client", "LDAP-Client", []string{"ldap", "ldap_debug"}},
	{"Microsoft-Windows-LSA/Operational", "Microsoft-Windows-LSA", "LSA", []string{"lsa-server"}},
	{"MSExchange Management", "MSExchange CmdletLogs", "MSExchange CmdletLogs", []string{"msexchange-management"}},
	{"Microsoft-Windows-Ntfs/Operational", "Microsoft-Windows-Ntfs", "Ntfs", []string{"ntfs"}},
	{"Microsoft-Windows-NTLM/Operational", "Microsoft-Windows-NTLM", "NTLM", []string{"ntlm"}},
	{"OpenSSH/Operational", "OpenSSH", "OpenSSH", []string{"openssh"}},
	{"Microsoft-Windows-PrintService/Admin", "Microsoft-Windows-PrintService", "PrintService", []string{"printservice-admin"}},
	{"Microsoft-Windows-PrintService/Operational", "Microsoft-Windows-PrintService", "PrintService", []string{"printservice-operational"}},
	{"Microsoft-Windows-Security-Mitigations/Kernel Mode", "Microsoft-Windows-Security-Mitigations", "Security-Mitigations", []string{"security-mitigations"}},
	{"Microsoft-Windows-Security-Mitigations/User Mode", "Microsoft-Windows-Security-Mitigations", "Security-Mitigations", []string{"security-mitigations"}},
	{"Microsoft-Windows-SENSE/Operational", "Microsoft-Windows-SENSE", "SENSE", []string{"sense"}},
	{"Microsoft-ServiceBus-Client/Operational", "Microsoft-ServiceBus-Client", "ServiceBus-Client", []string{"servicebus-client", "microsoft-servicebus-client"}},
	{"Microsoft-ServiceBus-Client/Admin", "Microsoft-ServiceBus-Client", "ServiceBus-Client", []string{"servicebus-client", "microsoft-servicebus-client"}},
	{"Microsoft-Windows-Shell-Core/Operational", "Microsoft-Windows-Shell-Core", "Shell-Core", []string{"shell-core"}},
	{"Microsoft-Windows-SmbClient/Security", "Microsoft-Windows-SMBClient", "SMBClient", []string{"smbclient-security"}},
	{"Microsoft-Windows-SmbClient/Connectivity", "Microsoft-Windows-SMBClient", "SMBClient", []string{"smbclient-connectivity"}},
	{"Microsoft-Windows-SMBServer/Connectivity", "Microsoft-Windows-SMBServer", "SMBServer", []string{"smbserver-connectivity"}},
	{"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", "Microsoft-Windows-TerminalServices-LocalSessionManager", "TerminalServices-LocalSessionManager", []string{"terminalservices-localsessionmanager"}},
	{"Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational", "Microsoft-Windows-TerminalServices-RemoteConnectionManager", "TerminalServices-RemoteConnectionManager", nil},
	{"Microsoft-Windows-VHDMP/Operational", "Microsoft-Windows-VHDMP", "VHDMP", []string{"vhdmp"}},
}

// channelByName finds a channel row by its channel name.
func channelByName(name string) (logChannel, bool) {
	name = normalizeName(name)
	for _, c := range channels {
		if strings.ToLower(c.Channel) == name {
			return c, true
		}
	}
	return logChannel{}, false
}

// serviceChannels maps each Sigma windows service to its channels.
var serviceChannels = func() map[string][]logChannel {
	m := map[string][]logChannel{}
	for _, c := range channels {
		for _, s := range c.Sigma {
			m[s] = append(m[s], c)
		}
	}
	return m
}()

// channelsForService returns the channels a Sigma windows service selects.
// The slice is shared: callers must not change it.
func channelsForService(service string) []logChannel {
	if cs, ok := serviceChannels[service]; ok {
		return cs
	}
	return serviceChannels[strings.ToLower(strings.TrimSpace(service))]
}

// eventOn returns the events with the id on a channel: the catalog's, or,
// when the catalog does not know the id there, one untitled event naming the
// provider (the one given, else the channel's usual one) so that the
// reference still says where to look.
func eventOn(ch logChannel, provider string, id int) []Event {
	found := onChannel(ch.Channel, id)
	if provider != "" {
		var kept []Event
		for _, e := range found {
			if providerMatches(e, provider) {
				kept = append(kept, e)
			}
		}
		found = kept
	}
	if len(found) > 0 {
		return found
	}
	e := Event{Provider: ch.Provider, Short: ch.Short, Channel: ch.Channel, ID: id}
	if provider != "" && !strings.ContainsAny(provider, "*?") {
		e.Provider, e.Short = provider, provider
		// A provider the catalog knows under another channel keeps its
		// own short name ("Microsoft-Windows-Eventlog" is "Eventlog").
		for _, b := range blocks {
			if equalFold(b.Provider, provider) {
				e.Short = b.Short
				break
			}
		}
	}
	if e.Provider == "" {
		e.Short = ch.Short
	}
	return []Event{e}
}

// providerMatches compares a catalog event's provider with a provider name
// a rule tests. Rules write it as a contains or prefix match as often as in
// full ("MSSQL" for "MSSQLSERVER", "Kerberos-Key-Distribution-Center" for
// "Microsoft-Windows-Kerberos-Key-Distribution-Center"), so either name
// containing the other counts.
func providerMatches(e Event, provider string) bool {
	p := strings.ToLower(strings.Trim(provider, "*? "))
	if p == "" {
		return false
	}
	for _, n := range []string{e.Provider, e.Short} {
		n = strings.ToLower(n)
		if strings.Contains(n, p) || strings.Contains(p, n) {
			return true
		}
	}
	return false
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
