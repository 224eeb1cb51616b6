package events

// Coverage over the shared corpus (skipped when ../shared is absent). Run
// with -v to read the report: which data sources and logsources map to no
// event, and which event ids the rules use that the catalog lacks.

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"

	"ruledex/internal/sharedtest"
)

// uncatalogued collects events the rules need that the catalog lacks.
type uncatalogued map[string]int

func (u uncatalogued) note(evs []Event) {
	for _, e := range evs {
		if !e.Known() {
			where := e.Channel
			if where == "" || where == "System" || where == "Application" {
				where = strings.TrimSpace(where + " " + e.Provider)
			}
			u[fmt.Sprintf("%s %d", where, e.ID)]++
		}
	}
}

func (u uncatalogued) report(t *testing.T, what string) {
	keys := make([]string, 0, len(u))
	for k := range u {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("%s: %d event ids the catalog lacks: %s", what, len(keys), strings.Join(keys, "; "))
}

// notEventLog are ESCU data sources whose source field names a Windows
// event log although the data is something else.
var notEventLog = map[string]string{
	"PingID": "its source says XmlWinEventLog:Security, its fields are PingID JSON",
}

// eventLogOtherwise are ESCU data sources that are event log events though
// their source field does not say WinEventLog.
var eventLogOtherwise = map[string]bool{
	"Windows IIS 29": true, // source IIS:Configuration:Operational is Microsoft-IIS-Configuration/Operational
}

func TestCorpusESCUDataSources(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "splunk")
	files, _ := filepath.Glob(filepath.Join(root, "data_sources", "*.yml"))
	var windows, other []string
	missing := uncatalogued{}
	for _, f := range files {
		var ds struct{ Name, Source string }
		readYAML(t, f, &ds)
		evs := ForDataSource(ds.Name)
		missing.note(evs)
		isEventLog := strings.Contains(strings.ToLower(ds.Source), "wineventlog:") || eventLogOtherwise[ds.Name]
		switch {
		case isEventLog && notEventLog[ds.Name] != "":
			other = append(other, ds.Name+" ("+notEventLog[ds.Name]+")")
		case isEventLog && len(evs) == 0:
			t.Errorf("data source %q (source %s) maps to no event", ds.Name, ds.Source)
		case !isEventLog && len(evs) > 0:
			t.Errorf("data source %q (source %s) is not an event log but maps to %s", ds.Name, ds.Source, events(evs))
		case len(evs) > 0:
			windows = append(windows, ds.Name)
		default:
			other = append(other, ds.Name)
		}
	}
	t.Logf("data_sources/: %d files, %d Windows event log sources mapped, %d others", len(files), len(windows), len(other))
	t.Logf("not Windows event logs: %s", strings.Join(other, "; "))

	// The names detections use, some of them not in data_sources/.
	used := map[string]int{}
	walk(t, filepath.Join(root, "detections"), ".yml", func(path string, b []byte) {
		var d struct {
			DataSource []string `yaml:"data_source"`
		}
		if yaml.Unmarshal(b, &d) != nil {
			return
		}
		for _, n := range d.DataSource {
			used[n]++
		}
	})
	var mapped, unmapped int
	var unmappedNames []string
	for n, c := range used {
		evs := ForDataSource(n)
		missing.note(evs)
		if len(evs) > 0 {
			mapped += c
		} else {
			unmapped += c
			if looksWindows(n) {
				unmappedNames = append(unmappedNames, n)
			}
		}
	}
	sort.Strings(unmappedNames)
	t.Logf("detections: %d distinct data_source names, %d uses map to events, %d uses are not Windows events", len(used), mapped, unmapped)
	if len(unmappedNames) > 0 {
		t.Logf("Windows-looking names with no event: %s", strings.Join(unmappedNames, "; "))
	}
	missing.report(t, "ESCU data sources")
}

func looksWindows(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "windows") || strings.Contains(l, "sysmon") || strings.Contains(l, "powershell")
}

