package sigma

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ruledex/internal/rule"
)

// readFixture loads testdata/ruleset once per test and indexes it by id.
func readFixture(t *testing.T) map[string]*rule.Rule {
	t.Helper()
	res, err := Reader{}.Read(filepath.Join("testdata", "ruleset"))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*rule.Rule{}
	for _, r := range res.Rules {
		if byID[r.ID] != nil {
			t.Errorf("two rules with id %s", r.ID)
		}
		byID[r.ID] = r
	}
	return byID
}

func mustRule(t *testing.T, rules map[string]*rule.Rule, id string) *rule.Rule {
	t.Helper()
	r := rules[id]
	if r == nil {
		t.Fatalf("no rule %s", id)
	}
	return r
}

func hasLink(r *rule.Rule, rel, id string) bool {
	for _, l := range r.Links {
		if l.Relation == rel && l.ID == id && l.Source == "sigma" {
			return true
		}
	}
	return false
}

func TestReadLinks(t *testing.T) {
	rules := readFixture(t)
	const (
		failed   = "5638f7c0-ac70-491d-8465-2a65075e0d86"
		success  = "successful_logon" // no id: the name stands in
		count    = "0e95725d-7320-415d-80f7-004da920fc11"
		temporal = "b9f0c3e2-1d4a-4f6b-9b8e-3c2d1e0f9a87"
		filter   = "7b5c2d1e-8f9a-4b3c-a2d1-e0f9a8b7c6d5"
		rar      = "6f3e2987-db24-4c78-a860-b4f4095a7095"
	)
	tests := []struct {
		from, rel, to string
	}{
		{count, "correlates", failed},
		{failed, "correlated-by", count},
		{temporal, "correlates", failed}, // referenced by name
		{temporal, "correlates", success},
		{failed, "correlated-by", temporal},
		{success, "correlated-by", temporal},
		{temporal, "correlates", "missing_rule"},
		{filter, "filters", rar},
		{rar, "filtered-by", filter},
		{rar, "derived", "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"},
		{rar, "obsolete", "1a2b3c4d-0000-4000-8000-000000000001"}, // Sigma 1 "obsoletes"
	}
	for _, tt := range tests {
		if r := mustRule(t, rules, tt.from); !hasLink(r, tt.rel, tt.to) {
			t.Errorf("%s: no %s link to %s; links %+v", tt.from, tt.rel, tt.to, r.Links)
		}
	}
	tr := rules[temporal]
	if len(tr.Problems) != 1 || !strings.Contains(tr.Problems[0].Message, "`missing_rule`") || tr.Problems[0].Line != 43 {
		t.Errorf("unresolved reference problem: %+v", tr.Problems)
	}
}

func TestReadCorrelation(t *testing.T) {
	rules := readFixture(t)
	r := mustRule(t, rules, "0e95725d-7320-415d-80f7-004da920fc11")
	if r.Type != "correlation" || r.Line != 24 || r.Path != "correlations/mr_failed_logins.yml" || len(r.Problems) > 0 {
		t.Fatalf("correlation rule: type %q line %d path %q problems %v", r.Type, r.Line, r.Path, r.Problems)
	}
	if !strings.HasPrefix(r.Body, "title: Many Failed Logons") || strings.Contains(r.Body, "---") {
		t.Errorf("body is not the document's text: %q", r.Body)
	}
	if len(r.Stages) != 1 {
		t.Fatalf("%d stages", len(r.Stages))
	}
	st := r.Stages[0]
	if st.Command != "correlation" || st.Role != rule.RoleAggregate || st.Expr != nil {
		t.Errorf("stage: %+v", st)
	}
	var attrs []string
	for _, a := range st.Attrs {
		attrs = append(attrs, a.Name+"="+a.Value)
	}
	if got, want := strings.Join(attrs, "; "), "type=event_count; rules=5638f7c0-ac70-491d-8465-2a65075e0d86; group-by=ComputerName; timespan=1h; condition=gte 100"; got != want {
		t.Errorf("attrs = %s, want %s", got, want)
	}
	c := r.Sigma.Correlation
	if c.Type != "event_count" || c.Timespan != "1h" || len(c.GroupBy) != 1 || c.Condition[0] != (rule.Attr{Name: "gte", Value: "100"}) {
		t.Errorf("correlation meta: %+v", c)
	}
	tmp := mustRule(t, rules, "b9f0c3e2-1d4a-4f6b-9b8e-3c2d1e0f9a87").Sigma.Correlation
	if tmp.Generate != "true" || len(tmp.Aliases) != 1 || tmp.Aliases[0].Alias != "user" || len(tmp.Aliases[0].Fields) != 2 {
		t.Errorf("temporal correlation meta: %+v", tmp)
	}
	base := mustRule(t, rules, "successful_logon")
	if base.Line != 14 || base.Sigma.Name != "successful_logon" {
		t.Errorf("base rule line %d name %q", base.Line, base.Sigma.Name)
	}
}

