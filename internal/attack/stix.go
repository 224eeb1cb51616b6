package attack

import "strings"

// stixObject holds the fields of one STIX object that this package uses,
// as slices of the input. One value is reused for every object of the
// bundle, so reading the 20,000 relationships of Enterprise ATT&CK costs
// no allocation.
type stixObject struct {
	typ, id, name, description jstr
	shortName                  jstr // x_mitre_shortname of a tactic
	relType, sourceRef         jstr
	targetRef                  jstr
	version, specVersion       jstr // x_mitre_version, x_mitre_attack_spec_version
	modified                   jstr
	revoked, deprecated        bool
	subtechnique               bool
	extID, extURL              jstr // from the ATT&CK external reference
	phases                     []phase
	platforms, aliases         []jstr
	tacticRefs                 []jstr
}

// phase is one kill_chain_phases entry.
type phase struct{ chain, name jstr }

func (o *stixObject) reset() {
	*o = stixObject{
		phases:     o.phases[:0],
		platforms:  o.platforms[:0],
		aliases:    o.aliases[:0],
		tacticRefs: o.tacticRefs[:0],
	}
}

// bundleReader feeds the objects of a bundle to a builder.
type bundleReader struct {
	s      *scanner
	obj    stixObject
	member func(jstr) bool // obj's member reader, made once
	add    func(*stixObject)
}

// readBundle reads {"type":"bundle","objects":[…]} and calls add for each
// object. Members other than objects are skipped.
func readBundle(s *scanner, add func(*stixObject)) bool {
	r := &bundleReader{s: s, add: add}
	r.member = r.objectMember
	sawObjects := false
	ok := s.object(func(key jstr) bool {
		switch {
		case key.is("objects"):
			sawObjects = true
			if s.isNull() {
				return true
			}
			return s.array(r.object)
		case key.is("type"):
			t, ok := s.str()
			if ok && !t.is("bundle") {
				return s.failf("the document is a STIX %q object, not a bundle; ATT&CK is published as a bundle (enterprise-attack.json)", t.String())
			}
			return ok
		}
		return s.skip()
	})
	if ok && !s.end() {
		return false
	}
	if ok && !sawObjects {
		s.pos = 0
		return s.failf("no \"objects\" member: this JSON is not a STIX 2.1 bundle such as enterprise-attack.json")
	}
	return ok
}

func (r *bundleReader) object() bool {
	r.obj.reset()
	if !r.s.object(r.member) {
		return false
	}
	r.add(&r.obj)
	return true
}

// objectMember reads one member of a STIX object.
func (r *bundleReader) objectMember(key jstr) bool {
	s, o := r.s, &r.obj
	var ok bool
	k := key.raw
	if key.esc {
		k = []byte(key.String())
	}
	switch string(k) {
	case "type":
		o.typ, ok = s.optStr()
	case "id":
		o.id, ok = s.optStr()
	case "name":
		o.name, ok = s.optStr()
	case "description":
		o.description, ok = s.optStr()
	case "x_mitre_shortname":
		o.shortName, ok = s.optStr()
	case "relationship_type":
		o.relType, ok = s.optStr()
	case "source_ref":
		o.sourceRef, ok = s.optStr()
	case "target_ref":
		o.targetRef, ok = s.optStr()
	case "x_mitre_version":
		o.version, ok = s.optStr()
	case "x_mitre_attack_spec_version":
		o.specVersion, ok = s.optStr()
	case "modified":
		o.modified, ok = s.optStr()
	case "revoked":
		o.revoked, ok = s.boolean()
	case "x_mitre_deprecated":
		o.deprecated, ok = s.boolean()
	case "x_mitre_is_subtechnique":
		o.subtechnique, ok = s.boolean()
	case "x_mitre_platforms":
		o.platforms, ok = s.strings(o.platforms)
	case "aliases", "x_mitre_aliases":
		o.aliases, ok = s.strings(o.aliases)
	case "tactic_refs":
		o.tacticRefs, ok = s.strings(o.tacticRefs)
	case "kill_chain_phases":
		ok = r.phases()
	case "external_references":
		ok = r.externalReferences()
	default:
		ok = s.skip()
	}
	return ok
}

// phases reads kill_chain_phases.
func (r *bundleReader) phases() bool {
	s, o := r.s, &r.obj
	if s.isNull() {
		return true
	}
	return s.array(func() bool {
		if s.isNull() {
			return true
		}
		var p phase
		ok := s.object(func(key jstr) bool {
			var ok bool
			switch {
			case key.is("kill_chain_name"):
				p.chain, ok = s.optStr()
			case key.is("phase_name"):
				p.name, ok = s.optStr()
			default:
				ok = s.skip()
			}
			return ok
		})
		o.phases = append(o.phases, p)
		return ok
	})
}

// externalReferences keeps the first reference that carries the object's
// ATT&CK id: source_name "mitre-attack" (STIX 2.0 Mobile and ICS data used
// "mitre-mobile-attack" and "mitre-ics-attack").
func (r *bundleReader) externalReferences() bool {
	s, o := r.s, &r.obj
	if s.isNull() {
		return true
	}
	return s.array(func() bool {
		if s.isNull() {
			return true
		}
		var source, id, url jstr
		ok := s.object(func(key jstr) bool {
			var ok bool
			switch {
			case key.is("source_name"):
				source, ok = s.optStr()
			case key.is("external_id"):
				id, ok = s.optStr()
			case key.is("url"):
				url, ok = s.optStr()
			default:
				ok = s.skip()
			}
			return ok
		})
		if ok && o.extID.empty() && !id.empty() && isAttackSource(source) {
			o.extID, o.extURL = id, url
		}
		return ok
	})
}

func isAttackSource(source jstr) bool {
	return source.is("mitre-attack") || source.is("mitre-mobile-attack") || source.is("mitre-ics-attack")
}

// isAttackChain reports whether a kill chain is one of ATT&CK's (other
// kill chains, Lockheed's say, may appear in third-party bundles).
func isAttackChain(chain string) bool {
	return strings.HasPrefix(chain, "mitre-")
}

// optStr reads a string that may be null.
func (s *scanner) optStr() (jstr, bool) {
	if s.isNull() {
		return jstr{}, true
	}
	return s.str()
}