// splunkMacroChannels maps the ESCU source macros to their channels, to
// check the EventCode values the searches test.
var splunkMacroChannels = map[string]string{
	"wineventlog_security":          "Security",
	"wineventlog_system":            "System",
	"wineventlog_application":       "Application",
	"wineventlog_task_scheduler":    "Microsoft-Windows-TaskScheduler/Operational",
	"sysmon":                        "Microsoft-Windows-Sysmon/Operational",
	"powershell":                    "Microsoft-Windows-PowerShell/Operational",
	"ms_defender":                   "Microsoft-Windows-Windows Defender/Operational",
	"wmi":                           "Microsoft-Windows-WMI-Activity/Operational",
	"printservice":                  "Microsoft-Windows-PrintService/Admin",
	"remoteconnectionmanager":       "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational",
	"capi2_operational":             "Microsoft-Windows-CAPI2/Operational",
	"certificateservices_lifecycle": "Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational",
}

var (
	splunkMacroRe = regexp.MustCompile("`(\\w+)`")
	eventCodeRe   = regexp.MustCompile(`(?i)\bEvent(?:Code|ID)\s*(?:=\s*"?(\d+)|IN\s*\(([^)]*)\))`)
	numberRe      = regexp.MustCompile(`\d+`)
)

// The searches' own EventCode tests, read crudely (this is a measurement;
// the SPL parser does it properly).
func TestCorpusESCUSearchEventCodes(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "splunk", "detections")
	missing := uncatalogued{}
	var total, known int
	walk(t, root, ".yml", func(path string, b []byte) {
		var d struct{ Search string }
		if yaml.Unmarshal(b, &d) != nil {
			return
		}
		macros := splunkMacroRe.FindAllStringSubmatchIndex(d.Search, -1)
		for _, m := range eventCodeRe.FindAllStringSubmatch(d.Search, -1) {
			// The source macro nearest before the test names its log.
			at := strings.Index(d.Search, m[0])
			channel := ""
			for _, mm := range macros {
				if mm[0] > at {
					break
				}
				if c, ok := splunkMacroChannels[d.Search[mm[2]:mm[3]]]; ok {
					channel = c
				}
			}
			ch, ok := channelByName(channel)
			if !ok {
				continue
			}
			for _, n := range numberRe.FindAllString(m[1]+" "+m[2], -1) {
				var id int
				fmt.Sscan(n, &id)
				evs := eventOn(ch, "", id)
				if ch.Channel == "System" && !evs[0].Known() {
					evs = onChannel("Security", id) // ESCU's System 4720
					if len(evs) == 0 {
						evs = eventOn(ch, "", id)
					}
				}
				total++
				if evs[0].Known() {
					known++
				}
				missing.note(evs)
			}
		}
	})
	t.Logf("EventCode tests in ESCU searches: %d, %d on catalog events", total, known)
	missing.report(t, "ESCU searches")
}

func TestCorpusSigmaLogsources(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "sigma")
	type tally struct{ rules, mapped int }
	byLogsource := map[string]*tally{}
	missing := uncatalogued{}
	var windowsRules, mappedRules int
	walk(t, root, ".yml", func(path string, b []byte) {
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); err != nil {
				return
			}
			ls, _ := doc["logsource"].(map[string]any)
			det, _ := doc["detection"].(map[string]any)
			if ls == nil || det == nil {
				continue
			}
			product, category, service := str(ls["product"]), str(ls["category"]), str(ls["service"])
			if product != "windows" {
				if evs := ForLogsource(product, category, service); len(evs) > 0 {
					t.Errorf("%s: product %q gave Windows events %s", path, product, events(evs))
				}
				continue
			}
			fv := map[string][]string{}
			collectFields(det, fv, "EventID", "Provider_Name", "Channel")
			evs := ForSigmaRule(product, category, service, fv)
			missing.note(evs)
			k := category
			if k == "" {
				k = "service:" + service
			}
			if byLogsource[k] == nil {
				byLogsource[k] = &tally{}
			}
			byLogsource[k].rules++
			windowsRules++
			if len(evs) > 0 {
				byLogsource[k].mapped++
				mappedRules++
			}
			if _, isCat := windowsCategories[category]; isCat && category != "file_access" && category != "file_rename" && len(evs) == 0 {
				t.Errorf("%s: category %s gave no events", path, category)
			}
			if len(LogsourceConditions(product, category, service)) == 0 {
				t.Errorf("%s: windows logsource %s/%s has no conditions", path, category, service)
			}
		}
	})
	var none []string
	for k, v := range byLogsource {
		if v.mapped < v.rules {
			none = append(none, fmt.Sprintf("%s %d/%d", k, v.rules-v.mapped, v.rules))
		}
	}
	sort.Strings(none)
	t.Logf("windows rules: %d, %d map to events, %d to none", windowsRules, mappedRules, windowsRules-mappedRules)
	t.Logf("logsources with rules that map to no event (unmapped/rules): %s", strings.Join(none, "; "))
	missing.report(t, "Sigma rules")
}

