package attack

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

var (
	corpusOnce   sync.Once
	corpusMatrix *Matrix
	corpusErr    error
)

// corpus parses the shared Enterprise ATT&CK v18.1 bundle once.
func corpus(t testing.TB) *Matrix {
	t.Helper()
	path := sharedtest.Path(t, "attack", "enterprise-attack-18.1.json.gz")
	corpusOnce.Do(func() { corpusMatrix, corpusErr = ParseFile(path) })
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusMatrix
}

func TestCorpusBundle(t *testing.T) {
	m := corpus(t)
	if m.Name != "Enterprise ATT&CK" || m.Domain != "enterprise-attack" || m.Version != "18.1" || m.Label() != "Enterprise ATT&CK v18.1" {
		t.Errorf("header: %q %q %q (%s)", m.Name, m.Domain, m.Version, m.VersionSource)
	}
	var tactics []string
	for _, tc := range m.Tactics {
		tactics = append(tactics, tc.ShortName)
	}
	want := "reconnaissance resource-development initial-access execution persistence privilege-escalation defense-evasion " +
		"credential-access discovery lateral-movement collection command-and-control exfiltration impact"
	if got := strings.Join(tactics, " "); got != want {
		t.Errorf("tactics\n got %s\nwant %s", got, want)
	}

	bits, ok := m.Technique("T1197")
	if !ok || bits.Name != "BITS Jobs" || !reflect.DeepEqual(bits.Tactics, []string{"persistence", "defense-evasion"}) {
		t.Errorf("T1197 = %+v", bits)
	}
	if sub, _ := m.Technique("T1036.003"); sub.Parent != "T1036" || !sub.SubTechnique || sub.Name != "Rename Legitimate Utilities" {
		t.Errorf("T1036.003 = %+v", sub)
	}
	if g, ok := m.Object("G0016"); !ok || g.Name != "APT29" {
		t.Errorf("G0016 = %+v", g)
	}
	if s, ok := m.Object("S0190"); !ok || s.Name != "BITSAdmin" {
		t.Errorf("S0190 = %+v", s)
	}

	techniques, named := m.Resolve([]rule.AttackRef{
		{ID: "T1197", Kind: "technique"},
		{ID: "T1150", Kind: "technique"}, // revoked by T1547.011, itself revoked by T1647
		{ID: "stealth", Kind: "tactic"},  // ATT&CK v19
		{ID: "defense_evasion", Kind: "tactic"},
	})
	got := showTechniques(techniques)
	wantT := []string{
		"T1197|BITS Jobs|Defense Evasion|known|||", // narrowed to the rule's own tactic tag
		"T1647|Plist File Modification|Defense Evasion|known|T1150||T1150 (Plist Modification) is revoked in Enterprise ATT&CK v18.1 and replaced by T1647 (Plist File Modification) (via T1547.011)",
	}
	if !reflect.DeepEqual(got, wantT) {
		t.Errorf("techniques\n got %q\nwant %q", got, wantT)
	}
	wantN := []string{
		"tactic|TA0005|Defense Evasion|known|defense_evasion|",
		"tactic|stealth|Stealth|unknown|stealth|tactic \"stealth\" is not in Enterprise ATT&CK v18.1; newer ATT&CK version?",
	}
	if got := showNamed(named); !reflect.DeepEqual(got, wantN) {
		t.Errorf("tactics\n got %q\nwant %q", got, wantN)
	}
}

// Each revoked technique of the bundle resolves to a current one, or is
// left as written with a note when the bundle names no replacement.
func TestCorpusEveryRevokedTechniqueResolves(t *testing.T) {
	m := corpus(t)
	revoked, replaced := 0, 0
	for _, ti := range m.Techniques {
		if !ti.Revoked {
			continue
		}
		revoked++
		ts, _ := m.Resolve([]rule.AttackRef{{ID: ti.ID, Kind: "technique"}})
		if len(ts) != 1 || !ts[0].Known {
			t.Fatalf("%s resolved to %+v", ti.ID, ts)
		}
		if ts[0].RevokedFrom == ti.ID {
			replaced++
			if now, _ := m.Technique(ts[0].ID); now.Revoked {
				t.Errorf("%s resolved to %s, itself revoked", ti.ID, ts[0].ID)
			}
		}
	}
	t.Logf("%d revoked techniques, %d followed to a replacement", revoked, replaced)
	if revoked == 0 || replaced != revoked {
		t.Errorf("%d revoked, %d replaced", revoked, replaced)
	}
}

// attackRefPatterns find ATT&CK references in the corpus rule files the way
// the three layouts write them. This is a measurement of what Resolve
// faces, not a reader: the readers build AttackRefs from parsed YAML/TOML.
var attackRefPatterns = map[string]*regexp.Regexp{
	"sigma":   regexp.MustCompile(`(?m)^\s*-\s*attack\.([a-z0-9_.-]+)\s*$`),
	"elastic": regexp.MustCompile(`(?m)^id\s*=\s*"(T\d{4}(?:\.\d{3})?|TA\d{4})"`),
	"splunk":  regexp.MustCompile(`(?m)^\s*-\s*(T\d{4}(?:\.\d{3})?)\s*$`),
}

// TestCorpusReferences resolves every ATT&CK reference the corpus rules
// write and reports what the v18.1 bundle does not know.
func TestCorpusReferences(t *testing.T) {
	if testing.Short() {
		t.Skip("walks the whole corpus")
	}
	m := corpus(t)
	roots := map[string]string{
		"sigma":   sharedtest.Path(t, "corpus", "sigma"),
		"elastic": sharedtest.Path(t, "corpus", "elastic"),
		"splunk":  sharedtest.Path(t, "corpus", "splunk", "detections"),
	}
	for source, root := range roots {
		seen := map[string]int{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".toml")) {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			for _, mm := range attackRefPatterns[source].FindAllSubmatch(data, -1) {
				seen[strings.ToUpper(string(mm[1]))]++
			}
			return nil
		})
		var refs []rule.AttackRef
		for id := range seen {
			refs = append(refs, rule.AttackRef{ID: id, Kind: kindOf(id)})
		}
		techniques, named := m.Resolve(refs)
		counts := map[string]int{}
		var unknown []string
		for _, tc := range techniques {
			switch {
			case !tc.Known:
				counts["unknown"]++
				unknown = append(unknown, tc.ID)
			case tc.RevokedFrom != "":
				counts["revoked"]++
			case tc.Deprecated:
				counts["deprecated"]++
			default:
				counts["current"]++
			}
		}
		for _, n := range named {
			if !n.Known {
				unknown = append(unknown, n.Kind+":"+n.ID)
			}
			counts[n.Kind]++
		}
		sort.Strings(unknown)
		t.Logf("%s: %d distinct references → techniques %v; named %d; not in v18.1: %v", source, len(seen), counts, len(named), unknown)
		for _, u := range unknown {
			if !strings.HasPrefix(u, "tactic:") && !strings.HasPrefix(u, "T") && u != "data-source:DS0005" {
				t.Errorf("%s: unexpected unknown reference %s", source, u)
			}
		}
	}
}

// kindOf stands in for the readers' kind.
func kindOf(id string) string {
	if kind := idKind(id); kind != "" {
		return kind
	}
	return "tactic"
}
