package attack

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"ruledex/internal/rule"
)

// tech and tac build AttackRefs as the readers write them.
func tech(id string) rule.AttackRef {
	return rule.AttackRef{ID: id, Kind: "technique", Written: "attack." + strings.ToLower(id)}
}

func techIn(id, tactic string) rule.AttackRef {
	return rule.AttackRef{ID: id, Kind: "technique", Written: id, Tactic: tactic}
}

func ref(kind, id string) rule.AttackRef {
	return rule.AttackRef{ID: id, Kind: kind, Written: "attack." + id}
}

// showTechniques renders techniques one line each for readable diffs:
// id|name|tactics|known|revoked from|deprecated|note.
func showTechniques(ts []rule.Technique) []string {
	var out []string
	for _, t := range ts {
		known := "unknown"
		if t.Known {
			known = "known"
		}
		dep := ""
		if t.Deprecated {
			dep = "deprecated"
		}
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s", t.ID, t.Name, strings.Join(t.Tactics, ","), known, t.RevokedFrom, dep, t.Note))
	}
	return out
}

// showNamed renders tactics, groups and software: kind|id|name|known|written|note.
func showNamed(ts []rule.TacticRef) []string {
	var out []string
	for _, t := range ts {
		known := "unknown"
		if t.Known {
			known = "known"
		}
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s", t.Kind, t.ID, t.Name, known, t.Written, t.Note))
	}
	return out
}

