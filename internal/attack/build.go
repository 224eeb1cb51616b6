package attack

import (
	"bytes"
	"errors"
	"sort"
	"strings"
)

// builder collects the objects of a bundle as they stream past and links
// them once all are in: relationships may come before or after the
// objects they join.
type builder struct {
	collections []collectionRec
	matrices    []matrixRec
	tactics     map[string]tacticRec // by STIX id
	techniques  []techniqueRec
	objects     []objectRec
	subOf       map[string]string // sub-technique STIX id → parent STIX id
	revokedBy   map[string]string // revoked STIX id → replacement STIX id
	attackIDs   map[string]string // STIX id → ATT&CK id (techniques, groups, software)
	specCounts  []specCount
	latest      []byte // newest modified time seen (a slice of the input)
}

type collectionRec struct{ name, version, modified string }

type matrixRec struct {
	name, domain, modified string
	tacticRefs             []string
	retired                bool // revoked or deprecated
}

type tacticRec struct {
	Tactic
	retired bool
}

type techniqueRec struct {
	info     TechniqueInfo
	phases   []string // phase names of ATT&CK kill chains, as written
	modified string
}

type objectRec struct {
	info     Object
	modified string
}

type specCount struct {
	version string
	n       int
}

func newBuilder() *builder {
	return &builder{
		tactics:   map[string]tacticRec{},
		subOf:     map[string]string{},
		revokedBy: map[string]string{},
		attackIDs: map[string]string{},
	}
}

// add takes one object; o is reused by the caller, so everything kept is
// copied into strings here.
func (b *builder) add(o *stixObject) {
	b.countSpec(o.specVersion)
	if bytes.Compare(o.modified.raw, b.latest) > 0 {
		b.latest = o.modified.raw
	}
	switch {
	case o.typ.is("relationship"):
		b.addRelationship(o)
	case o.typ.is("attack-pattern"):
		b.addTechnique(o)
	case o.typ.is("x-mitre-tactic"):
		b.tactics[o.id.String()] = tacticRec{
			Tactic: Tactic{
				ID:          o.extID.String(),
				ShortName:   o.shortName.String(),
				Name:        o.name.String(),
				URL:         o.extURL.String(),
				Description: o.description.String(),
			},
			retired: o.revoked || o.deprecated,
		}
	case o.typ.is("x-mitre-matrix"):
		b.matrices = append(b.matrices, matrixRec{
			name:       o.name.String(),
			domain:     o.extID.String(),
			modified:   o.modified.String(),
			tacticRefs: stringsOf(o.tacticRefs),
			retired:    o.revoked || o.deprecated,
		})
	case o.typ.is("x-mitre-collection"):
		b.collections = append(b.collections, collectionRec{
			name:     o.name.String(),
			version:  o.version.String(),
			modified: o.modified.String(),
		})
	case o.typ.is("intrusion-set"):
		b.addObject(o, "group")
	case o.typ.is("malware"), o.typ.is("tool"):
		b.addObject(o, "software")
	case o.typ.is("campaign"):
		b.addObject(o, "campaign")
	case o.typ.is("x-mitre-data-source"):
		b.addObject(o, "data-source")
	}
}

func (b *builder) countSpec(v jstr) {
	if v.empty() {
		return
	}
	for i := range b.specCounts {
		if v.is(b.specCounts[i].version) {
			b.specCounts[i].n++
			return
		}
	}
	b.specCounts = append(b.specCounts, specCount{version: v.String(), n: 1})
}

// addRelationship keeps the two relationship types that shape techniques;
// the other 97% (uses, mitigates, detects) are dropped unread.
func (b *builder) addRelationship(o *stixObject) {
	if o.revoked || o.deprecated {
		return
	}
	switch {
	case o.relType.is("subtechnique-of"):
		b.subOf[o.sourceRef.String()] = o.targetRef.String()
	case o.relType.is("revoked-by"):
		b.revokedBy[o.sourceRef.String()] = o.targetRef.String()
	}
}

func (b *builder) addTechnique(o *stixObject) {
	if o.extID.empty() {
		return // not an ATT&CK technique (a CAPEC pattern in a mixed bundle, say)
	}
	id := normalID(o.extID)
	b.attackIDs[o.id.String()] = id
	var phases []string
	for _, p := range o.phases {
		if name := p.name.String(); name != "" && isAttackChain(p.chain.String()) {
			phases = append(phases, name)
		}
	}
	b.techniques = append(b.techniques, techniqueRec{
		info: TechniqueInfo{
			ID:           id,
			Name:         o.name.String(),
			URL:          o.extURL.String(),
			SubTechnique: o.subtechnique || strings.Contains(id, "."),
			Deprecated:   o.deprecated,
			Revoked:      o.revoked,
			Platforms:    stringsOf(o.platforms),
		},
		phases:   phases,
		modified: o.modified.String(),
	})
}