// collectFields gathers the values of the named fields anywhere in a Sigma
// detection ("EventID|contains" counts as EventID).
func collectFields(v any, into map[string][]string, names ...string) {
	switch v := v.(type) {
	case map[string]any:
		for k, sub := range v {
			base, _, _ := strings.Cut(k, "|")
			if containsString(names, base) {
				switch s := sub.(type) {
				case []any:
					for _, x := range s {
						into[base] = append(into[base], str(x))
					}
				default:
					into[base] = append(into[base], str(s))
				}
				continue
			}
			collectFields(sub, into, names...)
		}
	case []any:
		for _, sub := range v {
			collectFields(sub, into, names...)
		}
	}
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

var (
	eqlCategoryRe = regexp.MustCompile(`(?m)^\s*(?:\[\s*)?([a-z_]+)\s+where\b`)
	ecsValueRe    = regexp.MustCompile(`\b(event\.(?:code|category|type|action|dataset|provider)|winlog\.channel|data_stream\.dataset)\s*(?::|==|\s+in|:\s*\()\s*\(?\s*((?:"[^"]*"|[\w.*-]+)(?:\s*(?:,|or|OR)\s*(?:"[^"]*"|[\w.*-]+))*)`)
	ecsItemRe     = regexp.MustCompile(`"([^"]*)"|([\w.*-]+)`)
)

func TestCorpusElastic(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "elastic")
	var total, winRules, winMapped, described, nothing int
	var nothingSample []string
	missingCodes := map[string]int{}
	walk(t, root, ".toml", func(path string, b []byte) {
		var d struct {
			Metadata struct{ Integration any } `toml:"metadata"`
			Rule     struct {
				Index []string
				Query string
			} `toml:"rule"`
		}
		if err := toml.Unmarshal(b, &d); err != nil {
			return
		}
		var integrations []string
		switch in := d.Metadata.Integration.(type) {
		case string:
			integrations = []string{in}
		case []any:
			for _, x := range in {
				integrations = append(integrations, str(x))
			}
		}
		if len(d.Rule.Index) == 0 && len(integrations) == 0 {
			return // hunting queries and ES|QL rules name their data in the query
		}
		total++
		fv := map[string][]string{}
		for _, m := range eqlCategoryRe.FindAllStringSubmatch(d.Rule.Query, -1) {
			fv["event.category"] = append(fv["event.category"], m[1])
		}
		for _, m := range ecsValueRe.FindAllStringSubmatch(d.Rule.Query, -1) {
			for _, it := range ecsItemRe.FindAllStringSubmatch(m[2], -1) {
				v := it[1] + it[2]
				if v != "or" && v != "OR" {
					fv[m[1]] = append(fv[m[1]], v)
				}
			}
		}
		evs, descs := ForElastic(d.Rule.Index, integrations, fv)
		isWin := false
		for _, i := range d.Rule.Index {
			k, _ := indexKey(i)
			isWin = isWin || k == "winlogbeat" || strings.HasPrefix(k, "windows") || strings.HasPrefix(k, "system.security") || strings.HasPrefix(k, "system.system")
		}
		if isWin {
			winRules++
			if len(evs) > 0 {
				winMapped++
			} else if os.Getenv("EVENTS_DEBUG") != "" {
				t.Logf("no events: %s %v %v", filepath.Base(path), d.Rule.Index, fv)
			}
			for _, c := range intValues(fv["event.code"]) {
				if len(idx.byID[c]) == 0 {
					missingCodes[fmt.Sprint(c)]++
				}
			}
		}
		if len(descs) > 0 {
			described++
		}
		if len(evs) == 0 && len(descs) == 0 {
			nothing++
			if len(nothingSample) < 10 {
				nothingSample = append(nothingSample, fmt.Sprintf("%s %v %v", filepath.Base(path), d.Rule.Index, integrations))
			}
		}
	})
	t.Logf("elastic rules with index or integration: %d; on Windows event log indexes: %d, %d of them map to events; %d have descriptions; %d have neither",
		total, winRules, winMapped, described, nothing)
	if len(nothingSample) > 0 {
		t.Logf("neither, e.g.: %s", strings.Join(nothingSample, "; "))
	}
	var codes []string
	for c := range missingCodes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	t.Logf("event.code values on Windows indexes the catalog lacks: %s", strings.Join(codes, ", "))
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func walk(t *testing.T, root, ext string, fn func(path string, b []byte)) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ext) {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fn(path, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkCorpus maps every ESCU data source name, Sigma windows
// logsource and Elastic index list of the corpus once per iteration.
func BenchmarkCorpus(b *testing.B) {
	root := sharedtest.Path(b, "corpus")
	t := &testing.T{}
	var names []string
	walk(t, filepath.Join(root, "splunk", "detections"), ".yml", func(path string, bs []byte) {
		var d struct {
			DataSource []string `yaml:"data_source"`
		}
		if yaml.Unmarshal(bs, &d) == nil {
			names = append(names, d.DataSource...)
		}
	})
	type sigmaIn struct {
		product, category, service string
		fv                         map[string][]string
	}
	var sigmas []sigmaIn
	walk(t, filepath.Join(root, "sigma"), ".yml", func(path string, bs []byte) {
		var doc map[string]any
		if yaml.Unmarshal(bs, &doc) != nil {
			return
		}
		ls, _ := doc["logsource"].(map[string]any)
		if ls == nil {
			return
		}
		fv := map[string][]string{}
		collectFields(doc["detection"], fv, "EventID", "Provider_Name", "Channel")
		sigmas = append(sigmas, sigmaIn{str(ls["product"]), str(ls["category"]), str(ls["service"]), fv})
	})
	type elasticIn struct {
		index []string
		fv    map[string][]string
	}
	var elastics []elasticIn
	walk(t, filepath.Join(root, "elastic"), ".toml", func(path string, bs []byte) {
		var d struct {
			Rule struct {
				Index []string
				Query string
			} `toml:"rule"`
		}
		if err := toml.Unmarshal(bs, &d); err != nil {
			return
		}
		fv := map[string][]string{}
		for _, m := range ecsValueRe.FindAllStringSubmatch(d.Rule.Query, -1) {
			fv[m[1]] = append(fv[m[1]], strings.Trim(m[2], `"`))
		}
		for _, m := range eqlCategoryRe.FindAllStringSubmatch(d.Rule.Query, -1) {
			fv["event.category"] = append(fv["event.category"], m[1])
		}
		elastics = append(elastics, elasticIn{d.Rule.Index, fv})
	})
	b.Logf("%d data source names, %d sigma logsources, %d elastic rules per iteration", len(names), len(sigmas), len(elastics))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, n := range names {
			ForDataSource(n)
		}
		for _, s := range sigmas {
			ForSigmaRule(s.product, s.category, s.service, s.fv)
			LogsourceConditions(s.product, s.category, s.service)
		}
		for _, e := range elastics {
			ForElastic(e.index, nil, e.fv)
		}
	}
}
