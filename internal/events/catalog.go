package events

// The built-in event catalog: one row per event, grouped by provider and
// channel.
//
// Titles are Microsoft's own words, in this order of preference:
//   - the heading of the event's documentation page (Security auditing
//     events: "4688(S): A new process has been created."; Sysmon events:
//     "Event ID 1: Process creation"; Defender: the "Message:" line of
//     "Microsoft Defender Antivirus event IDs and error codes");
//   - otherwise the first sentence of the message the provider's manifest
//     defines, with its insertion strings as written: %1, %2, … or, where
//     the listing we checked gives the manifest's field names, {FileName};
//   - when the message is nothing but insertion strings, the event's task
//     name (PowerShell 4103 "Executing Pipeline").
//
// An event whose title could not be checked against Microsoft's text is left
// out rather than guessed; the mapping functions still return such events
// with an empty Title (see Event.Known).

type block struct {
	Provider string
	Short    string
	Channel  string
	Events   []row
}

type row struct {
	ID    int
	Title string
}

var blocks = []block{
	{"Microsoft-Windows-Sysmon", "Sysmon", "Microsoft-Windows-Sysmon/Operational", []row{
		{1, "Process creation"},
		{2, "A process changed a file creation time"},
		{3, "Network connection"},
		{4, "Sysmon service state changed"},
		{5, "Process terminated"},
		{6, "Driver loaded"},
		{7, "Image loaded"},
		{8, "CreateRemoteThread"},
		{9, "RawAccessRead"},
		{10, "ProcessAccess"},
		{11, "FileCreate"},
		{12, "RegistryEvent (Object create and delete)"},
		{13, "RegistryEvent (Value Set)"},
		{14, "RegistryEvent (Key and Value Rename)"},
		{15, "FileCreateStreamHash"},
		{16, "ServiceConfigurationChange"},
		{17, "PipeEvent (Pipe Created)"},
		{18, "PipeEvent (Pipe Connected)"},
		{19, "WmiEvent (WmiEventFilter activity detected)"},
		{20, "WmiEvent (WmiEventConsumer activity detected)"},
		{21, "WmiEvent (WmiEventConsumerToFilter activity detected)"},
		{22, "DNSEvent (DNS query)"},
		{23, "FileDelete (File Delete archived)"},
		{24, "ClipboardChange (New content in the clipboard)"},
		{25, "ProcessTampering (Process image change)"},
		{26, "FileDeleteDetected (File Delete logged)"},
		{27, "FileBlockExecutable"},
		{28, "FileBlockShredding"},
		{29, "FileExecutableDetected"},
		{255, "Error"},
	}},

	{"Microsoft-Windows-Security-Auditing", "Security-Auditing", "Security", []row{
		{4608, "Windows is starting up."},
		{4609, "Windows is shutting down."},
		{4610, "An authentication package has been loaded by the Local Security Authority."},
		{4611, "A trusted logon process has been registered with the Local Security Authority."},
		{4614, "A notification package has been loaded by the Security Account Manager."},
		{4616, "The system time was changed."},
		{4618, "A monitored security event pattern has occurred."},
		{4621, "Administrator recovered system from CrashOnAuditFail."},
		{4622, "A security package has been loaded by the Local Security Authority."},
		{4624, "An account was successfully logged on."},
		{4625, "An account failed to log on."},
		{4626, "User/Device claims information."},
		{4627, "Group membership information."},
		{4634, "An account was logged off."},
		{4647, "User initiated logoff."},
		{4648, "A logon was attempted using explicit credentials."},
		{4649, "A replay attack was detected."},
		{4656, "A handle to an object was requested."},
		{4657, "A registry value was modified."},
		{4658, "The handle to an object was closed."},
		{4660, "An object was deleted."},
		{4661, "A handle to an object was requested."},
		{4662, "An operation was performed on an object."},
		{4663, "An attempt was made to access an object."},
		{4664, "An attempt was made to create a hard link."},
		{4670, "Permissions on an object were changed."},
		{4672, "Special privileges assigned to new logon."},
		{4673, "A privileged service was called."},
		{4674, "An operation was attempted on a privileged object."},
		{4688, "A new process has been created."},
		{4689, "A process has exited."},
		{4690, "An attempt was made to duplicate a handle to an object."},
		{4692, "Backup of data protection master key was attempted."},
		{4693, "Recovery of data protection master key was attempted."},
		{4696, "A primary token was assigned to process."},
		{4697, "A service was installed in the system."},
		{4698, "A scheduled task was created."},
		{4699, "A scheduled task was deleted."},
		{4700, "A scheduled task was enabled."},
		{4701, "A scheduled task was disabled."},
		{4702, "A scheduled task was updated."},
		{4703, "A user right was adjusted."},
		{4704, "A user right was assigned."},
		{4705, "A user right was removed."},
		{4706, "A new trust was created to a domain."},
		{4707, "A trust to a domain was removed."},
		{4713, "Kerberos policy was changed."},
		{4715, "The audit policy (SACL) on an object was changed."},
		{4716, "Trusted domain information was modified."},
		{4717, "System security access was granted to an account."},
		{4718, "System security access was removed from an account."},
		{4719, "System audit policy was changed."},
		{4720, "A user account was created."},
		{4722, "A user account was enabled."},
		{4723, "An attempt was made to change an account's password."},
		{4724, "An attempt was made to reset an account's password."},
		{4725, "A user account was disabled."},
		{4726, "A user account was deleted."},
		{4727, "A security-enabled global group was created."},
		{4728, "A member was added to a security-enabled global group."},
		{4729, "A member was removed from a security-enabled global group."},
		{4730, "A security-enabled global group was deleted."},
		{4731, "A security-enabled local group was created."},
		{4732, "A member was added to a security-enabled local group."},
		{4733, "A member was removed from a security-enabled local group."},
		{4734, "A security-enabled local group was deleted."},
		{4735, "A security-enabled local group was changed."},
		{4737, "A security-enabled global group was changed."},
		{4738, "A user account was changed."},
		{4739, "Domain Policy was changed."},
		{4740, "A user account was locked out."},
		{4741, "A computer account was created."},
		{4742, "A computer account was changed."},
		{4743, "A computer account was deleted."},
		{4744, "A security-disabled local group was created."},
		{4749, "A security-disabled global group was created."},
		{4750, "A security-disabled global group was changed."},
		{4751, "A member was added to a security-disabled global group."},
		{4752, "A member was removed from a security-disabled global group."},
		{4753, "A security-disabled global group was deleted."},
		{4754, "A security-enabled universal group was created."},
		{4755, "A security-enabled universal group was changed."},
		{4756, "A member was added to a security-enabled universal group."},
		{4757, "A member was removed from a security-enabled universal group."},
		{4758, "A security-enabled universal group was deleted."},
		{4759, "A security-disabled universal group was created."},
		{4764, "A group's type was changed."},
		{4765, "SID History was added to an account."},
		{4766, "An attempt to add SID History to an account failed."},
		{4767, "A user account was unlocked."},
		{4768, "A Kerberos authentication ticket (TGT) was requested."},
		{4769, "A Kerberos service ticket was requested."},
		{4770, "A Kerberos service ticket was renewed."},
		{4771, "Kerberos pre-authentication failed."},
		{4772, "A Kerberos authentication ticket request failed."},
		{4773, "A Kerberos service ticket request failed."},
		{4774, "An account was mapped for logon."},
		{4775, "An account could not be mapped for logon."},
		{4776, "The computer attempted to validate the credentials for an account."},
		{4777, "The domain controller failed to validate the credentials for an account."},
		{4778, "A session was reconnected to a Window Station."},
		{4779, "A session was disconnected from a Window Station."},
		{4780, "The ACL was set on accounts that are members of administrators groups."},
		{4781, "The name of an account was changed."},
		{4782, "The password hash of an account was accessed."},
		{4783, "A basic application group was created."},
		{4790, "An LDAP query group was created."},
		{4793, "The Password Policy Checking API was called."},
		{4794, "An attempt was made to set the Directory Services Restore Mode administrator password."},
		{4798, "A user's local group membership was enumerated."},
		{4799, "A security-enabled local group membership was enumerated."},
		{4800, "The workstation was locked."},
		{4801, "The workstation was unlocked."},
		{4802, "The screen saver was invoked."},
		{4803, "The screen saver was dismissed."},
		{4825, "A user was denied the access to Remote Desktop."},
		{4826, "Boot Configuration Data loaded."},
		{4876, "Certificate Services backup started."},
		{4886, "Certificate Services received a certificate request."},
		{4887, "Certificate Services approved a certificate request and issued a certificate."},
		{4888, "Certificate Services denied a certificate request."},
		{4898, "Certificate Services loaded a template."},
		{4899, "A Certificate Services template was updated."},
		{4900, "Certificate Services template security was updated."},
		{4902, "The Per-user audit policy table was created."},
		{4904, "An attempt was made to register a security event source."},
		{4905, "An attempt was made to unregister a security event source."},
		{4906, "The CrashOnAuditFail value has changed."},
		{4907, "Auditing settings on object were changed."},
		{4912, "Per User Audit Policy was changed."},
		{4946, "A change has been made to Windows Firewall exception list. A rule was added."},
		{4947, "A change has been made to Windows Firewall exception list. A rule was modified."},
		{4948, "A change has been made to Windows Firewall exception list. A rule was deleted."},
		{4950, "A Windows Firewall setting has changed."},
		{4964, "Special groups have been assigned to a new logon."},
		{5024, "The Windows Firewall Service has started successfully."},
		{5025, "The Windows Firewall Service has been stopped."},
		{5038, "Code integrity determined that the image hash of a file is not valid."},
		{5136, "A directory service object was modified."},
		{5137, "A directory service object was created."},
		{5138, "A directory service object was undeleted."},
		{5139, "A directory service object was moved."},
		{5140, "A network share object was accessed."},
		{5141, "A directory service object was deleted."},
		{5142, "A network share object was added."},
		{5143, "A network share object was modified."},
		{5144, "A network share object was deleted."},
		{5145, "A network share object was checked to see whether client can be granted desired access."},
		{5156, "The Windows Filtering Platform has permitted a connection."},
		{5157, "The Windows Filtering Platform has blocked a connection."},
		{5158, "The Windows Filtering Platform has permitted a bind to a local port."},
		{5376, "Credential Manager credentials were backed up."},
		{5377, "Credential Manager credentials were restored from a backup."},
		{5379, "Credential Manager credentials were read."},
		{5382, "Vault credentials were read."},
		{5441, "The following filter was present when the Windows Filtering Platform Base Filtering Engine started."},
		{5447, "A Windows Filtering Platform filter has been changed."},
		{5449, "A Windows Filtering Platform provider context has been changed."},
		{5712, "A Remote Procedure Call (RPC) was attempted."},
		{6281, "Code Integrity determined that the page hashes of an image file are not valid."},
		{6416, "A new external device was recognized by the System."},
		{6423, "The installation of this device is forbidden by system policy."},
		{6424, "The installation of this device was allowed, after having previously been forbidden by policy."},
	}},

	// Windows Server 2003 and earlier wrote these to the Security log under
	// the "Security" source; a few rules still match both generations.
	{"Security", "Security", "Security", []row{
		{517, "The audit log was cleared"},
		{528, "Successful Logon"},
		{529, "Logon Failure - Unknown user name or bad password"},
		{632, "Security Enabled Global Group Member Added"},
		{633, "Security Enabled Global Group Member Removed"},
		{634, "Security Enabled Global Group Deleted"},
		{675, "Pre-authentication failed"},
	}},

	// The event log service writes its own events into the log they are
	// about: 1102 is in Security but is not a Security-Auditing event.
	{"Microsoft-Windows-Eventlog", "Eventlog", "Security", []row{
		{1100, "The event logging service has shut down."},
		{1102, "The audit log was cleared."},
		{1104, "The security log is now full."},
		{1105, "Event log automatic backup."},
		{1108, "The event logging service encountered an error while processing an incoming event published from %1."},
	}},
	{"Microsoft-Windows-Eventlog", "Eventlog", "System", []row{
		{104, "The %1 log file was cleared."},
	}},

	{"Service Control Manager", "Service Control Manager", "System", []row{
		{7000, "The %1 service failed to start due to the following error: %2"},
		{7023, "The %1 service terminated with the following error: %2"},
		{7034, "The %1 service terminated unexpectedly. It has done this %2 time(s)."},
		{7035, "The %1 service was successfully sent a %2 control."},
		{7036, "The %1 service entered the %2 state."},
		{7040, "The start type of the %1 service was changed from %2 to %3."},
		{7045, "A service was installed in the system."},
	}},
	{"Application Popup", "Application Popup", "System", []row{
		{26, "Application popup: %1 : %2"},
	}},
	{"Microsoft-Windows-WER-SystemErrorReporting", "WER-SystemErrorReporting", "System", []row{
		{1001, "The computer has rebooted from a bugcheck."},
	}},

	{"MsiInstaller", "MsiInstaller", "Application", []row{
		{1033, "Windows Installer installed the product."},
		{1034, "Windows Installer removed the product."},
		{1040, "Beginning a Windows Installer transaction: %1."},
		{1042, "Ending a Windows Installer transaction: %1."},
		{11724, "Product: %1 -- Removal completed successfully."},
	}},
	{"Microsoft-Windows-ProcessExitMonitor", "ProcessExitMonitor", "Application", []row{
		{3000, "The process '%1' was terminated by the process '%2' with termination code %3."},
	}},
	{"Microsoft-Windows-IIS-W3SVC-WP", "IIS-W3SVC-WP", "Application", []row{
		{2282, "The Module DLL '%1' failed to load."},
	}},
	{"MSSQLSERVER", "MSSQLSERVER", "Application", []row{
		{8128, "Using '%1' version '%2' to execute extended stored procedure '%3'."},
		{15457, "Configuration option '%1' changed from %2 to %3. Run the RECONFIGURE statement to install."},
		{18456, "Login failed for user '%1'."},
		{33205, "Audit event: %1"},
	}},

	{"Microsoft-Windows-PowerShell", "PowerShell", "Microsoft-Windows-PowerShell/Operational", []row{
		{4103, "Executing Pipeline"},
		{4104, "Creating Scriptblock text (%1 of %2)"},
		{4105, "Started invocation of ScriptBlock ID: %1"},
		{4106, "Completed invocation of ScriptBlock ID: %1"},
	}},
	// PowerShell 7 writes the same events under its own provider.
	{"PowerShellCore", "PowerShellCore", "PowerShellCore/Operational", []row{
		{4103, "Executing Pipeline"},
		{4104, "Creating Scriptblock text (%1 of %2)"},
		{4105, "Started invocation of ScriptBlock ID: %1"},
		{4106, "Completed invocation of ScriptBlock ID: %1"},
	}},
	// Windows PowerShell 2.0–5.1 "classic" log.
	{"PowerShell", "Windows PowerShell", "Windows PowerShell", []row{
		{400, "Engine state is changed from %1 to %2."},
		{403, "Engine state is changed from %1 to %2."},
		{600, "Provider \"%1\" is %2."},
		{800, "Pipeline execution details for command line: %1."},
	}},

	{"Microsoft-Windows-Windows Defender", "Windows Defender", "Microsoft-Windows-Windows Defender/Operational", []row{
		{1000, "An antimalware scan started."},
		{1001, "An antimalware scan finished."},
		{1002, "An antimalware scan was stopped before it finished."},
		{1005, "An antimalware scan failed."},
		{1006, "The antimalware engine found malware or other potentially unwanted software."},
		{1007, "The antimalware platform performed an action to protect your system from malware or other potentially unwanted software."},
		{1008, "The antimalware platform attempted to perform an action to protect your system from malware or other potentially unwanted software, but the action failed."},
		{1009, "The antimalware platform restored an item from quarantine."},
		{1010, "The antimalware platform couldn't restore an item from quarantine."},
		{1011, "The antimalware platform deleted an item from quarantine."},
		{1012, "The antimalware platform couldn't delete an item from quarantine."},
		{1013, "The antimalware platform deleted history of malware and other potentially unwanted software."},
		{1014, "The antimalware platform couldn't delete history of malware and other potentially unwanted software."},
		{1015, "The antimalware platform detected suspicious behavior."},
		{1116, "The antimalware platform detected malware or other potentially unwanted software."},
		{1117, "The antimalware platform performed an action to protect your system from malware or other potentially unwanted software."},
		{1118, "The antimalware platform attempted to perform an action to protect your system from malware or other potentially unwanted software, but the action failed."},
		{1119, "The antimalware platform encountered a critical error when trying to take action on malware or other potentially unwanted software."},
		{1120, "Microsoft Defender Antivirus deduced the hashes for a threat resource."},
		{1121, "Event when an attack surface reduction rule fires in block mode."},
		{1122, "Event when an attack surface reduction rule fires in audit mode."},
		{1123, "Blocked controlled folder access event."},
		{1124, "Audited controlled folder access event."},
		{1125, "Event when network protection fires in audit mode."},
		{1126, "Event when network protection fires in block mode."},
		{1127, "Controlled Folder Access(CFA) blocked an untrusted process from making changes to the memory."},
		// 1129–1134 are not in the troubleshooting page: the manifest's words.
		{1129, "A user has allowed a blocked Microsoft Defender Exploit Guard operation."},
		{1131, "%1 has blocked an operation that your administrator doesn't allow."},
		{1132, "%1 has audited an operation."},
		{1133, "%1 has blocked an operation that your administrator doesn't allow."},
		{1134, "%1 has audited an operation."},
		{3002, "Real-time protection encountered an error and failed."},
		{3007, "Real-time protection recovered from a failure."},
		{5001, "Real-time protection is disabled."},
		{5007, "The antimalware platform configuration changed."},
		{5010, "Scanning for malware and other potentially unwanted software is disabled."},
		{5012, "Scanning for viruses is disabled."},
		{5013, "Tamper protection blocked a change to Microsoft Defender Antivirus."},
		{5101, "The antimalware platform is expired."},
	}},

	{"Microsoft-Windows-TaskScheduler", "TaskScheduler", "Microsoft-Windows-TaskScheduler/Operational", []row{
		{106, "User \"%2\" registered Task Scheduler task \"%1\""},
		{129, "Task Scheduler launch task \"%1\", instance \"%2\" with process ID %3."},
		{140, "User \"%2\" updated Task Scheduler task \"%1\""},
		{141, "User \"%2\" deleted Task Scheduler task \"%1\""},
		{142, "User \"%2\" disabled Task Scheduler task \"%1\""},
		{200, "Task Scheduler launched action \"%2\" in instance \"%3\" of task \"%1\"."},
		{201, "Task Scheduler successfully completed task \"%1\", instance \"%2\", action \"%3\" with return code %4."},
	}},

	{"Microsoft-Windows-WMI-Activity", "WMI-Activity", "Microsoft-Windows-WMI-Activity/Operational", []row{
		{5857, "%1 provider started with result code %2."},
		// 5858–5861 have no sentence, only their fields: the message is the title.
		{5858, "Id = %1; ClientMachine = %2; User = %3; ClientProcessId = %4; Component = %5; Operation = %6; ResultCode = %7; PossibleCause = %8"},
		{5859, "Namespace = %1; NotificationQuery = %2; OwnerName = %3; HostProcessID = %4; Provider= %5, queryID = %6; PossibleCause = %7"},
		{5860, "Namespace = %1; NotificationQuery = %2; UserName = %3; ClientProcessID = %4, ClientMachine = %5; PossibleCause = %6"},
		{5861, "Namespace = %1; Eventfilter = %2 (refer to its activate eventid:5859); Consumer = %3; PossibleCause = %4"},
	}},

	{"Microsoft-Windows-Bits-Client", "Bits-Client", "Microsoft-Windows-Bits-Client/Operational", []row{
		{3, "The BITS service created a new job."},
		{59, "BITS started the %2 transfer job that is associated with the %4 URL."},
		{60, "BITS stopped transferring the %2 transfer job that is associated with the %4 URL."},
	}},

	{"Microsoft-Windows-DNS-Client", "DNS-Client", "Microsoft-Windows-DNS Client Events/Operational", []row{
		{3008, "DNS query is completed for the name %1, type %2, query options %3 with status %4 Results %5"},
	}},

	{"Microsoft-Windows-AppLocker", "AppLocker", "Microsoft-Windows-AppLocker/EXE and DLL", []row{
		{8002, "<File name> was allowed to run."},
		{8003, "<File name> was allowed to run but would have been prevented from running if the AppLocker policy were enforced."},
		{8004, "<File name> was not allowed to run."},
		{8028, "<File name> was allowed to run but would have been prevented if the Config CI policy were enforced."},
		{8029, "<File name> was prevented from running due to Config CI policy."},
	}},
	{"Microsoft-Windows-AppLocker", "AppLocker", "Microsoft-Windows-AppLocker/MSI and Script", []row{
		{8005, "<File name> was allowed to run."},
		{8006, "<File name> was allowed to run but would have been prevented from running if the AppLocker policy were enforced."},
		{8007, "<File name> was not allowed to run."},
	}},
	{"Microsoft-Windows-AppLocker", "AppLocker", "Microsoft-Windows-AppLocker/Packaged app-Execution", []row{
		{8020, "Packaged app allowed."},
		{8021, "Packaged app audited."},
		{8022, "Packaged app disabled."},
	}},
	{"Microsoft-Windows-AppLocker", "AppLocker", "Microsoft-Windows-AppLocker/Packaged app-Deployment", []row{
		{8023, "Packaged app installation allowed."},
		{8024, "Packaged app installation audited."},
		{8025, "Packaged app installation disabled."},
	}},

	{"Microsoft-Windows-NTLM", "NTLM", "Microsoft-Windows-NTLM/Operational", []row{
		{8001, "NTLM client blocked audit: Audit outgoing NTLM authentication traffic that would be blocked."},
		{8002, "NTLM server blocked audit: Audit Incoming NTLM Traffic that would be blocked"},
		{8003, "NTLM server blocked in the domain audit: Audit NTLM authentication in this domain"},
		{8004, "Domain Controller Blocked Audit: Audit NTLM authentication to this domain controller."},
	}},

	{"Microsoft-Windows-TerminalServices-RemoteConnectionManager", "TerminalServices-RemoteConnectionManager", "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational", []row{
		{1149, "Remote Desktop Services: User authentication succeeded"},
	}},
	{"Microsoft-Windows-TerminalServices-LocalSessionManager", "TerminalServices-LocalSessionManager", "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", []row{
		{21, "Remote Desktop Services: Session logon succeeded"},
		{22, "Remote Desktop Services: Shell start notification received"},
		{23, "Remote Desktop Services: Session logoff succeeded"},
		{24, "Remote Desktop Services: Session has been disconnected"},
		{25, "Remote Desktop Services: Session reconnection succeeded"},
	}},

	{"Microsoft-Windows-PrintService", "PrintService", "Microsoft-Windows-PrintService/Admin", []row{
		{316, "Printer driver %1 for %2 %3 was added or updated."},
		{808, "The print spooler failed to load a plug-in module %1, error code %2."},
	}},

	// Windows 11 22H2 replaced 2004–2006 and 2033/2032 by 2071/2073/2052
	// and 2059/2060 (same messages, one more field); 2097 is newer still.
	{"Microsoft-Windows-Windows Firewall With Advanced Security", "Windows Firewall With Advanced Security", "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall", []row{
		{2002, "A Windows Defender Firewall setting has changed."},
		{2003, "A Windows Defender Firewall setting in the %1 profile has changed."},
		{2004, "A rule has been added to the Windows Defender Firewall exception list."},
		{2005, "A rule has been modified in the Windows Defender Firewall exception list."},
		{2006, "A rule has been deleted in the Windows Defender Firewall exception list."},
		{2008, "Windows Defender Firewall Group Policy settings have changed. The new settings have been applied"},
		{2009, "The Windows Defender Firewall service failed to load Group Policy."},
		{2032, "Windows Defender Firewall has been reset to its default configuration."},
		{2033, "All rules have been deleted from the Windows Defender Firewall configuration on this computer."},
		{2052, "A rule has been deleted in the Windows Defender Firewall exception list."},
		{2059, "All rules have been deleted from the Windows Defender Firewall configuration on this computer."},
		{2060, "Windows Defender Firewall has been reset to its default configuration."},
		{2071, "A rule has been added to the Windows Defender Firewall exception list."},
		{2073, "A rule has been modified in the Windows Defender Firewall exception list."},
		{2082, "A Windows Defender Firewall setting in the {Profiles} profile has changed."},
		{2083, "A Windows Defender Firewall setting has changed."},
		{2097, "A rule has been added to the Windows Defender Firewall exception list."},
	}},

	// Insertion strings appear as the field names the manifest gives them.
	{"Microsoft-Windows-CodeIntegrity", "CodeIntegrity", "Microsoft-Windows-CodeIntegrity/Operational", []row{
		{3001, "Code Integrity determined an unsigned kernel module {FileNameBuffer} is loaded into the system."},
		{3004, "Windows is unable to verify the image integrity of the file {FileNameBuffer} because file hash could not be found on the system."},
		{3021, "Code Integrity determined a revoked kernel module {FileNameBuffer} is loaded into the system."},
		{3022, "Code Integrity determined a revoked kernel module {FileNameBuffer} is loaded into the system. The image is allowed to load because kernel mode debugger is attached."},
		{3023, "The driver {FileNameBuffer} is blocked from loading as the driver has been revoked by Microsoft."},
		{3032, "Code Integrity determined a revoked image {FileNameBuffer} is loaded into the system."},
		{3033, "Code Integrity determined that a process ({ProcessNameBuffer}) attempted to load {FileNameBuffer} that did not meet the {RequestedPolicy} signing level requirements."},
		{3034, "Code Integrity determined that a process ({ProcessNameBuffer}) attempted to load {FileNameBuffer} that did not meet the {RequestedPolicy} signing level requirements or violated code integrity policy. However, due to code integrity auditing policy, the image was allowed to load."},
		{3035, "Code Integrity determined a revoked image {FileNameBuffer} is loaded into the system. The image is allowed to load because kernel mode debugger is attached."},
		{3036, "Windows is unable to verify the integrity of the file {FileNameBuffer} because the signing certificate has been revoked."},
		{3037, "Code Integrity determined an unsigned image {FileNameBuffer} is loaded into the system."},
		{3076, "Code Integrity determined that a process ({Process Name}) attempted to load {File Name} that did not meet the {Requested Signing Level} signing level requirements or violated code integrity policy. However, due to code integrity auditing policy, the image was allowed to load."},
		{3077, "Code Integrity determined that a process ({Process Name}) attempted to load {File Name} that did not meet the {Requested Signing Level} signing level requirements or violated code integrity policy."},
		{3082, "Code Integrity determined kernel module {FileNameBuffer} that did not meet the WHQL requirements is loaded into the system. However, due to code integrity auditing policy, the image was allowed to load."},
		{3083, "Code Integrity determined kernel module {FileNameBuffer} that did not meet the WHQL requirements is loaded into the system."},
		{3089, "Signature information for another event."},
		{3099, "Refreshed and activated Code Integrity policy {TypeOfPolicy} {PolicyNameBuffer}."},
		{3104, "Windows blocked file {FileNameBuffer} which has been disallowed for protected processes."},
	}},

	{"Microsoft-Windows-AppXDeployment-Server", "AppXDeployment-Server", "Microsoft-Windows-AppXDeploymentServer/Operational", []row{
		{400, "Deployment %1 operation with target volume %4 on Package %2 from: %3 finished successfully."},
		{401, "Deployment %1 operation with target volume %5 on Package %2 from: %3 failed with error %4."},
		{412, "error %2: Deployment of package %1 was blocked by AppLocker."},
		{441, "The package deployment operation is blocked by the \"Allow deployment operations in special profiles\" policy."},
		{442, "Deployment of package %1 to volume %2 failed because deployments to non-system volumes are blocked by the \"Disable deployment of Windows Store apps to non-system volumes\" policy."},
		{453, "Package %1 is blocked by a platform policy: %2."},
		{454, "Package %1 is blocked by a platform policy: %2."},
		{603, "Started deployment %1 operation on a package with main parameter %2 and Options %3 and %4."},
	}},

	{"Microsoft-Windows-Security-Mitigations", "Security-Mitigations", "Microsoft-Windows-Security-Mitigations/Kernel Mode", []row{
		{11, "Process '%2' (PID %5) would have been blocked from loading the non-Microsoft-signed binary '%16'."},
		{12, "Process '%2' (PID %5) was blocked from loading the non-Microsoft-signed binary '%16'."},
	}},

	// The Kerberos KDC writes to System.
	{"Microsoft-Windows-Kerberos-Key-Distribution-Center", "Kerberos-Key-Distribution-Center", "System", []row{
		{16, "While processing a TGS request for the target server %1, the account %2 did not have a suitable key for generating a Kerberos ticket (the missing key has an ID of %3)."},
		{27, "While processing a TGS request for the target server %1, the account %2 did not have a suitable key for generating a Kerberos ticket (the missing key has an ID of %3)."},
		{35, "The Key Distribution Center (KDC) encountered a ticket-granting-ticket (TGT) from another KDC (%1) that did not contain a PAC attributes field."},
		{36, "The Key Distribution Center (KDC) encountered a ticket that did not contain a PAC while processing a request for another ticket."},
		{37, "The Key Distribution Center (KDC) encountered a ticket that did not contain information about the account that requested the ticket while processing a request for another ticket."},
		{38, "The Key Distribution Center (KDC) encountered a ticket that contained inconsistent information about the account that requested the ticket."},
		{39, "The Key Distribution Center (KDC) encountered a user certificate that was valid but could not be mapped to a user in a secure way (such as via explicit mapping, key trust mapping, or a SID)."},
		{41, "The Key Distribution Center (KDC) encountered a user certificate that was valid but contained a different SID than the user to which it mapped."},
		{42, "The Kerberos Key Distribution Center lacks strong keys for account %1."},
	}},

	{"Microsoft-IIS-Configuration", "IIS-Configuration", "Microsoft-IIS-Configuration/Operational", []row{
		{29, "Changes to '%1' at '%2' have successfully been committed."},
	}},
}

