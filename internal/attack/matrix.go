package attack

import (
	"strings"
)

// Matrix is one ATT&CK domain (Enterprise, Mobile or ICS) as a STIX bundle
// describes it. It is read-only once built and safe for concurrent use.
type Matrix struct {
	Name   string // "Enterprise ATT&CK"
	Domain string // "enterprise-attack", from the x-mitre-matrix object
	// Version is the ATT&CK release, "18.1", or "" when neither the bundle
	// nor its file name says (VersionSource then says what is known).
	Version string
	// VersionSource says where Version came from: "x-mitre-collection",
	// "file name enterprise-attack-18.1.json.gz", or why it is unknown.
	VersionSource string
	// SpecVersion is the most common x_mitre_attack_spec_version, the
	// version of ATT&CK's data model ("3.2.0"), not of its content.
	SpecVersion string
	// Modified is the collection's modified time, or failing that the
	// newest modified time of any object in the bundle.
	Modified string
	// Source is the file path or URL the bundle came from; CachePath is the
	// cached copy it was read from when Source is a URL.
	Source    string
	CachePath string

	Tactics []Tactic // in matrix order (the x-mitre-matrix tactic_refs)
	// Techniques are all techniques and sub-techniques of the bundle,
	// revoked and deprecated ones included, sorted by id.
	Techniques []TechniqueInfo
	// Objects are the groups, software, campaigns and data sources,
	// revoked and deprecated ones included, sorted by id (their id
	// prefixes, G, S, C and DS, keep the kinds apart).
	Objects []Object

	tacticIndex    map[string]int    // normalised id, short name and name → index in Tactics
	techniqueIndex map[string]int    // technique id → index in Techniques
	objectIndex    map[string]int    // id → index in Objects
	byTactic       [][]int           // per tactic: current techniques, by id
	revokedNext    map[string]string // id → the id that revoked it (one step)
}

// Tactic is a column of the matrix.
type Tactic struct {
	ID          string // TA0005
	ShortName   string // defense-evasion (kill_chain_phases phase_name)
	Name        string // Defense Evasion
	URL         string
	Description string
}

// TechniqueInfo is a technique or sub-technique of the bundle.
type TechniqueInfo struct {
	ID     string // T1197, T1036.003
	Name   string
	URL    string
	Parent string // parent technique id of a sub-technique
	// Tactics are the short names of the technique's tactics in matrix
	// order; phases the matrix does not have follow in the order written.
	Tactics      []string
	SubTechnique bool
	Deprecated   bool
	Revoked      bool
	// RevokedBy is the id of the technique that finally replaces a revoked
	// one (revoked-by relationships followed to the end); "" when the
	// bundle names no replacement or the chain loops.
	RevokedBy string
	Platforms []string
}

// Object is a group (intrusion-set), a piece of software (malware, tool),
// a campaign or a data source: what rules tag besides techniques and
// tactics.
type Object struct {
	ID         string // G0016, S0190, C0024, DS0005
	Name       string
	Kind       string // group, software, campaign, data-source
	Type       string // intrusion-set, malware, tool, campaign, x-mitre-data-source
	URL        string
	Aliases    []string
	Deprecated bool
	Revoked    bool
	RevokedBy  string // final replacement id, as for techniques
}

// Label names the matrix and its version for notes and page footers:
// "Enterprise ATT&CK v18.1", or "Enterprise ATT&CK (version unknown)".
func (m *Matrix) Label() string {
	if m == nil {
		return "no ATT&CK bundle"
	}
	if m.Version == "" {
		return m.Name + " (version unknown)"
	}
	return m.Name + " v" + m.Version
}

// Technique returns the technique or sub-technique with the id (any case),
// revoked and deprecated ones included.
func (m *Matrix) Technique(id string) (TechniqueInfo, bool) {
	if m == nil {
		return TechniqueInfo{}, false
	}
	i, ok := m.techniqueIndex[normalizeID(id)]
	if !ok {
		return TechniqueInfo{}, false
	}
	return m.Techniques[i], true
}

// TacticByShortName finds a tactic of the matrix by its short name
// ("defense-evasion"), its name ("Defense Evasion"), a snake-case spelling
// ("defense_evasion") or its id ("TA0005"), in any case.
func (m *Matrix) TacticByShortName(s string) (Tactic, bool) {
	i, ok := m.tacticPos(s)
	if !ok {
		return Tactic{}, false
	}
	return m.Tactics[i], true
}

// tacticPos is the tactic's index in matrix order.
func (m *Matrix) tacticPos(s string) (int, bool) {
	if m == nil {
		return 0, false
	}
	i, ok := m.tacticIndex[tacticKey(s)]
	return i, ok
}

// tacticKey folds the spellings rules use for one tactic into one key;
// a short name as the bundle writes it comes back as is.
func tacticKey(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		c := s[i]
		clean = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}
	if clean {
		return s
	}
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '_' {
			return '-'
		}
		return r
	}, s)
}

// TechniquesOf returns the current (neither revoked nor deprecated)
// techniques and sub-techniques of a tactic, named as TacticByShortName
// accepts, sorted by id so that sub-techniques follow their parent.
func (m *Matrix) TechniquesOf(tactic string) []TechniqueInfo {
	i, ok := m.tacticPos(tactic)
	if !ok {
		return nil
	}
	out := make([]TechniqueInfo, 0, len(m.byTactic[i]))
	for _, t := range m.byTactic[i] {
		out = append(out, m.Techniques[t])
	}
	return out
}

// Object returns the group, software, campaign or data source with the id
// (G0016, S0190, C0024, DS0005; any case), revoked ones included.
func (m *Matrix) Object(id string) (Object, bool) {
	if m == nil {
		return Object{}, false
	}
	i, ok := m.objectIndex[normalizeID(id)]
	if !ok {
		return Object{}, false
	}
	return m.Objects[i], true
}

// ObjectsOf lists the objects of one kind (group, software, campaign,
// data-source), sorted by id.
func (m *Matrix) ObjectsOf(kind string) []Object {
	if m == nil {
		return nil
	}
	var out []Object
	for _, o := range m.Objects {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out
}

// tacticName is the display name of a tactic short name; short names the
// matrix does not have are shown as written.
func (m *Matrix) tacticName(short string) string {
	if i, ok := m.tacticPos(short); ok {
		return m.Tactics[i].Name
	}
	return short
}