func TestReadFilter(t *testing.T) {
	rules := readFixture(t)
	r := mustRule(t, rules, "7b5c2d1e-8f9a-4b3c-a2d1-e0f9a8b7c6d5")
	if r.Type != "filter" || len(r.Problems) > 0 || len(r.Stages) != 1 {
		t.Fatalf("filter: type %q problems %v stages %d", r.Type, r.Problems, len(r.Stages))
	}
	st := r.Stages[0]
	if st.Command != "filter" || st.Role != rule.RoleFilter || st.Attrs[0] != (rule.Attr{Name: "rules", Value: "6f3e2987-db24-4c78-a860-b4f4095a7095"}) {
		t.Errorf("stage: %+v", st)
	}
	// An exclusion filter says `condition: not selection`: its indicators are negated.
	if got := strings.Join(indicatorsOf(r), ";"); got != "User starts_with adm_ !" {
		t.Errorf("indicators = %s", got)
	}
	if r.Query != "filter:\n    rules:\n        - 6f3e2987-db24-4c78-a860-b4f4095a7095\n    selection:\n        User|startswith: 'adm_'\n    condition: not selection" {
		t.Errorf("query = %q", r.Query)
	}
}

func TestReadDetectionRule(t *testing.T) {
	rules := readFixture(t)
	r := mustRule(t, rules, "6f3e2987-db24-4c78-a860-b4f4095a7095")
	if len(r.Problems) > 0 {
		t.Fatal(r.Problems)
	}
	var labels []string
	for _, s := range r.Stages {
		labels = append(labels, s.Label)
	}
	if got := strings.Join(labels, "|"); got != "selection|not 1 of filter_*" {
		t.Errorf("stages = %s", got)
	}
	want := []string{`Image ends_with \rar.exe`, "CommandLine contains  a ", "User contains AUTHORI !", "User contains AUTORI !",
		`ParentImage eq C:\Program Files\Backup\agent.exe !`}
	if got := indicatorsOf(r); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checks := []struct{ name, got, want string }{
		{"name", r.Name, "Data Compressed With Rar"},
		{"type", r.Type, "detection"},
		{"language", r.Language, "sigma"},
		{"status", r.Status, "stable"},
		{"author", r.Author, "Fixture Author"},
		{"created", r.Created, "2019-10-15"},
		{"modified", r.Modified, "2024-01-02"},
		{"severity", r.Severity, "low"},
		{"description", r.Description, "Detects rar compressing files"},
		{"references", strings.Join(r.References, ","), "https://example.com/rar"},
		{"falsepositives", strings.Join(r.FalsePositives, ","), "Backup software"},
		{"data sources", strings.Join(r.DataSources, ","), "windows/process_creation"},
		{"definition", r.Sigma.Logsource.Definition, "Requirements: command line logging"},
		{"fields", strings.Join(r.Sigma.Fields, ","), "CommandLine"},
		{"regression", r.Sigma.RegressionTestsPath, "regression_data/rules/windows/rar/info.yml"},
		{"simulation", r.Sigma.Simulation[0]["atomic_guid"], "02ea31cb-3b4c-4a2d-9bf1-e4e70ebcf5d0"},
		{"custom", r.Sigma.Custom[0].Name + "=" + r.Sigma.Custom[0].Value, "custom_field=kept"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if r.Stages[0].Line != 37 || r.Stages[1].Line != 37 {
		t.Errorf("stage lines %d, %d, want 37", r.Stages[0].Line, r.Stages[1].Line)
	}
	var refs []string
	for _, a := range r.AttackRefs {
		refs = append(refs, a.Kind+":"+a.ID+":"+a.Written)
	}
	if got, want := strings.Join(refs, " "), "tactic:collection:attack.collection tactic:defense-evasion:attack.defense_evasion "+
		"technique:T1560.001:attack.t1560.001 group:G0016:attack.g0016 software:S0190:attack.s0190 tactic:TA0009:attack.ta0009"; got != want {
		t.Errorf("attack refs:\n%s\nwant:\n%s", got, want)
	}
	body, _ := os.ReadFile(filepath.Join("testdata", "ruleset", "windows", "proc_creation_win_rar_compress.yml"))
	if r.Body != string(body) || r.Line != 1 {
		t.Errorf("body/line of a single-document file: line %d", r.Line)
	}
}

func TestReadModifiers(t *testing.T) {
	rules := readFixture(t)
	r := mustRule(t, rules, "11111111-2222-4333-8444-555555555555")
	if len(r.Problems) > 0 {
		t.Fatal(r.Problems)
	}
	want := []string{
		"CommandLine contains  -enc ", "CommandLine contains  /enc ", "CommandLine contains  \u2013enc ",
		"CommandLine contains  \u2014enc ", "CommandLine contains  \u2015enc ",
		"CommandLine contains SUVYIC", "CommandLine contains lFWCAo", "CommandLine contains JRVggK",
		`CommandLine regex ^powershell.*-e(nc)?\s`,
		"DestinationIp cidr 10.0.0.0/8", "DestinationIp cidr 192.168.0.0/16",
		"TargetUserName fieldref SubjectUserName",
		"ParentCommandLine exists ",
		"OriginalFileName exists  !",
		"EventID eq 1", "EventID eq 4688", "Enabled eq true", "Size ge 1024",
		`Path eq C:\Temp\*star`, `Glob wildcard C:\Users\\*\AppData\\*.exe`,
		" keyword mimikatz", " keyword sekurlsa::logonpasswords",
	}
	if got := indicatorsOf(r); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var re *rule.Predicate
	for _, p := range rule.Predicates(r.Stages[0].Expr) {
		if p.Field == "CommandLine" && p.Values[0].Kind == rule.Regex {
			re = p
		}
	}
	if re == nil || re.Flags != "im" || re.Op != "|re|i|m" {
		t.Errorf("regex predicate: %+v", re)
	}
}

func TestReadProblems(t *testing.T) {
	rules := readFixture(t)
	tests := []struct {
		id, kind string
		line     int
		msg      string
	}{
		{"22222222-2222-4333-8444-555555555555", "unknown-modifier", 7, "did you mean `contains`?"},
		{"33333333-2222-4333-8444-555555555555", "parse", 8, "`filter`, which is not a search identifier"},
		{"windows/broken.yml", "load", 7, "YAML syntax error"},
	}
	for _, tt := range tests {
		r := mustRule(t, rules, tt.id)
		if len(r.Problems) != 1 {
			t.Errorf("%s: problems %+v", tt.id, r.Problems)
			continue
		}
		p := r.Problems[0]
		if p.Kind != tt.kind || p.Line != tt.line || !strings.Contains(p.Message, tt.msg) {
			t.Errorf("%s: problem %+v, want %s at line %d containing %q", tt.id, p, tt.kind, tt.line, tt.msg)
		}
	}
	broken := rules["windows/broken.yml"]
	if broken.Name != "broken" || broken.Path != "windows/broken.yml" {
		t.Errorf("placeholder: %+v", broken)
	}
}

func TestReadOtherLayouts(t *testing.T) {
	rules := readFixture(t)
	// Spaces in names, .yaml, no id: the path stands in for the id.
	r := mustRule(t, rules, "other people/My Rule.yaml")
	if r.Name != "Someone Else's Rule" || len(r.Problems) > 0 || strings.Join(indicatorsOf(r), ";") != "cmd wildcard curl*|sh" {
		t.Errorf("rule: %+v %v", r, indicatorsOf(r))
	}
	// A Sigma 1 collection: the global document merged into each rule.
	first := mustRule(t, rules, "55555555-2222-4333-8444-555555555555")
	second := mustRule(t, rules, "55555555-2222-4333-8444-555555555555#3")
	if first.Sigma.Collection != 2 || second.Sigma.Collection != 3 {
		t.Errorf("collection documents %d, %d, want 2, 3", first.Sigma.Collection, second.Sigma.Collection)
	}
	for _, c := range []struct {
		r    *rule.Rule
		want string
		line int
		ds   string
	}{{first, "CommandLine contains evil;EventID eq 4688", 1, "windows/security"}, {second, "CommandLine contains evil;EventID eq 1", 1, "windows/sysmon"}} {
		if got := strings.Join(indicatorsOf(c.r), ";"); got != c.want || c.r.Name != "Collection Rule" || c.r.Line != c.line ||
			c.r.DataSources[0] != c.ds || c.r.Sigma.Collection == 0 || len(c.r.Problems) > 0 {
			t.Errorf("collection rule %s: indicators %s line %d ds %v problems %v", c.r.ID, got, c.r.Line, c.r.DataSources, c.r.Problems)
		}
		if !strings.HasPrefix(c.r.Body, "action: global") || !strings.Contains(c.r.Body, "\n---\nlogsource:") {
			t.Errorf("collection body: %q", c.r.Body)
		}
	}
}

func TestReadSigmaHQLayout(t *testing.T) {
	res, err := Reader{}.Read(filepath.Join("testdata", "sigmahq"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*rule.Rule{}
	for _, r := range res.Rules {
		got[r.Path] = r
	}
	if len(res.Rules) != 4 || got["tests/config.yml"] != nil {
		t.Fatalf("rules: %v (tests/ is not a rules folder)", got)
	}
	if dep := got["deprecated/proc_creation_win_old.yml"]; dep == nil || !dep.Deprecated {
		t.Errorf("deprecated rule: %+v", dep)
	}
	un := got["unsupported/win_near.yml"]
	if un == nil || !un.Sigma.Unsupported || !hasTagged(un.Tags, "unsupported") || len(un.Problems) > 0 {
		t.Fatalf("unsupported rule: %+v", un)
	}
	if len(un.Stages) != 2 || un.Stages[1].Command != "near" || un.Stages[1].Role != rule.RoleJoin {
		t.Errorf("near stages: %+v", un.Stages)
	}
	if r := got["rules/windows/proc_creation_win_whoami.yml"]; r == nil || r.Deprecated || r.Sigma.Unsupported {
		t.Errorf("regular rule: %+v", r)
	}
	if !strings.Contains(res.Notes[0], "4 rules from 4 files") {
		t.Errorf("notes: %v", res.Notes)
	}
}

func hasTagged(tags []string, tag string) bool {
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}

func TestReadSingleFileAndMissingRoot(t *testing.T) {
	res, err := Reader{}.Read(filepath.Join("testdata", "ruleset", "windows", "modifiers.yml"))
	if err != nil || len(res.Rules) != 1 || res.Rules[0].Path != "modifiers.yml" {
		t.Fatalf("single file: %v %+v", err, res)
	}
	if _, err := (Reader{}).Read(filepath.Join("testdata", "nope")); err == nil {
		t.Error("a missing root must be an error")
	}
}

func TestReadRepeatChain(t *testing.T) {
	var b strings.Builder
	b.WriteString("action: global\ntitle: Chain\nid: c1\n---\nlogsource: {product: windows}\ndetection:\n  sel: {EventID: 1}\n  condition: sel\n")
	for i := 2; i < 5000; i++ {
		b.WriteString("---\naction: repeat\ndetection:\n  sel: {EventID: " + strings.Repeat("9", i%7+1) + "}\n")
	}
	start := time.Now()
	fr := parseFile("chain.yml", []byte(b.String()))
	if len(fr.rules) != 4999 {
		t.Fatalf("%d rules", len(fr.rules))
	}
	last := fr.rules[len(fr.rules)-1]
	if !strings.HasSuffix(last.Body, "EventID: 99}\n") || last.ID != "c1#5000" || len(last.Problems) > 0 {
		t.Errorf("last rule: id %s, body %q, problems %v", last.ID, last.Body, last.Problems)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("took %v", el)
	}
}
