package attack

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"ruledex/internal/rule"
)

const noBundleNote = "no ATT&CK bundle loaded"

// Resolve turns a rule's references into the techniques it covers and the
// tactics, groups and software it names. Nothing is dropped: an id the
// bundle does not know is kept as written with Known false and a note. A
// technique written twice (or written once directly and once through a
// revoked id) is one Technique. Techniques come ordered by their first
// tactic in matrix order, then id; tactics in matrix order, then groups,
// software, campaigns and data sources. The tactic an AttackRef ties its
// technique to (Elastic's threat entries) is checked against the bundle
// and listed among the tactics the rule names.
//
// A nil *Matrix works: ids come back bare with Known false and the note
// "no ATT&CK bundle loaded".
func (m *Matrix) Resolve(refs []rule.AttackRef) ([]rule.Technique, []rule.TacticRef) {
	r := resolver{m: m}
	for _, ref := range refs {
		switch refKind(ref) {
		case "technique":
			r.technique(ref)
		case "tactic":
			r.addTactic(m.resolveTactic(ref.ID, written(ref)))
		case "group", "software", "campaign", "data-source":
			r.addNamed(m.resolveObject(ref))
		default:
			r.addNamed(rule.TacticRef{ID: ref.ID, Name: ref.ID, Kind: ref.Kind, Written: written(ref),
				Note: fmt.Sprintf("unknown ATT&CK reference kind %q (expected technique, tactic, group, software, campaign or data-source)", ref.Kind)})
		}
	}
	r.narrow()
	return r.sorted()
}

// narrow places each technique under the tactics the rule gives it rather
// than under every tactic the bundle lists for it: the tactics an Elastic
// threat entry pairs with the technique, or else those of the rule's
// tactic tags (Sigma attack.persistence) that the technique belongs to.
// A technique the rule says nothing about keeps the bundle's tactics.
func (r *resolver) narrow() {
	var named []string
	for _, t := range r.named {
		if t.Kind == "tactic" {
			named = append(named, t.Name)
		}
	}
	for i := range r.techniques {
		t := &r.techniques[i]
		if paired := r.paired[t.ID]; len(paired) > 0 {
			t.Tactics = r.m.inMatrixOrder(paired)
			continue
		}
		var keep []string
		for _, name := range t.Tactics {
			if slices.Contains(named, name) {
				keep = append(keep, name)
			}
		}
		if len(keep) > 0 {
			t.Tactics = keep
		}
	}
}

// inMatrixOrder sorts tactic names by their column, unknown ones last.
func (m *Matrix) inMatrixOrder(names []string) []string {
	rank := func(name string) int {
		if m != nil {
			for i, t := range m.Tactics {
				if t.Name == name {
					return i
				}
			}
		}
		return 1 << 20
	}
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int { return rank(a) - rank(b) })
	return slices.Compact(out)
}

// refKind is the reference's kind, inferred from the id when the reader
// left it empty.
func refKind(ref rule.AttackRef) string {
	if ref.Kind != "" {
		return strings.ToLower(ref.Kind)
	}
	if kind := idKind(normalizeID(ref.ID)); kind != "" {
		return kind
	}
	return "tactic" // a tactic written by name ("persistence")
}

func written(ref rule.AttackRef) string {
	if ref.Written != "" {
		return ref.Written
	}
	return ref.ID
}

// resolver collects one rule's resolved references.
type resolver struct {
	m          *Matrix
	techniques []rule.Technique
	techIndex  map[string]int // resolved id → index in techniques
	named      []rule.TacticRef
	namedIndex map[string]int // kind/resolved id → index in named
	// paired are the tactic names a threat entry ties to a technique
	// (resolved technique id → names).
	paired map[string][]string
}

func (r *resolver) technique(ref rule.AttackRef) {
	t, info := r.m.resolveTechnique(ref.ID)
	if ref.Tactic != "" {
		tactic := r.m.resolveTactic(ref.Tactic, ref.Tactic)
		r.addTactic(tactic)
		if note := r.m.tacticMismatch(t, info, tactic); note != "" {
			t.Note = joinNotes(t.Note, note)
		}
		if r.paired == nil {
			r.paired = map[string][]string{}
		}
		r.paired[t.ID] = append(r.paired[t.ID], tactic.Name)
	}
	if r.techIndex == nil {
		r.techIndex = map[string]int{}
	}
	i, dup := r.techIndex[t.ID]
	if !dup {
		r.techIndex[t.ID] = len(r.techniques)
		r.techniques = append(r.techniques, t)
		return
	}
	old := &r.techniques[i]
	if old.RevokedFrom == "" {
		old.RevokedFrom = t.RevokedFrom
	}
	old.Note = joinNotes(old.Note, t.Note)
}