func (b *builder) addObject(o *stixObject, kind string) {
	if o.extID.empty() {
		return
	}
	id := normalID(o.extID)
	b.attackIDs[o.id.String()] = id
	name := o.name.String()
	var aliases []string
	for _, a := range o.aliases {
		if s := a.String(); s != name {
			aliases = append(aliases, s)
		}
	}
	b.objects = append(b.objects, objectRec{
		info: Object{
			ID:         id,
			Name:       name,
			Kind:       kind,
			Type:       o.typ.String(),
			URL:        o.extURL.String(),
			Aliases:    aliases,
			Deprecated: o.deprecated,
			Revoked:    o.revoked,
		},
		modified: o.modified.String(),
	})
}

// normalID is an ATT&CK id as the lookups key it.
func normalID(j jstr) string {
	return normalizeID(j.String())
}

func stringsOf(list []jstr) []string {
	if len(list) == 0 {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.String()
	}
	return out
}

var errNoTechniques = errors.New("the bundle has no ATT&CK techniques (attack-pattern objects with a mitre-attack external id); " +
	"is it an ATT&CK bundle such as enterprise-attack.json?")

// finish links what was collected into a Matrix.
func (b *builder) finish() (*Matrix, error) {
	if len(b.techniques) == 0 {
		return nil, errNoTechniques
	}
	m := &Matrix{}
	b.header(m)
	b.layoutTactics(m)
	m.revokedNext = b.revokedNext()
	b.fillTechniques(m)
	b.fillObjects(m)
	return m, nil
}

// header sets the name, domain, version and dates.
func (b *builder) header(m *Matrix) {
	if mx, ok := b.primaryMatrix(); ok {
		m.Name, m.Domain = mx.name, mx.domain
	}
	best := 0
	for _, c := range b.specCounts {
		if c.n > best {
			m.SpecVersion, best = c.version, c.n
		}
	}
	for _, c := range b.collections {
		if m.Name == "" {
			m.Name = c.name
		}
		if m.Version == "" && c.version != "" {
			m.Version, m.VersionSource = c.version, "x-mitre-collection"
			m.Modified = c.modified
		}
	}
	if m.Name == "" {
		m.Name = "ATT&CK"
	}
	if m.Version == "" {
		m.VersionSource = "unknown: the bundle has no x-mitre-collection object"
	}
	if m.Modified == "" {
		m.Modified = jstr{raw: b.latest}.String()
	}
}

// primaryMatrix is the first current x-mitre-matrix, else the first.
func (b *builder) primaryMatrix() (matrixRec, bool) {
	for _, mx := range b.matrices {
		if !mx.retired {
			return mx, true
		}
	}
	if len(b.matrices) > 0 {
		return b.matrices[0], true
	}
	return matrixRec{}, false
}

// layoutTactics orders the tactics as the matrices' tactic_refs do. A
// bundle without a matrix (a hand-made one) gets its current tactics in id
// order.
func (b *builder) layoutTactics(m *Matrix) {
	seen := map[string]bool{}
	addRef := func(ref string) {
		t, ok := b.tactics[ref]
		if ok && !seen[ref] {
			seen[ref] = true
			m.Tactics = append(m.Tactics, t.Tactic)
		}
	}
	if mx, ok := b.primaryMatrix(); ok {
		for _, ref := range mx.tacticRefs {
			addRef(ref)
		}
		for _, other := range b.matrices {
			if !other.retired {
				for _, ref := range other.tacticRefs {
					addRef(ref)
				}
			}
		}
	} else {
		refs := make([]string, 0, len(b.tactics))
		for ref, t := range b.tactics {
			if !t.retired {
				refs = append(refs, ref)
			}
		}
		sort.Slice(refs, func(i, j int) bool {
			a, c := b.tactics[refs[i]], b.tactics[refs[j]]
			if a.ID != c.ID {
				return a.ID < c.ID
			}
			return refs[i] < refs[j]
		})
		for _, ref := range refs {
			addRef(ref)
		}
	}
	m.tacticIndex = make(map[string]int, 3*len(m.Tactics))
	// Later keys do not overwrite earlier ones: on a clash (Enterprise and
	// ICS both have "execution") the primary matrix wins.
	for i, t := range m.Tactics {
		for _, k := range []string{t.ShortName, t.Name, t.ID} {
			if k = tacticKey(k); k != "" {
				if _, dup := m.tacticIndex[k]; !dup {
					m.tacticIndex[k] = i
				}
			}
		}
	}
}

