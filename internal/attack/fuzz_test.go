package attack

import (
	"os"
	"strings"
	"testing"

	"ruledex/internal/rule"
)

// FuzzParse feeds arbitrary bytes, plain or gzip, to the bundle reader. It
// must return a matrix or an error, never panic (the fuzz calls the reader
// without the recover that guards Parse), and a matrix it returns must be
// usable.
func FuzzParse(f *testing.F) {
	fixture, err := os.ReadFile("testdata/mini-attack.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add(gzipped(f, fixture))
	f.Add(fixture[:len(fixture)/2])
	gz := gzipped(f, fixture)
	f.Add(gz[:len(gz)-9])
	f.Add([]byte(bundle(tacticAJSON, tacticBJSON, techniqueJSON)))
	f.Add([]byte(`{"objects": [{"type": "attack-pattern", "name": "A\u0041\ud83d", "external_references": [{"source_name": "mitre-attack", "external_id": "T1"}]}]}`))
	f.Add([]byte(`{"objects": [` + strings.Repeat(`[`, 50) + `]}`))
	f.Add([]byte("\x1f\x8b"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseUnguarded(data)
		if err != nil {
			if m != nil {
				t.Fatal("a matrix and an error")
			}
			return
		}
		m.Label()
		for _, ti := range m.Techniques {
			if got, ok := m.Technique(ti.ID); !ok || got.ID != ti.ID {
				t.Fatalf("Technique(%q) = %+v, %v", ti.ID, got, ok)
			}
		}
		for _, tc := range m.Tactics {
			m.TechniquesOf(tc.ShortName)
		}
		var refs []rule.AttackRef
		for _, ti := range m.Techniques {
			refs = append(refs, rule.AttackRef{ID: ti.ID, Kind: "technique", Tactic: "persistence"})
		}
		for _, o := range m.Objects {
			refs = append(refs, rule.AttackRef{ID: o.ID})
		}
		techniques, _ := m.Resolve(refs)
		if len(m.Techniques) > 0 && len(techniques) == 0 {
			t.Fatal("every technique was dropped")
		}
	})
}

// FuzzResolve resolves arbitrary references against the fixture.
func FuzzResolve(f *testing.F) {
	m := mini(f)
	f.Add("T1197", "technique", "TA0002")
	f.Add("T1150", "", "")
	f.Add("defense_evasion", "tactic", "")
	f.Add("G0001", "group", "stealth")
	f.Add("", "", "")
	f.Add("\xff", "software", "\x00")
	f.Fuzz(func(t *testing.T, id, kind, tactic string) {
		refs := []rule.AttackRef{{ID: id, Kind: kind, Tactic: tactic}, {ID: id}, {ID: tactic, Kind: "tactic"}}
		techniques, named := m.Resolve(refs)
		var none *Matrix
		none.Resolve(refs)
		if len(techniques)+len(named) == 0 {
			t.Fatalf("%q/%q/%q: every reference was dropped", id, kind, tactic)
		}
	})
}