func TestResolve(t *testing.T) {
	m := mini(t)
	const newer = "not in Mini ATT&CK v9.9; newer ATT&CK version?"
	tests := []struct {
		name       string
		refs       []rule.AttackRef
		techniques []string
		named      []string
	}{
		{
			name:       "technique with two tactics in matrix order",
			refs:       []rule.AttackRef{tech("T1197")},
			techniques: []string{"T1197|BITS Jobs|Persistence,Defense Evasion|known|||"},
		},
		{
			name:       "duplicates collapse",
			refs:       []rule.AttackRef{tech("T1197"), {ID: "t1197", Kind: "technique", Written: "T1197"}},
			techniques: []string{"T1197|BITS Jobs|Persistence,Defense Evasion|known|||"},
		},
		{
			name:       "sub-technique",
			refs:       []rule.AttackRef{tech("T1036.003")},
			techniques: []string{"T1036.003|Rename Legitimate Utilities|Defense Evasion|known|||"},
		},
		{
			name: "revoked chain followed to the replacement",
			refs: []rule.AttackRef{tech("T1150")},
			techniques: []string{"T1647|Plist File Modification|Defense Evasion|known|T1150||" +
				"T1150 (Plist Modification) is revoked in Mini ATT&CK v9.9 and replaced by T1647 (Plist File Modification) (via T1547.011)"},
		},
		{
			name: "revoked id and its replacement written both are one technique",
			refs: []rule.AttackRef{tech("T1647"), tech("T1547.011")},
			techniques: []string{"T1647|Plist File Modification|Defense Evasion|known|T1547.011||" +
				"T1547.011 (Plist Modification) is revoked in Mini ATT&CK v9.9 and replaced by T1647 (Plist File Modification)"},
		},
		{
			name:       "deprecated",
			refs:       []rule.AttackRef{tech("T1064")},
			techniques: []string{"T1064|Scripting|Defense Evasion,Execution|known||deprecated|T1064 is deprecated in Mini ATT&CK v9.9"},
		},
		{
			name: "revoked-by cycle and revoked without replacement stay as written",
			refs: []rule.AttackRef{tech("T2001"), tech("T1500")},
			techniques: []string{
				"T1500|Revoked Without Replacement|Execution|known|||T1500 is revoked in Mini ATT&CK v9.9, which names no replacement",
				"T2001|Loop A|Execution|known|||T2001 is revoked in Mini ATT&CK v9.9 and its revoked-by links loop",
			},
		},
		{
			name: "unknown and malformed ids kept",
			refs: []rule.AttackRef{tech("T9999.001"), tech("T12")},
			techniques: []string{
				"T12|||unknown|||\"T12\" is not an ATT&CK technique id (T1234 or T1234.001)",
				"T9999.001|||unknown|||T9999.001 is " + newer,
			},
		},
		{
			name: "order: first tactic in matrix order, then id; unknown last",
			refs: []rule.AttackRef{tech("T9999"), tech("T1059"), tech("T1647"), tech("T1566"), tech("T1197"), tech("T1036")},
			techniques: []string{
				"T1566|Phishing \"Lures\" & Hooks|Initial Access|known|||",
				"T1197|BITS Jobs|Persistence,Defense Evasion|known|||",
				"T1036|Masquerading|Defense Evasion|known|||",
				"T1647|Plist File Modification|Defense Evasion|known|||",
				"T1059|Command and Scripting Interpreter|Execution|known|||",
				"T9999|||unknown|||T9999 is " + newer,
			},
		},
		{
			name: "tactics by short name, snake case, id and name; newer tactics kept",
			refs: []rule.AttackRef{
				ref("tactic", "defense_evasion"), ref("tactic", "persistence"), ref("tactic", "TA0005"),
				ref("tactic", "stealth"), ref("tactic", "defense-impairment"), ref("tactic", "Defense_Impairment"),
				{ID: "Initial Access", Kind: "tactic"},
			},
			named: []string{
				"tactic|TA0001|Initial Access|known|Initial Access|",
				"tactic|TA0003|Persistence|known|attack.persistence|",
				"tactic|TA0005|Defense Evasion|known|attack.defense_evasion|",
				"tactic|defense-impairment|Defense Impairment|unknown|attack.defense-impairment|tactic \"defense-impairment\" is " + newer,
				"tactic|stealth|Stealth|unknown|attack.stealth|tactic \"stealth\" is " + newer,
			},
		},
		{
			name: "groups and software, a revoked group followed",
			refs: []rule.AttackRef{ref("software", "S0190"), ref("group", "G0001"), ref("group", "g0016"), ref("group", "G9999"), ref("software", "S0001")},
			named: []string{
				"group|G0016|APT29|known|attack.G0001|G0001 (Old Name) is revoked in Mini ATT&CK v9.9 and replaced by G0016 (APT29)",
				"group|G9999|G9999|unknown|attack.G9999|group G9999 is " + newer,
				"software|S0001|Retired Malware|known|attack.S0001|S0001 is deprecated in Mini ATT&CK v9.9",
				"software|S0190|BITSAdmin|known|attack.S0190|",
			},
		},
		{
			name: "kind inferred from the id when empty",
			refs: []rule.AttackRef{{ID: "T1059"}, {ID: "TA0002"}, {ID: "G0016"}, {ID: "S0190"}, {ID: "execution"}},
			techniques: []string{
				"T1059|Command and Scripting Interpreter|Execution|known|||",
			},
			named: []string{
				"tactic|TA0002|Execution|known|TA0002|",
				"group|G0016|APT29|known|G0016|",
				"software|S0190|BITSAdmin|known|S0190|",
			},
		},
		{
			name: "a rule's tactic for a technique is checked and listed",
			refs: []rule.AttackRef{techIn("T1197", "TA0002"), techIn("T1197", "Defense Evasion"), techIn("T1059", "Stealth")},
			techniques: []string{
				// Placed under the tactics the rule pairs them with, with a note where the bundle disagrees.
				"T1197|BITS Jobs|Defense Evasion,Execution|known|||the rule files T1197 under Execution; Mini ATT&CK v9.9 lists it under Persistence, Defense Evasion",
				"T1059|Command and Scripting Interpreter|Stealth|known|||",
			},
			named: []string{
				"tactic|TA0005|Defense Evasion|known|Defense Evasion|",
				"tactic|TA0002|Execution|known|TA0002|",
				"tactic|Stealth|Stealth|unknown|Stealth|tactic \"Stealth\" is " + newer,
			},
		},
		{
			name: "campaigns and data sources; the bundle's kind wins",
			refs: []rule.AttackRef{ref("data-source", "DS0005"), ref("campaign", "C0024"), ref("group", "S0190"), {ID: "ds0005"}},
			named: []string{
				"software|S0190|BITSAdmin|known|attack.S0190|",
				"campaign|C0024|SolarWinds Compromise|known|attack.C0024|",
				"data-source|DS0005|WMI|known|attack.DS0005|",
			},
		},
		{
			name: "unknown kind kept with a note",
			refs: []rule.AttackRef{{ID: "M1047", Kind: "mitigation", Written: "attack.m1047"}, ref("data-source", "DS0005"), ref("tactic", "stealth")},
			named: []string{
				"tactic|stealth|Stealth|unknown|attack.stealth|tactic \"stealth\" is " + newer,
				"data-source|DS0005|WMI|known|attack.DS0005|",
				"mitigation|M1047|M1047|unknown|attack.m1047|unknown ATT&CK reference kind \"mitigation\" (expected technique, tactic, group, software, campaign or data-source)",
			},
		},
		{
			name: "nothing in, nothing out",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			techniques, named := m.Resolve(tt.refs)
			if got := showTechniques(techniques); !reflect.DeepEqual(got, tt.techniques) {
				t.Errorf("techniques\n got %q\nwant %q", got, tt.techniques)
			}
			if got := showNamed(named); !reflect.DeepEqual(got, tt.named) {
				t.Errorf("tactics, groups, software\n got %q\nwant %q", got, tt.named)
			}
		})
	}
}

