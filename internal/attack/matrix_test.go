package attack

import (
	"reflect"
	"strings"
	"testing"
)

// mini parses testdata/mini-attack.json, the hand-written fixture.
func mini(t testing.TB) *Matrix {
	t.Helper()
	m, err := ParseFile("testdata/mini-attack.json")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseHeader(t *testing.T) {
	m := mini(t)
	got := [][2]string{
		{"Name", m.Name}, {"Domain", m.Domain}, {"Version", m.Version},
		{"VersionSource", m.VersionSource}, {"SpecVersion", m.SpecVersion},
		{"Modified", m.Modified}, {"Source", m.Source}, {"Label", m.Label()},
	}
	want := [][2]string{
		{"Name", "Mini ATT&CK"}, {"Domain", "mini-attack"}, {"Version", "9.9"},
		{"VersionSource", "x-mitre-collection"}, {"SpecVersion", "3.2.0"},
		{"Modified", "2025-01-02T03:04:05.000Z"}, {"Source", "testdata/mini-attack.json"},
		{"Label", "Mini ATT&CK v9.9"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("header\n got %v\nwant %v", got, want)
	}
}

func TestTacticsInMatrixOrder(t *testing.T) {
	m := mini(t)
	var got []string
	for _, tc := range m.Tactics {
		got = append(got, tc.ID+" "+tc.ShortName+" "+tc.Name)
	}
	want := []string{
		"TA0001 initial-access Initial Access",
		"TA0003 persistence Persistence",
		"TA0005 defense-evasion Defense Evasion",
		"TA0002 execution Execution",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tactics\n got %q\nwant %q", got, want)
	}
	if d := m.Tactics[0].Description; d != "The adversary is trying to get into your network." {
		t.Errorf("description = %q", d)
	}
	if u := m.Tactics[2].URL; u != "https://attack.mitre.org/tactics/TA0005" {
		t.Errorf("url = %q", u)
	}
}

func TestTacticByShortName(t *testing.T) {
	m := mini(t)
	for _, in := range []string{"defense-evasion", "Defense Evasion", "defense_evasion", "DEFENSE_EVASION", "TA0005", "ta0005", " defense-evasion "} {
		tc, ok := m.TacticByShortName(in)
		if !ok || tc.ID != "TA0005" {
			t.Errorf("TacticByShortName(%q) = %v, %v; want TA0005", in, tc.ID, ok)
		}
	}
	for _, in := range []string{"", "stealth", "not-in-matrix", "TA0099", "defense"} {
		if tc, ok := m.TacticByShortName(in); ok {
			t.Errorf("TacticByShortName(%q) = %v; want not found", in, tc.ID)
		}
	}
	var nilMatrix *Matrix
	if _, ok := nilMatrix.TacticByShortName("persistence"); ok {
		t.Error("nil matrix found a tactic")
	}
}

func TestTechniques(t *testing.T) {
	m := mini(t)
	tests := []struct {
		id   string
		want TechniqueInfo
	}{
		{"T1197", TechniqueInfo{ID: "T1197", Name: "BITS Jobs", URL: "https://attack.mitre.org/techniques/T1197",
			Tactics: []string{"persistence", "defense-evasion"}, Platforms: []string{"Windows"}}},
		{"t1036.003", TechniqueInfo{ID: "T1036.003", Name: "Rename Legitimate Utilities", URL: "https://attack.mitre.org/techniques/T1036/003",
			Parent: "T1036", SubTechnique: true, Tactics: []string{"defense-evasion"}, Platforms: []string{"Windows"}}},
		{"T1566", TechniqueInfo{ID: "T1566", Name: `Phishing "Lures" & Hooks`, URL: "https://attack.mitre.org/techniques/T1566",
			Tactics: []string{"initial-access"}}},
		{"T1150", TechniqueInfo{ID: "T1150", Name: "Plist Modification", URL: "https://attack.mitre.org/techniques/T1150",
			Revoked: true, RevokedBy: "T1647", Tactics: []string{"persistence"}}},
		// A revoked sub-technique without a subtechnique-of relationship: parent from the id.
		{"T1547.011", TechniqueInfo{ID: "T1547.011", Name: "Plist Modification", URL: "https://attack.mitre.org/techniques/T1547/011",
			Parent: "T1547", SubTechnique: true, Revoked: true, RevokedBy: "T1647", Tactics: []string{"persistence"}}},
		{"T1064", TechniqueInfo{ID: "T1064", Name: "Scripting", URL: "https://attack.mitre.org/techniques/T1064",
			Deprecated: true, Tactics: []string{"defense-evasion", "execution"}}},
		{"T2001", TechniqueInfo{ID: "T2001", Name: "Loop A", Revoked: true, Tactics: []string{"execution"}}},
		{"T1500", TechniqueInfo{ID: "T1500", Name: "Revoked Without Replacement", Revoked: true, Tactics: []string{"execution"}}},
	}
	for _, tt := range tests {
		got, ok := m.Technique(tt.id)
		if !ok {
			t.Errorf("Technique(%q) not found", tt.id)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Technique(%q)\n got %+v\nwant %+v", tt.id, got, tt.want)
		}
	}
	for _, id := range []string{"CAPEC-2", "T9999", ""} {
		if _, ok := m.Technique(id); ok {
			t.Errorf("Technique(%q) found", id)
		}
	}
	if n := len(m.Techniques); n != 12 {
		t.Errorf("%d techniques, want 12", n)
	}
}

func TestTechniquesOf(t *testing.T) {
	m := mini(t)
	tests := []struct {
		tactic string
		want   string
	}{
		{"defense-evasion", "T1036 T1036.003 T1197 T1647"}, // deprecated T1064 left out
		{"Persistence", "T1197"},                           // revoked T1150 left out
		{"TA0002", "T1059"},
		{"stealth", ""},
	}
	for _, tt := range tests {
		var ids []string
		for _, ti := range m.TechniquesOf(tt.tactic) {
			ids = append(ids, ti.ID)
		}
		if got := strings.Join(ids, " "); got != tt.want {
			t.Errorf("TechniquesOf(%q) = %q, want %q", tt.tactic, got, tt.want)
		}
	}
}

func TestObjects(t *testing.T) {
	m := mini(t)
	g, ok := m.Object("g0016")
	want := Object{ID: "G0016", Name: "APT29", Kind: "group", Type: "intrusion-set", URL: "https://attack.mitre.org/groups/G0016",
		Aliases: []string{"Cozy Bear", "NOBELIUM"}}
	if !ok || !reflect.DeepEqual(g, want) {
		t.Errorf("Object(g0016) = %+v, %v\nwant %+v", g, ok, want)
	}
	if g, _ := m.Object("G0001"); !g.Revoked || g.RevokedBy != "G0016" {
		t.Errorf("G0001 = %+v, want revoked by G0016", g)
	}
	s, ok := m.Object("S0190")
	if !ok || s.Name != "BITSAdmin" || s.Kind != "software" || s.Type != "tool" || len(s.Aliases) != 0 {
		t.Errorf("S0190 = %+v, %v", s, ok)
	}
	if s, _ := m.Object("S0001"); !s.Deprecated || s.Type != "malware" {
		t.Errorf("S0001 = %+v", s)
	}
	if c, _ := m.Object("C0024"); c.Kind != "campaign" || c.Name != "SolarWinds Compromise" {
		t.Errorf("C0024 = %+v", c)
	}
	if d, _ := m.Object("DS0005"); d.Kind != "data-source" || d.Name != "WMI" {
		t.Errorf("DS0005 = %+v", d)
	}
	var ids []string
	for _, o := range m.ObjectsOf("software") {
		ids = append(ids, o.ID)
	}
	if strings.Join(ids, " ") != "S0001 S0190" {
		t.Errorf("ObjectsOf(software) = %v", ids)
	}
	if _, ok := m.Object("T1197"); ok {
		t.Error("a technique id found as an object")
	}
}
