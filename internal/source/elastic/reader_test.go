package elastic

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"ruledex/internal/rule"
)

func loadFixtures(t *testing.T) map[string]*rule.Rule {
	t.Helper()
	res, err := Reader{}.Read("testdata/ruleset")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 {
		t.Errorf("file problems: %+v", res.Problems)
	}
	byPath := map[string]*rule.Rule{}
	for _, r := range res.Rules {
		byPath[r.Path] = r
	}
	return byPath
}

// indicators lists a rule's indicators as "field kind value", "!" first
// when negated.
func indicators(r *rule.Rule) []string {
	r.DeriveIndicators()
	var out []string
	for _, in := range r.Indicators {
		s := in.Field + " " + string(in.Kind) + " " + in.Value
		if in.Negated {
			s = "!" + s
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func stageSummary(r *rule.Rule) []string {
	var out []string
	for _, s := range r.Stages {
		out = append(out, strings.Join(strings.Fields(s.Command+" "+s.Label+" "+string(s.Role)), " ")+" L"+itoa(s.Line))
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func attr(name, value string) rule.Attr { return rule.Attr{Name: name, Value: value} }

func TestFixtures(t *testing.T) {
	rules := loadFixtures(t)
	if len(rules) != 11 {
		t.Errorf("loaded %d rules, want 11 (every TOML file, the broken one as a placeholder)", len(rules))
	}
	tests := []struct {
		path       string
		id         string
		language   string
		typ        string
		deprecated bool
		stages     []string
		indicators []string
		problems   []string // "kind line: message fragment"
	}{
		{"rules/windows/kql_rule.toml", "11111111-1111-1111-1111-111111111111", "kql", "query", false,
			[]string{"query filter L29", "filters filter L33"},
			[]string{"event.category eq process", "process.name eq cmd.exe", "process.name starts_with powershell", "!user.name eq SYSTEM",
				`!file.path wildcard ?:\Program Files\\*`}, nil},
		{"rules/windows/eql_sequence.toml", "22222222-2222-2222-2222-222222222222", "eql", "eql", false,
			[]string{"sequence aggregate L19", "sequence step 1 process source L20", "sequence step 2 network source L21"},
			[]string{"event.type eq start", "process.name eq cmd.exe", "destination.port eq 445"}, nil},
		{"rules/windows/esql_rule.toml", "33333333-3333-3333-3333-333333333333", "esql", "esql", false,
			[]string{"FROM source L18", "WHERE filter L19", "STATS aggregate L20", "WHERE filter L21"},
			[]string{"event.type eq start", "process.name contains psexec", "Esql.count gt 5"}, nil},
		{"rules/windows/threshold_rule.toml", "44444444-4444-4444-4444-444444444444", "kql", "threshold", false,
			[]string{"query filter L19", "threshold aggregate L22"},
			[]string{"signal.rule.name exists", "kibana.alert.risk_score gt 21"}, nil},
		{"rules/windows/new_terms_rule.toml", "55555555-5555-5555-5555-555555555555", "kql", "new_terms", false,
			[]string{"query filter L18", "new_terms aggregate L20"},
			[]string{"event.category eq process", "process.name eq curl", "process.name eq wget"}, nil},
		{"rules/ml/ml_rule.toml", "66666666-6666-6666-6666-666666666666", "", "machine_learning", false, nil, nil, nil},
		{"rules/_deprecated/old_rule.toml", "77777777-7777-7777-7777-777777777777", "lucene", "query", true,
			[]string{"query filter L20"},
			[]string{"process.name eq chmod", "process.args eq g+s", "process.args regex 2[0-9]{3}", "!user.name eq root"}, nil},
		{"rules_building_block/bbr_fuzzy_lucene.toml", "88888888-8888-8888-8888-888888888888", "lucene", "query", false,
			[]string{"query other L20"}, nil,
			[]string{"parse 21: Lucene query does not parse: line 21, column 17: roam~ (fuzzy or proximity search) is outside the supported Lucene subset"}},
		{"rules/windows/threat_match.toml", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", "kql", "threat_match", false,
			[]string{"query filter L25", "threat_query lookup L21"},
			[]string{"file.hash.sha256 exists", "@timestamp ge now-30d/d", "event.category eq threat"}, nil},
		{"hunting/linux/queries/hunt_cron.toml", "99999999-9999-9999-9999-999999999999", "esql", "hunting", false,
			[]string{"FROM query 1 source L15", "WHERE query 1 filter L16", "STATS query 1 aggregate L17", "SQL query 2 source L20"},
			[]string{"file.path starts_with /etc/cron", "!event.type eq deletion"}, nil},
		{"rules/windows/broken.toml", "rules/windows/broken.toml", "", "", false, nil, nil,
			[]string{"load 7: the file is not valid TOML: line 7"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := rules[tt.path]
			if r == nil {
				t.Fatalf("no rule for %s", tt.path)
			}
			if r.ID != tt.id || r.Language != tt.language || r.Type != tt.typ || r.Deprecated != tt.deprecated {
				t.Errorf("got id=%s language=%q type=%q deprecated=%v", r.ID, r.Language, r.Type, r.Deprecated)
			}
			if got := stageSummary(r); !reflect.DeepEqual(got, tt.stages) {
				t.Errorf("stages:\n got %q\nwant %q", got, tt.stages)
			}
			if got := indicators(r); !reflect.DeepEqual(got, tt.indicators) {
				t.Errorf("indicators:\n got %q\nwant %q", got, tt.indicators)
			}
			var probs []string
			for _, p := range r.Problems {
				probs = append(probs, p.Kind+" "+itoa(p.Line)+": "+p.Message)
			}
			if len(probs) != len(tt.problems) {
				t.Fatalf("problems:\n got %q\nwant %q", probs, tt.problems)
			}
			for i := range probs {
				if !strings.HasPrefix(probs[i], tt.problems[i]) {
					t.Errorf("problem %d:\n got %q\nwant %q…", i, probs[i], tt.problems[i])
				}
			}
			for i, s := range r.Stages {
				if s.Index != i+1 {
					t.Errorf("stage %d has index %d", i+1, s.Index)
				}
			}
		})
	}
}

func TestKQLRuleMetadata(t *testing.T) {
	r := loadFixtures(t)["rules/windows/kql_rule.toml"]
	if r.Name != "Fixture KQL Rule" || r.Author != "Elastic, Someone" || r.Created != "2024-01-02" || r.Modified != "2025-03-04" ||
		r.Severity != "medium" || r.Status != "production" || r.Description != "A KQL fixture rule." || r.Line != 1 {
		t.Errorf("common fields: %+v", r)
	}
	wantRefs := []rule.AttackRef{
		{ID: "T1059", Kind: "technique", Written: "T1059", Tactic: "TA0002"},
		{ID: "T1059.001", Kind: "technique", Written: "T1059.001", Tactic: "TA0002"},
		{ID: "TA0005", Kind: "tactic", Written: "TA0005"},
	}
	if !reflect.DeepEqual(r.AttackRefs, wantRefs) {
		t.Errorf("attack refs:\n got %+v\nwant %+v", r.AttackRefs, wantRefs)
	}
	if want := []string{"logs-endpoint.events.process-*", "winlogbeat-*", "endpoint", "windows"}; !reflect.DeepEqual(r.DataSources, want) {
		t.Errorf("data sources %q, want %q", r.DataSources, want)
	}
	m := r.Elastic
	if m == nil || m.RiskScore != 47 || m.Note != "## Triage\nLook at **it**.\n" || m.From != "now-9m" ||
		!reflect.DeepEqual(m.InvestigationFields, []string{"host.name", "user.name"}) || len(m.Filters) != 1 ||
		m.Transform == nil || len(m.Transform.Osquery) != 1 || m.TimestampOverride != "event.ingested" {
		t.Errorf("meta: %+v", m)
	}
	if !strings.HasPrefix(r.Body, "[metadata]") || !strings.Contains(r.Query, "powershell*") {
		t.Errorf("body/query not kept")
	}
	if p := rule.Predicates(r.Stages[1].Expr); len(p) != 1 || p[0].Cased {
		t.Errorf("case_insensitive wildcard filter should not be Cased: %+v", p)
	}
}

func TestTypeSpecificMeta(t *testing.T) {
	rules := loadFixtures(t)
	th := rules["rules/windows/threshold_rule.toml"]
	if m := th.Elastic.Threshold; m == nil || m.Value != 2 || !reflect.DeepEqual(m.Field, []string{"host.id", "host.name"}) ||
		len(m.Cardinality) != 1 || m.Cardinality[0].Value != 3 {
		t.Errorf("threshold meta: %+v", m)
	}
	wantAttrs := []rule.Attr{attr("fields", "host.id, host.name"), attr("value", ">= 2"), attr("cardinality", "kibana.alert.rule.threat.tactic.id >= 3")}
	if got := th.Stages[1].Attrs; !reflect.DeepEqual(got, wantAttrs) {
		t.Errorf("threshold attrs %v, want %v", got, wantAttrs)
	}
	nt := rules["rules/windows/new_terms_rule.toml"]
	if m := nt.Elastic.NewTerms; m == nil || m.HistoryWindowStart != "now-14d" || len(m.Fields) != 2 {
		t.Errorf("new_terms meta: %+v", m)
	}
	if got := nt.Stages[1].Attrs; !reflect.DeepEqual(got, []rule.Attr{attr("fields", "host.id, process.command_line"), attr("window", "now-14d")}) {
		t.Errorf("new_terms attrs %v", got)
	}
	ml := rules["rules/ml/ml_rule.toml"]
	if m := ml.Elastic.MachineLearning; m == nil || m.AnomalyThreshold != 50 || m.JobIDs[0] != "v3_linux_anomalous_network_activity" || len(ml.Stages) != 0 || len(ml.Problems) != 0 {
		t.Errorf("machine learning: %+v %+v", m, ml.Problems)
	}
	tm := rules["rules/windows/threat_match.toml"]
	if m := tm.Elastic.ThreatMatch; m == nil || len(m.ThreatMapping) != 1 || m.ThreatMapping[0][0].Value != "threat.indicator.file.hash.sha256" {
		t.Errorf("threat match meta: %+v", m)
	}
	es := rules["rules/windows/esql_rule.toml"]
	if want := []string{"logs-endpoint.events.process-*", "logs-windows.sysmon_operational-*"}; !reflect.DeepEqual(es.DataSources, want) {
		t.Errorf("ES|QL data sources from FROM: %q", es.DataSources)
	}
	h := rules["hunting/linux/queries/hunt_cron.toml"]
	wantRefs := []rule.AttackRef{{ID: "T1053.003", Kind: "technique", Written: "T1053.003"}, {ID: "AML.T0051", Kind: "technique", Written: "AML.T0051"}}
	if !reflect.DeepEqual(h.AttackRefs, wantRefs) {
		t.Errorf("hunt attack refs %+v", h.AttackRefs)
	}
	if hm := h.Elastic.Hunt; hm == nil || len(hm.Queries) != 2 || hm.Queries[1].Language != "sql" || hm.Queries[1].Line != 20 || hm.Notes[0] != "Look at cron." {
		t.Errorf("hunt meta: %+v", hm)
	}
	if want := []string{"logs-endpoint.events.file-*", "endpoint"}; !reflect.DeepEqual(h.DataSources, want) {
		t.Errorf("hunt data sources %q, want %q", h.DataSources, want)
	}
	dep := rules["rules/_deprecated/old_rule.toml"]
	if dep.Elastic.DeprecationDate != "2021/03/16" || dep.Status != "deprecated" {
		t.Errorf("deprecated meta: %+v", dep.Elastic)
	}
	bbr := rules["rules_building_block/bbr_fuzzy_lucene.toml"]
	if bbr.Elastic.BuildingBlockType != "default" {
		t.Errorf("building block type %q", bbr.Elastic.BuildingBlockType)
	}
}

func TestSingleFileAndErrors(t *testing.T) {
	res, err := Reader{}.Read("testdata/ruleset/rules/windows/esql_rule.toml")
	if err != nil || len(res.Rules) != 1 || res.Rules[0].Path != "esql_rule.toml" {
		t.Fatalf("single file: %v %+v", err, res)
	}
	if _, err := (Reader{}).Read("testdata/does-not-exist"); err == nil {
		t.Error("a missing root should be an error")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte("[tool]\nname = \"x\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "no_id.toml"), []byte("[metadata]\n[rule]\nname = \"n\"\ntype = \"query\"\nlanguage = \"kuery\"\nquery = \"a:b\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "weird_lang.toml"), []byte("[rule]\nrule_id = \"w\"\nname = \"w\"\ntype = \"query\"\nlanguage = \"sql\"\nquery = \"SELECT 1\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad_type.toml"), []byte("[rule]\nrule_id = \"b\"\nrisk_score = \"high\"\n"), 0o644)
	res, err = Reader{}.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].File != "pyproject.toml" {
		t.Errorf("a TOML file without [rule] or [hunt] is a file problem: %+v", res.Problems)
	}
	byPath := map[string]*rule.Rule{}
	for _, r := range res.Rules {
		byPath[r.Path] = r
	}
	if r := byPath["no_id.toml"]; r == nil || r.ID != "no_id.toml" || len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Message, "rule_id") {
		t.Errorf("rule without rule_id: %+v", r)
	}
	if r := byPath["weird_lang.toml"]; r == nil || len(r.Stages) != 1 || len(r.Problems) != 1 || r.Problems[0].Kind != "parse" || r.Problems[0].Line != 6 {
		t.Errorf("unknown language: %+v", r)
	}
	if r := byPath["bad_type.toml"]; r == nil || len(r.Problems) != 1 || r.Problems[0].Kind != "load" || r.Problems[0].Line != 3 {
		t.Errorf("a wrongly typed value: %+v", r)
	}
}

func TestLocate(t *testing.T) {
	body := "[rule]\nquery = '''\nfirst line\nsecond'''\nother = \"a\\tb\"\n"
	if p := locate(body, "first line\nsecond", 0, "query"); p.line != 3 || p.col != 1 {
		t.Errorf("literal string: %+v", p)
	}
	if p := locate(body, "a\tb", 0, "other"); p.line != 5 || p.col != 1 {
		t.Errorf("escaped basic string falls back to the key's line: %+v", p)
	}
	if p := locate("query = 'x == 1'", "x == 1", 0, "query"); p.line != 1 || p.col != 10 {
		t.Errorf("one-line string: %+v", p)
	}
}
