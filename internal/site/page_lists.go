package site

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"ruledex/internal/catalog"
	"ruledex/internal/rule"
)

// page writes a whole page: frame around body.
func (s *Site) page(out *bytes.Buffer, title, root string, crumbs []crumb, body func(w hw)) error {
	w := hw{out}
	s.head(w, title, root, crumbs...)
	body(w)
	s.foot(w, root)
	return nil
}

func (s *Site) renderIndex(out *bytes.Buffer) error {
	c := s.c
	return s.page(out, "Detection rules", rootTop, nil, func(w hw) {
		st := s.Stats(0)
		w.raw(`<h1>Detection rules</h1><p class="lead">`)
		w.int(len(c.Rules))
		w.raw(" rules from ")
		w.int(len(c.Sources))
		w.raw(" source")
		if len(c.Sources) != 1 {
			w.raw("s")
		}
		w.raw(", ")
		w.int(len(c.Indicators))
		w.raw(" distinct indicators, ")
		known, unknown := s.techniqueCounts()
		w.int(known)
		w.raw(" ATT&amp;CK techniques covered")
		if unknown > 0 {
			w.raw(" (and ")
			w.int(unknown)
			w.raw(" ids the ATT&amp;CK bundle does not know)")
		}
		w.raw(".</p>")
		w.table("summary", "Source", "Rules", "Deprecated", "With problems", "Indicators", "Languages")
		for _, ss := range st.Sources {
			var langs []string
			for _, l := range ss.ByLanguage {
				langs = append(langs, fmt.Sprintf("%s %d", l.Name, l.Count))
			}
			w.raw("<tr><td>")
			w.a("rules/"+ss.Source+"/index.html", ss.Source)
			w.raw("</td><td>")
			w.int(ss.Rules)
			w.raw("</td><td>")
			w.int(ss.Deprecated)
			w.raw("</td><td>")
			if ss.WithProblems > 0 {
				w.a("problems.html#"+ss.Source, fmt.Sprint(ss.WithProblems))
			} else {
				w.raw("0")
			}
			w.raw("</td><td>")
			w.int(ss.Indicators)
			w.raw("</td>")
			w.td(strings.Join(langs, ", "))
			w.raw("</tr>")
		}
		w.endTable()
		w.raw("<h2>All rules</h2>")
		s.ruleTable(w, rootTop, c.Rules)
	})
}

func (s *Site) renderSource(out *bytes.Buffer, src *catalog.Source) error {
	crumbs := []crumb{{"Detection rules", rootSource + "index.html"}, {text: sourceTitle(src.Kind)}}
	return s.page(out, src.Kind+" rules", rootSource, crumbs, func(w hw) {
		deprecated, problems := 0, 0
		types := map[string]int{}
		for _, r := range src.Rules {
			if r.Deprecated {
				deprecated++
			}
			if len(r.Problems) > 0 {
				problems++
			}
			types[r.Type]++
		}
		w.el("h1", "", sourceTitle(src.Kind)+" rules")
		w.raw(`<p class="lead">`)
		w.int(len(src.Rules))
		w.raw(" rules read from ")
		w.code(src.Path)
		if deprecated > 0 {
			w.raw(", ")
			w.int(deprecated)
			w.raw(" deprecated")
		}
		if problems > 0 {
			w.raw(", ")
			w.a(rootSource+"problems.html#"+src.Kind, fmt.Sprintf("%d with problems", problems))
		}
		w.raw(".</p>")
		if src.Err != nil {
			w.p("problem", "This ruleset could not be read: "+src.Err.Error())
		}
		for _, n := range src.Notes {
			w.p("", n)
		}
		var parts []string
		for _, t := range counts(types) {
			parts = append(parts, fmt.Sprintf("%s %d", t.Name, t.Count))
		}
		w.p("counts", "Types: "+strings.Join(parts, ", "))
		var stories []*story
		for _, st := range s.sortedStories() {
			if st.source == src.Kind {
				stories = append(stories, st)
			}
		}
		if len(stories) > 0 {
			w.raw("<details><summary>")
			w.int(len(stories))
			w.raw(` analytic stories</summary><ul class="cols">`)
			for _, st := range stories {
				w.raw("<li>")
				w.a(rootSource+"stories/"+st.slug+".html", st.name)
				w.raw(` <span class="muted">(`)
				w.int(len(st.rules))
				w.raw(")</span></li>")
			}
			w.raw("</ul></details>")
		}
		s.ruleTable(w, rootSource, src.Rules)
	})
}

