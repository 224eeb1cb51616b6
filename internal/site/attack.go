package site

import (
	"io"
	"sort"

	"ruledex/internal/rule"
)

type techniqueEntry struct {
	ID, Name, Href, Note string
	Rules                int
}

type tacticSection struct {
	ID, ShortName, Name string
	Techniques          []techniqueEntry
}

// renderAttackIndex lists, per tactic in matrix order, every technique some
// rule covers, with the number of rules.
func (s *Site) renderAttackIndex(w io.Writer) error {
	c := s.c
	v := struct {
		layout
		Covered  int
		Help     string
		Tactics  []tacticSection
		Unplaced []techniqueEntry
	}{layout: s.layout("ATT&CK coverage", rootIndicator, crumb{"Detection rules", rootIndicator + "index.html"}, crumb{Text: "ATT&CK"}),
		Covered: len(s.techniques)}
	info := s.techInfo
	placed := map[string]bool{}
	if m := c.Attack; m != nil {
		for _, tac := range m.Tactics {
			sec := tacticSection{ID: tac.ID, ShortName: tac.ShortName, Name: tac.Name}
			for _, id := range s.techniques {
				t := info[id]
				for _, name := range t.Tactics {
					if name == tac.Name {
						sec.Techniques = append(sec.Techniques, techniqueEntry{ID: id, Name: t.Name, Note: techniqueNote(t),
							Href: techniqueFile(id), Rules: len(c.RulesFor(id))})
						placed[id] = true
					}
				}
			}
			v.Tactics = append(v.Tactics, sec)
		}
	} else {
		v.Help = c.AttackNote
	}
	for _, id := range s.techniques {
		if !placed[id] {
			t := info[id]
			v.Unplaced = append(v.Unplaced, techniqueEntry{ID: id, Name: t.Name, Note: techniqueNote(t), Href: techniqueFile(id), Rules: len(c.RulesFor(id))})
		}
	}
	return execute(w, "attack", v)
}

// techniqueInfo collects, for every covered technique id, the resolved
// technique as the rules carry it (parents of sub-techniques from the bundle).
func (s *Site) techniqueInfo() map[string]rule.Technique {
	out := map[string]rule.Technique{}
	for _, r := range s.c.Rules {
		for _, t := range r.Attack {
			if _, ok := out[t.ID]; !ok {
				t.RevokedFrom = "" // a property of one rule's reference, not of the technique
				out[t.ID] = t
			}
		}
	}
	for _, id := range s.techniques {
		if _, ok := out[id]; ok {
			continue
		}
		// A parent named only through its sub-techniques.
		t := rule.Technique{ID: id}
		if m := s.c.Attack; m != nil {
			if ti, ok := m.Technique(id); ok {
				t.Name, t.URL, t.Known, t.Deprecated = ti.Name, ti.URL, true, ti.Deprecated
				for _, short := range ti.Tactics {
					if tac, ok := m.TacticByShortName(short); ok {
						t.Tactics = append(t.Tactics, tac.Name)
					}
				}
			}
		}
		out[id] = t
	}
	return out
}

func (s *Site) renderTechnique(w io.Writer, id string) error {
	t := s.techInfo[id]
	rules := append([]*rule.Rule(nil), s.c.RulesFor(id)...)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Name < rules[j].Name })
	v := struct {
		layout
		ID, Name, URL, Note, Parent, ParentHref string
		Tactics                                 []string
		Table                                   ruleTable
	}{layout: s.layout(id+" "+t.Name, rootIndicator, crumb{"Detection rules", rootIndicator + "index.html"}, crumb{"ATT&CK", "index.html"}, crumb{Text: id}),
		ID: id, Name: t.Name, URL: t.URL, Note: techniqueNote(t), Parent: t.Parent, Tactics: t.Tactics,
		Table: s.ruleTable(rootIndicator, rules)}
	if t.Parent != "" {
		v.ParentHref = techniqueFile(t.Parent)
	}
	return execute(w, "technique", v)
}