// resolveTechnique resolves one technique id, following revocations.
func (m *Matrix) resolveTechnique(written string) (rule.Technique, TechniqueInfo) {
	id := normalizeID(written)
	t := rule.Technique{ID: id, Tactics: []string{}}
	if m == nil {
		t.Note = noBundleNote
		return t, TechniqueInfo{}
	}
	info, ok := m.Technique(id)
	if !ok {
		if isTechniqueID(id) {
			t.Note = id + " is " + m.versionNote()
		} else {
			t.Note = fmt.Sprintf("%q is not an ATT&CK technique id (T1234 or T1234.001)", written)
		}
		return t, TechniqueInfo{}
	}
	var note string
	if info.Revoked {
		final, via, ok := m.replacement(id)
		if repl, found := m.Technique(final); ok && found {
			note = fmt.Sprintf("%s (%s) is revoked in %s and replaced by %s (%s)%s",
				id, info.Name, m.Label(), repl.ID, repl.Name, viaText(via))
			t.RevokedFrom = id
			info = repl
		} else {
			note = m.noReplacementNote(id)
		}
	}
	if info.Deprecated {
		note = joinNotes(note, fmt.Sprintf("%s is deprecated in %s", info.ID, m.Label()))
	}
	t.ID, t.Name, t.URL, t.Parent = info.ID, info.Name, info.URL, info.Parent
	t.Known, t.Deprecated, t.Note = true, info.Deprecated, note
	t.Tactics = make([]string, 0, len(info.Tactics))
	for _, short := range info.Tactics {
		t.Tactics = append(t.Tactics, m.tacticName(short))
	}
	return t, info
}

// noReplacementNote explains a revoked id kept as written.
func (m *Matrix) noReplacementNote(id string) string {
	if _, linked := m.revokedNext[id]; linked {
		return fmt.Sprintf("%s is revoked in %s and its revoked-by links loop", id, m.Label())
	}
	return fmt.Sprintf("%s is revoked in %s, which names no replacement", id, m.Label())
}

func viaText(via []string) string {
	if len(via) == 0 {
		return ""
	}
	return " (via " + strings.Join(via, ", ") + ")"
}

// tacticMismatch notes a tactic the rule ties to a technique that the
// bundle does not list the technique under.
func (m *Matrix) tacticMismatch(t rule.Technique, info TechniqueInfo, tactic rule.TacticRef) string {
	if m == nil || !t.Known || !tactic.Known {
		return ""
	}
	want, _ := m.TacticByShortName(tactic.ID)
	if slices.Contains(info.Tactics, want.ShortName) {
		return ""
	}
	return fmt.Sprintf("the rule files %s under %s; %s lists it under %s",
		t.ID, tactic.Name, m.Label(), strings.Join(t.Tactics, ", "))
}

// resolveTactic resolves a tactic written as an id, a short name or a name.
func (m *Matrix) resolveTactic(id, written string) rule.TacticRef {
	ref := rule.TacticRef{ID: strings.TrimSpace(id), Kind: "tactic", Written: written}
	if up := normalizeID(ref.ID); isID(up, "TA") {
		ref.ID = up
	}
	if m == nil {
		ref.Name, ref.Note = displayTactic(ref.ID), noBundleNote
		return ref
	}
	t, ok := m.TacticByShortName(ref.ID)
	if !ok {
		ref.Name = displayTactic(ref.ID)
		ref.Note = fmt.Sprintf("tactic %q is %s", ref.ID, m.versionNote())
		return ref
	}
	ref.ID, ref.Name, ref.URL, ref.Known = t.ID, t.Name, t.URL, true
	return ref
}

// displayTactic names a tactic nothing resolved: ids stay, short names
// read as names ("defense-impairment" → "Defense Impairment").
func displayTactic(id string) string {
	if isID(id, "TA") || strings.ContainsAny(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return id
	}
	return prettyShortName(id)
}

