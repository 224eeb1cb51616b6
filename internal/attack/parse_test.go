package attack

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"ruledex/internal/rule"
)

// bundle wraps STIX objects (JSON text) in a bundle.
func bundle(objects ...string) string {
	return `{"type": "bundle", "id": "bundle--1", "objects": [` + strings.Join(objects, ",\n") + `]}`
}

const (
	techniqueJSON = `{"type": "attack-pattern", "id": "attack-pattern--1", "name": "BITS Jobs",
		"kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "persistence"}],
		"external_references": [{"source_name": "mitre-attack", "external_id": "T1197"}]}`
	tacticBJSON = `{"type": "x-mitre-tactic", "id": "x-mitre-tactic--b", "name": "Persistence", "x_mitre_shortname": "persistence",
		"external_references": [{"source_name": "mitre-attack", "external_id": "TA0003"}]}`
	tacticAJSON = `{"type": "x-mitre-tactic", "id": "x-mitre-tactic--a", "name": "Execution", "x_mitre_shortname": "execution",
		"external_references": [{"source_name": "mitre-attack", "external_id": "TA0002"}]}`
)

func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseGzipAndPlainAgree(t *testing.T) {
	plain, err := os.ReadFile("testdata/mini-attack.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Parse(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(bytes.NewReader(gzipped(t, plain)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("gzip and plain JSON parse differently")
	}
	if a.Version != "9.9" || a.Source != "" {
		t.Errorf("Version %q, Source %q", a.Version, a.Source)
	}
	// A byte-order mark in front is tolerated.
	c, err := Parse(bytes.NewReader(append([]byte("\xef\xbb\xbf"), plain...)))
	if err != nil || !reflect.DeepEqual(a, c) {
		t.Errorf("with a byte-order mark: %v", err)
	}
}

func TestVersionFallbacks(t *testing.T) {
	noCollection := bundle(tacticAJSON, techniqueJSON,
		`{"type": "x-mitre-matrix", "id": "x-mitre-matrix--1", "name": "Enterprise ATT&CK", "x_mitre_version": "1.0",
		  "x_mitre_attack_spec_version": "3.2.0", "tactic_refs": ["x-mitre-tactic--a"]}`)
	dir := t.TempDir()
	named := filepath.Join(dir, "enterprise-attack-17.1.json")
	if err := os.WriteFile(named, []byte(noCollection), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ParseFile(named)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "17.1" || m.VersionSource != "file name enterprise-attack-17.1.json (the bundle has no x-mitre-collection object)" {
		t.Errorf("from the file name: %q, %q", m.Version, m.VersionSource)
	}
	m, err = Parse(strings.NewReader(noCollection))
	if err != nil {
		t.Fatal(err)
	}
	// The matrix's x_mitre_version (1.0) is the object's own version and the
	// spec version is the data model's: neither is the release.
	if m.Version != "" || m.SpecVersion != "3.2.0" || m.Label() != "Enterprise ATT&CK (version unknown)" ||
		!strings.HasPrefix(m.VersionSource, "unknown") {
		t.Errorf("without a name: %q, %q, %q, %q", m.Version, m.SpecVersion, m.Label(), m.VersionSource)
	}
}

func TestVersionFromName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"/x/enterprise-attack-18.1.json.gz", "18.1"},
		{"enterprise-attack-18.1.json", "18.1"},
		{"ics-attack-v17.0.JSON", "17.0"},
		{"mobile_attack_16.1.2.json", "16.1.2"},
		{"https://example.com/enterprise-attack/enterprise-attack-15.1.json?token=1", "15.1"},
		{"https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json", ""},
		{"enterprise-attack.json", ""},
		{"attack-18.1.txt", ""},
		{"18.1.json", ""},
	}
	for _, tt := range tests {
		if got, _ := versionFromName(tt.name); got != tt.want {
			t.Errorf("versionFromName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestNoMatrixTacticsByID(t *testing.T) {
	m, err := Parse(strings.NewReader(bundle(tacticBJSON, tacticAJSON, techniqueJSON)))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Tactics) != 2 || m.Tactics[0].ID != "TA0002" || m.Tactics[1].ID != "TA0003" || m.Name != "ATT&CK" {
		t.Errorf("tactics %+v, name %q", m.Tactics, m.Name)
	}
}

func TestEscapedKeysAndNulls(t *testing.T) {
	in := `{"obj\u0065cts": [{"type": "attack-pattern", "id": "attack-pattern--1", "name": "A\tB \ud83d\ude00",
		"description": null, "x_mitre_platforms": null, "kill_chain_phases": null, "revoked": null,
		"external_references": [null, {"source_name": "mitre-attack", "external_id": "T0001", "url": null}]}]}`
	m, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if ti, ok := m.Technique("T0001"); !ok || ti.Name != "A\tB 😀" {
		t.Errorf("got %+v, %v", ti, ok)
	}
}

func TestParseErrors(t *testing.T) {
	deep := `{"objects": [{"x": ` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}]}`
	fixture, err := os.ReadFile("testdata/mini-attack.json")
	if err != nil {
		t.Fatal(err)
	}
	gz := gzipped(t, fixture)
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "line 1, column 1: expected '{' to start an object, found the end of the input (is the file truncated?)"},
		{"array", "[]", `line 1, column 1: expected '{' to start an object, found '['`},
		{"no objects", `{"type": "bundle"}`, `no "objects" member`},
		{"not a bundle", `{"type": "indicator", "objects": []}`, `the document is a STIX "indicator" object, not a bundle`},
		{"no techniques", bundle(tacticAJSON), "the bundle has no ATT&CK techniques"},
		{"trailing comma", `{"objects": [{"type": "attack-pattern",}]}`, "line 1, column 40: expected a string, found '}'"},
		{"missing colon", `{"objects" []}`, `line 1, column 12: expected ':' after an object key, found '['`},
		{"missing comma", `{"objects": [{} {}]}`, "line 1, column 17: expected ',' or ']' after an array element, found '{'"},
		{"truncated string", `{"objects": [{"type": "attack-pattern", "name": "x`, "line 1, column 49: unterminated string (is the file truncated?)"},
		{"truncated object", `{"objects": [{"type": "attack-pattern"`, "line 1, column 39: expected ',' or '}' after an object member, found the end of the input"},
		{"garbage after", bundle(techniqueJSON) + " x", "unexpected 'x' after the end of the JSON document"},
		{"bad flag", "{\n  \"objects\": [\n    {\"revoked\": maybe}\n  ]\n}", "line 3, column 17: expected true or false, found 'm'"},
		{"bad literal", `{"objects": [{"x": nul}]}`, "line 1, column 20: invalid literal, expected null"},
		{"bad number", `{"objects": [{"x": -}]}`, "invalid number"},
		{"bad value", `{"objects": [{"x": @}]}`, "line 1, column 20: expected a JSON value, found '@'"},
		{"control byte", "{\"objects\": [{\"x\": \x01}]}", "expected a JSON value, found byte 0x01"},
		{"deep", deep, "nested deeper than 1000 levels"},
		{"not gzip", "\x1f\x8b\x00garbage", "reading gzip"},
		{"truncated gzip", string(gz[:len(gz)/2]), "reading gzip: the file is truncated"},
		{"gzip of garbage", string(gzipped(t, []byte("not json"))), "expected '{' to start an object, found 'n'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("no error, got %+v", m)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\n does not contain %q", err, tt.want)
			}
		})
	}
}