func TestResolveFields(t *testing.T) {
	m := mini(t)
	ts, _ := m.Resolve([]rule.AttackRef{tech("T1036.003")})
	want := rule.Technique{ID: "T1036.003", Name: "Rename Legitimate Utilities", Tactics: []string{"Defense Evasion"},
		URL: "https://attack.mitre.org/techniques/T1036/003", Parent: "T1036", Known: true}
	if len(ts) != 1 || !reflect.DeepEqual(ts[0], want) {
		t.Errorf("got %+v\nwant %+v", ts, want)
	}
	_, named := m.Resolve([]rule.AttackRef{ref("tactic", "persistence")})
	if len(named) != 1 || named[0].URL != "https://attack.mitre.org/tactics/TA0003" {
		t.Errorf("tactic URL: %+v", named)
	}
}

func TestResolveWithoutBundle(t *testing.T) {
	var m *Matrix
	techniques, named := m.Resolve([]rule.AttackRef{tech("t1197"), ref("tactic", "defense_evasion"), ref("group", "G0016"), techIn("T1059", "TA0002")})
	wantT := []string{
		"T1059||TA0002|unknown|||no ATT&CK bundle loaded", // the rule's own pairing
		"T1197|||unknown|||no ATT&CK bundle loaded",
	}
	wantN := []string{
		"tactic|TA0002|TA0002|unknown|TA0002|no ATT&CK bundle loaded",
		"tactic|defense_evasion|Defense Evasion|unknown|attack.defense_evasion|no ATT&CK bundle loaded",
		"group|G0016|G0016|unknown|attack.G0016|no ATT&CK bundle loaded",
	}
	if got := showTechniques(techniques); !reflect.DeepEqual(got, wantT) {
		t.Errorf("techniques\n got %q\nwant %q", got, wantT)
	}
	if got := showNamed(named); !reflect.DeepEqual(got, wantN) {
		t.Errorf("named\n got %q\nwant %q", got, wantN)
	}
	if techniques[0].Tactics == nil {
		t.Error("Tactics is nil; rule.json wants [] not null")
	}
	if m.Label() != "no ATT&CK bundle" {
		t.Errorf("Label() = %q", m.Label())
	}
	if _, ok := m.Technique("T1197"); ok {
		t.Error("nil matrix found a technique")
	}
	if m.TechniquesOf("persistence") != nil {
		t.Error("nil matrix has techniques")
	}
}