// resolveObject resolves a group, software, campaign or data source id,
// following revocations. The kind comes from the bundle when the rule's
// differs (a malware revoked by a tool is still software).
func (m *Matrix) resolveObject(ref rule.AttackRef) rule.TacticRef {
	id := normalizeID(ref.ID)
	out := rule.TacticRef{ID: id, Name: id, Kind: refKind(ref), Written: written(ref)}
	if m == nil {
		out.Note = noBundleNote
		return out
	}
	o, ok := m.Object(id)
	if !ok {
		out.Note = fmt.Sprintf("%s %s is %s", out.Kind, id, m.versionNote())
		return out
	}
	if o.Revoked {
		final, via, ok := m.replacement(id)
		if repl, found := m.Object(final); ok && found {
			out.Note = fmt.Sprintf("%s (%s) is revoked in %s and replaced by %s (%s)%s",
				id, o.Name, m.Label(), repl.ID, repl.Name, viaText(via))
			o = repl
		} else {
			out.Note = m.noReplacementNote(id)
		}
	}
	if o.Deprecated {
		out.Note = joinNotes(out.Note, fmt.Sprintf("%s is deprecated in %s", o.ID, m.Label()))
	}
	out.ID, out.Name, out.URL, out.Kind, out.Known = o.ID, o.Name, o.URL, o.Kind, true
	return out
}

func (r *resolver) addTactic(t rule.TacticRef) {
	if t.Known {
		r.add("tactic/"+t.ID, t, true)
		return
	}
	// "Defense_Impairment" and "defense-impairment" are one tactic; the
	// first spelling's note says it all.
	r.add("tactic/"+tacticKey(t.ID), t, false)
}

func (r *resolver) addNamed(t rule.TacticRef) { r.add(t.Kind+"/"+t.ID, t, true) }

// add appends t unless its key is in already; a duplicate's note (a
// revoked id that led to a group already named) joins the first one's.
func (r *resolver) add(key string, t rule.TacticRef, mergeNote bool) {
	if r.namedIndex == nil {
		r.namedIndex = map[string]int{}
	}
	if i, dup := r.namedIndex[key]; dup {
		if mergeNote {
			r.named[i].Note = joinNotes(r.named[i].Note, t.Note)
		}
		return
	}
	r.namedIndex[key] = len(r.named)
	r.named = append(r.named, t)
}

// sorted orders the results; see Resolve. Ranks are computed once per
// entry, not per comparison.
func (r *resolver) sorted() ([]rule.Technique, []rule.TacticRef) {
	m := r.m
	unranked := len(m.tacticsOrNil()) + 1
	techniques := make([]ranked[rule.Technique], len(r.techniques))
	for i, t := range r.techniques {
		techniques[i] = ranked[rule.Technique]{rank: unranked, id: t.ID, v: t}
		if len(t.Tactics) > 0 {
			if p, ok := m.tacticPos(t.Tactics[0]); ok {
				techniques[i].rank = p
			}
		}
	}
	named := make([]ranked[rule.TacticRef], len(r.named))
	for i, t := range r.named {
		rank, ok := kindRank[t.Kind]
		if !ok {
			rank = len(kindRank) + 2
		}
		named[i] = ranked[rule.TacticRef]{rank: rank, id: t.ID, v: t}
		if t.Kind == "tactic" && t.Known {
			named[i].sub, _ = m.tacticPos(t.ID)
		} else if t.Kind == "tactic" {
			named[i].rank++ // tactics the bundle does not know follow those it does
		}
	}
	return sortRanked(techniques, r.techniques), sortRanked(named, r.named)
}

// kindRank orders what a rule names: tactics (known, then unknown), groups,
// software, campaigns, data sources, anything else.
var kindRank = map[string]int{"tactic": 1, "group": 3, "software": 4, "campaign": 5, "data-source": 6}

// ranked is a value with its sort key.
type ranked[T any] struct {
	rank, sub int
	id        string
	v         T
}

// sortRanked sorts by rank, sub-rank, then id, writing the values to out.
func sortRanked[T any](list []ranked[T], out []T) []T {
	slices.SortStableFunc(list, func(a, b ranked[T]) int {
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank)
		}
		if a.sub != b.sub {
			return cmp.Compare(a.sub, b.sub)
		}
		return strings.Compare(a.id, b.id)
	})
	for i, e := range list {
		out[i] = e.v
	}
	return out
}

func (m *Matrix) tacticsOrNil() []Tactic {
	if m == nil {
		return nil
	}
	return m.Tactics
}

// joinNotes joins two notes, dropping empty and repeated ones.
func joinNotes(a, b string) string {
	switch {
	case b == "" || a == b || strings.Contains(a, b):
		return a
	case a == "":
		return b
	}
	return a + "; " + b
}