func TestParseFileErrorsNameTheFile(t *testing.T) {
	_, err := ParseFile("testdata/absent.json")
	if err == nil || !strings.Contains(err.Error(), "testdata/absent.json") {
		t.Errorf("error %v", err)
	}
	path := filepath.Join(t.TempDir(), "broken.json")
	os.WriteFile(path, []byte(`{"objects": [}`), 0o644)
	_, err = ParseFile(path)
	if err == nil || !strings.Contains(err.Error(), path+": invalid STIX bundle: line 1, column 14") {
		t.Errorf("error %v", err)
	}
}

// Mobile and ICS bundles use their own kill chains (and, in STIX 2.0
// data, their own external-reference source names).
func TestOtherDomains(t *testing.T) {
	in := bundle(
		`{"type": "x-mitre-collection", "id": "x-mitre-collection--m", "name": "Mobile ATT&CK", "x_mitre_version": "18.1"}`,
		`{"type": "x-mitre-matrix", "id": "x-mitre-matrix--m", "name": "Mobile ATT&CK", "tactic_refs": ["x-mitre-tactic--m"],
		  "external_references": [{"source_name": "mitre-attack", "external_id": "mobile-attack"}]}`,
		`{"type": "x-mitre-tactic", "id": "x-mitre-tactic--m", "name": "Defense Evasion", "x_mitre_shortname": "defense-evasion",
		  "external_references": [{"source_name": "mitre-attack", "external_id": "TA0030"}]}`,
		`{"type": "attack-pattern", "id": "attack-pattern--m", "name": "Hide Artifacts",
		  "kill_chain_phases": [{"kill_chain_name": "mitre-mobile-attack", "phase_name": "defense-evasion"}],
		  "external_references": [{"source_name": "mitre-mobile-attack", "external_id": "T1628"}]}`,
		`{"type": "attack-pattern", "id": "attack-pattern--i", "name": "Modify Parameter",
		  "kill_chain_phases": [{"kill_chain_name": "mitre-ics-attack", "phase_name": "impair-process-control"}],
		  "external_references": [{"source_name": "mitre-attack", "external_id": "T0836"}]}`,
	)
	m, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if m.Label() != "Mobile ATT&CK v18.1" || m.Domain != "mobile-attack" {
		t.Errorf("label %q, domain %q", m.Label(), m.Domain)
	}
	if ti, ok := m.Technique("T1628"); !ok || !reflect.DeepEqual(ti.Tactics, []string{"defense-evasion"}) {
		t.Errorf("T1628 = %+v, %v", ti, ok)
	}
	// A phase the matrix lacks is kept, shown by its short name.
	ts, _ := m.Resolve([]rule.AttackRef{{ID: "T0836", Kind: "technique"}})
	if len(ts) != 1 || !reflect.DeepEqual(ts[0].Tactics, []string{"impair-process-control"}) {
		t.Errorf("T0836 = %+v", ts)
	}
}