// revokedNext maps each revoked ATT&CK id to the id that revoked it.
func (b *builder) revokedNext() map[string]string {
	next := make(map[string]string, len(b.revokedBy))
	for src, dst := range b.revokedBy {
		from, ok1 := b.attackIDs[src]
		to, ok2 := b.attackIDs[dst]
		if ok1 && ok2 && from != to {
			next[from] = to
		}
	}
	return next
}

// fillTechniques keeps one technique per id, orders their tactics by the
// matrix and links parents and replacements.
func (b *builder) fillTechniques(m *Matrix) {
	chosen := map[string]int{}
	for i, t := range b.techniques {
		if j, dup := chosen[t.info.ID]; !dup || preferred(t.info.Revoked, t.info.Deprecated, t.modified,
			b.techniques[j].info.Revoked, b.techniques[j].info.Deprecated, b.techniques[j].modified) {
			chosen[t.info.ID] = i
		}
	}
	parentOf := map[string]string{}
	for sub, parent := range b.subOf {
		if s, ok := b.attackIDs[sub]; ok {
			if p, ok := b.attackIDs[parent]; ok {
				parentOf[s] = p
			}
		}
	}
	m.Techniques = make([]TechniqueInfo, 0, len(chosen))
	for _, i := range chosen {
		rec := b.techniques[i]
		t := rec.info
		t.Tactics = m.orderTactics(rec.phases)
		if t.SubTechnique {
			t.Parent = parentOf[t.ID]
			if dot := strings.IndexByte(t.ID, '.'); t.Parent == "" && dot > 0 {
				t.Parent = t.ID[:dot]
			}
		}
		if t.Revoked {
			t.RevokedBy, _, _ = m.replacement(t.ID)
		}
		m.Techniques = append(m.Techniques, t)
	}
	sort.Slice(m.Techniques, func(i, j int) bool { return m.Techniques[i].ID < m.Techniques[j].ID })
	m.techniqueIndex = make(map[string]int, len(m.Techniques))
	m.byTactic = make([][]int, len(m.Tactics))
	for i, t := range m.Techniques {
		m.techniqueIndex[t.ID] = i
		if t.Revoked || t.Deprecated {
			continue
		}
		for _, short := range t.Tactics {
			if p, ok := m.tacticPos(short); ok {
				m.byTactic[p] = append(m.byTactic[p], i)
			}
		}
	}
}

// orderTactics sorts phase names by the matrix; names it does not have
// follow in the order written. Duplicates are dropped.
func (m *Matrix) orderTactics(phases []string) []string {
	if len(phases) == 0 {
		return nil
	}
	out := make([]string, 0, len(phases))
	seen := make(map[string]bool, len(phases))
	for _, p := range phases {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	rank := func(s string) int {
		if i, ok := m.tacticPos(s); ok {
			return i
		}
		return len(m.Tactics)
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

func (b *builder) fillObjects(m *Matrix) {
	chosen := map[string]int{}
	for i, o := range b.objects {
		if j, dup := chosen[o.info.ID]; !dup || preferred(o.info.Revoked, o.info.Deprecated, o.modified,
			b.objects[j].info.Revoked, b.objects[j].info.Deprecated, b.objects[j].modified) {
			chosen[o.info.ID] = i
		}
	}
	m.Objects = make([]Object, 0, len(chosen))
	for _, i := range chosen {
		o := b.objects[i].info
		if o.Revoked {
			o.RevokedBy, _, _ = m.replacement(o.ID)
		}
		m.Objects = append(m.Objects, o)
	}
	sort.Slice(m.Objects, func(i, j int) bool { return m.Objects[i].ID < m.Objects[j].ID })
	m.objectIndex = make(map[string]int, len(m.Objects))
	for i, o := range m.Objects {
		m.objectIndex[o.ID] = i
	}
}

// preferred decides between two objects with one ATT&CK id (ids are not
// unique in STIX data): current beats revoked, then beats deprecated, then
// the newer wins.
func preferred(revoked, deprecated bool, modified string, oldRevoked, oldDeprecated bool, oldModified string) bool {
	if revoked != oldRevoked {
		return !revoked
	}
	if deprecated != oldDeprecated {
		return !deprecated
	}
	return modified > oldModified
}

// replacement follows revoked-by links from id to the end. It returns the
// final id, the ids passed on the way (without id and final), and false
// when the links loop or id was not revoked by anything.
func (m *Matrix) replacement(id string) (final string, via []string, ok bool) {
	next, ok := m.revokedNext[id]
	if !ok {
		return "", nil, false
	}
	seen := map[string]bool{id: true}
	for {
		if seen[next] {
			return "", nil, false
		}
		seen[next] = true
		after, more := m.revokedNext[next]
		if !more {
			return next, via, true
		}
		via = append(via, next)
		next = after
	}
}