// catalog is blocks flattened into events; idx indexes it.
var catalog, idx = buildCatalog(blocks)

type index struct {
	// byName maps every lower-cased provider, short and channel name to
	// the catalog positions of its events.
	byName map[string][]int
	// byID maps an event id to the catalog positions of all events with it.
	byID map[int][]int
}

func buildCatalog(bs []block) ([]Event, index) {
	var evs []Event
	ix := index{byName: map[string][]int{}, byID: map[int][]int{}}
	for _, b := range bs {
		for _, r := range b.Events {
			i := len(evs)
			evs = append(evs, Event{Provider: b.Provider, Short: b.Short, Channel: b.Channel, ID: r.ID, Title: r.Title})
			names := map[string]bool{}
			for _, n := range []string{b.Provider, b.Short, b.Channel} {
				n = normalizeName(n)
				if !names[n] {
					names[n] = true
					ix.byName[n] = append(ix.byName[n], i)
				}
			}
			ix.byID[r.ID] = append(ix.byID[r.ID], i)
		}
	}
	return evs, ix
}

// onChannel returns the catalog events with the id written to the channel.
func onChannel(channel string, id int) []Event {
	var out []Event
	for _, i := range idx.byID[id] {
		if equalFold(catalog[i].Channel, channel) {
			out = append(out, catalog[i])
		}
	}
	return out
}

// ofProvider returns the catalog events with the id written by a provider
// (full or short name), on any channel.
func ofProvider(provider string, id int) []Event {
	var out []Event
	for _, i := range idx.byID[id] {
		if equalFold(catalog[i].Provider, provider) || equalFold(catalog[i].Short, provider) {
			out = append(out, catalog[i])
		}
	}
	return out
}