func (s *Site) renderStory(out *bytes.Buffer, st *story) error {
	crumbs := []crumb{{"Detection rules", rootSub + "index.html"}, {"Analytic stories", "index.html"}, {text: st.name}}
	return s.page(out, st.name, rootSub, crumbs, func(w hw) {
		w.el("h1", "", st.name)
		w.raw(`<p class="badges">`)
		w.badge("src", st.source)
		w.badge("", "analytic story")
		if st.file != "" {
			w.raw(" ")
			w.el("code", "small", st.file)
		}
		w.raw("</p>")
		if d := markdown(st.description); d != "" {
			w.raw(`<section class="desc">`, string(d), "</section>")
		}
		if n := markdown(st.narrative); n != "" {
			w.raw(`<details><summary>Narrative</summary><div class="desc">`, string(n), "</div></details>")
		}
		w.raw("<h2>")
		w.int(len(st.rules))
		w.raw(" rules</h2>")
		s.ruleTable(w, rootSub, st.rules)
	})
}

// renderStoryIndex lists every analytic story with its number of rules.
func (s *Site) renderStoryIndex(out *bytes.Buffer) error {
	crumbs := []crumb{{"Detection rules", rootSub + "index.html"}, {text: "Analytic stories"}}
	return s.page(out, "Analytic stories", rootSub, crumbs, func(w hw) {
		stories := s.sortedStories()
		w.raw(`<h1>Analytic stories</h1><p class="lead">`)
		w.int(len(stories))
		w.raw(` stories group the rules by threat or technique.</p>`)
		w.table("", "Story", "Source", "Rules")
		for _, st := range stories {
			w.raw("<tr><td>")
			w.a(st.slug+".html", st.name)
			w.raw("</td>")
			w.td(st.source)
			w.raw("<td>")
			w.int(len(st.rules))
			w.raw("</td></tr>")
		}
		w.endTable()
	})
}

func (s *Site) renderProblems(out *bytes.Buffer) error {
	return s.page(out, "Problems", rootTop, []crumb{{"Detection rules", "index.html"}, {text: "Problems"}}, func(w hw) {
		st := s.Stats(0)
		w.raw(`<h1>Problems</h1><p class="lead">Everything that did not load, parse or resolve. The build goes on past every one of them; each rule page shows its own.</p>`)
		if !st.Attack.Loaded {
			w.p("problem", "ATT&CK: "+st.Attack.Note)
		}
		for _, ss := range st.Sources {
			w.section(ss.Source, ss.Source)
			n := 0
			for _, f := range st.RuleProblems {
				if f.Source == ss.Source {
					n++
				}
			}
			w.p("", fmt.Sprintf("%d rules; %d whose file or query did not load or parse; %d problems in all.", ss.Rules, ss.ParseFailed, n))
			if ss.Error != "" {
				w.p("problem", ss.Error)
			}
			first := true
			for _, u := range st.UndefinedMacros {
				if u.Source != ss.Source {
					continue
				}
				if first {
					w.raw("<h3>Undefined macros</h3><ul>")
					first = false
				}
				w.raw("<li>")
				w.code(u.Macro)
				w.raw(fmt.Sprintf(" used by %d rule(s): ", len(u.Rules)))
				for i, f := range u.Rules {
					if i > 0 {
						w.raw(", ")
					}
					w.code(f)
				}
				w.raw("</li>")
			}
			if !first {
				w.raw("</ul>")
			}
			if n > 0 {
				w.table("", "Rule", "File", "Kind", "Problem")
				for _, f := range st.RuleProblems {
					if f.Source != ss.Source {
						continue
					}
					w.raw("<tr><td>")
					w.a(f.Page, f.Name)
					w.raw("</td><td>")
					if f.Line > 0 {
						w.code(fmt.Sprintf("%s:%d", f.File, f.Line))
					} else {
						w.code(f.File)
					}
					w.raw("</td>")
					w.td(f.Kind)
					w.td(f.Reason)
					w.raw("</tr>")
				}
				w.endTable()
			}
			first = true
			for _, f := range st.FileProblems {
				if f.Source != ss.Source {
					continue
				}
				if first {
					w.raw("<h3>Files that are not rules</h3>")
					w.table("", "File", "Problem")
					first = false
				}
				w.raw("<tr><td>")
				if f.Line > 0 {
					w.code(fmt.Sprintf("%s:%d", f.File, f.Line))
				} else {
					w.code(f.File)
				}
				w.raw("</td>")
				w.td(f.Message)
				w.raw("</tr>")
			}
			if !first {
				w.endTable()
			}
			w.raw("</section>")
		}
	})
}

// ---- ATT&CK

// renderAttackIndex lists, per tactic in matrix order, every technique some
// rule covers, with the number of rules.
func (s *Site) renderAttackIndex(out *bytes.Buffer) error {
	c := s.c
	crumbs := []crumb{{"Detection rules", rootSub + "index.html"}, {text: "ATT&CK"}}
	return s.page(out, "ATT&CK coverage", rootSub, crumbs, func(w hw) {
		w.raw(`<h1>ATT&amp;CK coverage</h1><p class="lead">`)
		w.text(firstLine(c.AttackNote))
		w.raw(". ")
		known, unknown := s.techniqueCounts()
		w.int(known)
		w.raw(" techniques and sub-techniques of the bundle are covered by at least one rule.")
		if unknown > 0 {
			w.raw(" Rules also name ")
			w.int(unknown)
			w.raw(" ids the bundle does not know (ATLAS ids, techniques of a newer ATT&amp;CK, typos): they are listed at the end.")
		}
		w.raw("</p>")
		entry := func(id string) {
			t := s.techInfo[id]
			w.raw("<li>")
			w.a(techniqueFile(id), id)
			w.raw(" ")
			w.text(t.Name)
			w.raw(` <span class="muted">(`)
			w.int(len(c.RulesFor(id)))
			w.raw(")</span>")
			if note := techniqueNote(t); note != "" {
				w.raw(" ")
				w.el("span", "note", note)
			}
			w.raw("</li>")
		}
		// A technique is listed under the tactics its rules file it under
		// (their own tactic tags or threat entries narrow the bundle's).
		underTactic := map[string]map[string]bool{}
		for _, r := range c.Rules {
			for _, t := range r.Attack {
				for _, name := range t.Tactics {
					if underTactic[name] == nil {
						underTactic[name] = map[string]bool{}
					}
					underTactic[name][t.ID] = true
					if t.Parent != "" {
						underTactic[name][t.Parent] = true
					}
				}
			}
		}
		placed := map[string]bool{}
		if m := c.Attack; m != nil {
			for _, tac := range m.Tactics {
				var ids []string
				for _, id := range s.techniques {
					if underTactic[tac.Name][id] {
						ids = append(ids, id)
						placed[id] = true
					}
				}
				w.raw(`<section class="tactic" id="`)
				w.text(tac.ShortName)
				w.raw(`"><h2>`)
				w.text(tac.Name)
				w.raw(` <span class="muted small">`)
				w.text(tac.ID)
				w.raw(fmt.Sprintf(" · %d covered</span></h2>", len(ids)))
				w.raw(`<ul class="cols">`)
				for _, id := range ids {
					entry(id)
				}
				w.raw("</ul></section>")
			}
		} else {
			w.p("problem", c.AttackNote)
		}
		var rest []string
		for _, id := range s.techniques {
			if !placed[id] {
				rest = append(rest, id)
			}
		}
		if len(rest) > 0 {
			w.raw(`<section><h2>Not placed in a tactic</h2><p class="small muted">Ids the loaded bundle does not know, or techniques without a tactic.</p><ul class="cols">`)
			for _, id := range rest {
				entry(id)
			}
			w.raw("</ul></section>")
		}
	})
}

func (s *Site) renderTechnique(out *bytes.Buffer, id string) error {
	t := s.techInfo[id]
	rules := append([]*rule.Rule(nil), s.c.RulesFor(id)...)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Name < rules[j].Name })
	crumbs := []crumb{{"Detection rules", rootSub + "index.html"}, {"ATT&CK", "index.html"}, {text: id}}
	return s.page(out, id+" "+t.Name, rootSub, crumbs, func(w hw) {
		w.el("h1", "", strings.TrimSpace(id+" "+t.Name))
		w.raw(`<p class="lead">`)
		if len(t.Tactics) > 0 {
			w.text("Tactics: " + strings.Join(t.Tactics, ", ") + ". ")
		}
		w.ext(t.URL)
		w.raw("</p>")
		if note := techniqueNote(t); note != "" {
			w.p("note", note)
		}
		if t.Parent != "" {
			w.raw("<p>Sub-technique of ")
			w.a(techniqueFile(t.Parent), t.Parent)
			w.raw(".</p>")
		}
		w.raw("<p>")
		w.int(len(rules))
		w.raw(" rule(s) cover it")
		if t.Parent == "" {
			w.raw(" or one of its sub-techniques")
		}
		w.raw(".</p>")
		s.ruleTable(w, rootSub, rules)
	})
}

// techniqueCounts splits the technique ids rules name into those the
// loaded bundle knows and the others.
func (s *Site) techniqueCounts() (known, unknown int) {
	for _, id := range s.techniques {
		if s.techInfo[id].Known {
			known++
		} else {
			unknown++
		}
	}
	return known, unknown
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
