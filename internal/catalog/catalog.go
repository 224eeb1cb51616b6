// Package catalog loads rulesets concurrently and joins them into one
// catalog: slugs, duplicate ids, ATT&CK resolution, event coverage,
// indicators with their corpus counts, and cross references. Everything
// the site, the CLI and the matcher show is read from a Catalog.
package catalog

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"ruledex/internal/attack"
	"ruledex/internal/rule"
	"ruledex/internal/source"
)

// Ruleset is one KIND=PATH of the command line.
type Ruleset struct {
	Kind string // splunk, sigma, elastic
	Path string
}

// ParseRuleset parses "KIND=PATH".
func ParseRuleset(s string) (Ruleset, error) {
	kind, p, ok := strings.Cut(s, "=")
	if !ok || kind == "" || p == "" {
		return Ruleset{}, fmt.Errorf("ruleset %q: write KIND=PATH, e.g. splunk=./security_content (kinds: %s)", s, strings.Join(Kinds(), ", "))
	}
	kind = strings.ToLower(kind)
	if _, ok := readers[kind]; !ok {
		return Ruleset{}, fmt.Errorf("ruleset %q: unknown kind %q (kinds: %s)", s, kind, strings.Join(Kinds(), ", "))
	}
	return Ruleset{Kind: kind, Path: p}, nil
}

// Options configure Build.
type Options struct {
	// Attack is the ATT&CK bundle: a file, a URL, or "" for MITRE's
	// official bundle (cached). "none" loads no bundle.
	Attack        string
	AttackOptions attack.Options
	// Progress, when set, is told what the build is doing.
	Progress func(msg string)
	// Slugged, when set, is called once every rule has its source and
	// slug, while the rest of the join goes on: `ruledex build` creates the
	// rule folders then, in parallel with the indicator counts.
	Slugged func(rules []*rule.Rule)
}

// Catalog is every rule of every ruleset, joined.
type Catalog struct {
	Sources []*Source
	Rules   []*rule.Rule // in ruleset order, then path, then line
	Attack  *attack.Matrix
	// AttackNote says why no ATT&CK bundle is loaded, or which one is.
	AttackNote string
	Indicators []*Indicator // most common first
	Built      time.Time
	Duration   time.Duration

	byKey       map[rule.Key][]*rule.Rule
	bySlug      map[string]*rule.Rule // source/slug
	byPath      map[string][]*rule.Rule
	byIndicator map[rule.IndicatorKey]*Indicator
	// variantsHead starts the chain of indicators that differ only in
	// kind or negation (Indicator.nextVariant).
	variantsHead map[fieldValue]*Indicator
	byTechnique  map[string][]*rule.Rule
}

// Source is one loaded ruleset.
type Source struct {
	Ruleset
	Rules    []*rule.Rule
	Problems []source.FileProblem // files that are not rules
	Stories  []source.Story
	Notes    []string
	// Err is set when the ruleset could not be read at all.
	Err error
}

// Build loads the rulesets and the ATT&CK bundle concurrently and joins
// them. A ruleset that cannot be read at all is reported in its Source.Err
// and makes Build return an error after everything else is loaded.
func Build(ctx context.Context, sets []Ruleset, opt Options) (*Catalog, error) {
	start := time.Now()
	progress := opt.Progress
	if progress == nil {
		progress = func(string) {}
	}
	c := &Catalog{Built: start}

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.loadAttack(ctx, opt)
	}()
	c.Sources = make([]*Source, len(sets))
	for i, rs := range sets {
		c.Sources[i] = &Source{Ruleset: rs}
		wg.Add(1)
		go func(s *Source) {
			defer wg.Done()
			progress("reading " + s.Kind + " rules from " + s.Path)
			res, err := readers[s.Kind].Read(s.Path)
			if err != nil {
				s.Err = fmt.Errorf("%s=%s: %w", s.Kind, s.Path, err)
				return
			}
			s.Rules, s.Problems, s.Stories, s.Notes = res.Rules, res.Problems, res.Stories, res.Notes
		}(c.Sources[i])
	}
	wg.Wait()
	progress("joining " + fmt.Sprint(c.count()) + " rules")

	c.join(opt.Slugged)
	c.Duration = time.Since(start)
	for _, s := range c.Sources {
		if s.Err != nil {
			return c, s.Err
		}
	}
	return c, nil
}

func (c *Catalog) loadAttack(ctx context.Context, opt Options) {
	if opt.Attack == "none" {
		c.AttackNote = "no ATT&CK bundle loaded (--attack none): techniques are shown as bare ids"
		return
	}
	m, err := attack.Open(ctx, opt.Attack, opt.AttackOptions)
	if err != nil {
		c.AttackNote = err.Error()
		return
	}
	c.Attack = m
	c.AttackNote = m.Label() + " from " + m.Source
}

func (c *Catalog) count() int {
	n := 0
	for _, s := range c.Sources {
		n += len(s.Rules)
	}
	return n
}

// join sets sources and slugs, finds duplicate ids, derives indicators,
// resolves ATT&CK and events, counts indicators and fills links.
func (c *Catalog) join(slugged func([]*rule.Rule)) {
	c.byKey = map[rule.Key][]*rule.Rule{}
	c.bySlug = map[string]*rule.Rule{}
	c.byPath = map[string][]*rule.Rule{}
	for _, s := range c.Sources {
		sort.SliceStable(s.Rules, func(i, j int) bool {
			a, b := s.Rules[i], s.Rules[j]
			if a.Path != b.Path {
				return a.Path < b.Path
			}
			return a.Line < b.Line
		})
		for _, r := range s.Rules {
			r.Source = s.Kind
		}
		assignSlugs(s.Rules)
		for _, r := range s.Rules {
			c.Rules = append(c.Rules, r)
			c.byKey[r.Key()] = append(c.byKey[r.Key()], r)
			c.bySlug[r.Source+"/"+r.Slug] = r
			c.byPath[r.Path] = append(c.byPath[r.Path], r)
		}
	}
	c.markDuplicates()
	if slugged != nil {
		slugged(c.Rules)
	}

	keys := make([][]rule.IndicatorKey, len(c.Rules))
	source.Parallel(len(c.Rules), func(i int) {
		r := c.Rules[i]
		r.DeriveIndicators()
		keys[i] = make([]rule.IndicatorKey, len(r.Indicators))
		for j, in := range r.Indicators {
			keys[i][j] = in.Key()
		}
		r.Attack, r.Tactics = c.Attack.Resolve(r.AttackRefs)
		r.Events, r.DataNeeds = ruleEvents(r)
		// The output contract's lists are lists, never null.
		if r.Stages == nil {
			r.Stages = []rule.Stage{}
		}
		if r.Problems == nil {
			r.Problems = []rule.Problem{}
		}
		if r.Indicators == nil {
			r.Indicators = []rule.Indicator{}
		}
		if r.Attack == nil {
			r.Attack = []rule.Technique{}
		}
	})
	c.inheritEvents()
	c.countIndicators(keys)
	c.indexTechniques()
	c.fillLinks()
}

// inheritEvents gives a rule that only combines other rules (a Sigma
// correlation) the events of the rules it correlates.
func (c *Catalog) inheritEvents() {
	for _, r := range c.Rules {
		if len(r.Events) > 0 {
			continue
		}
		seen := map[rule.EventRef]bool{}
		for _, l := range r.Links {
			if l.Relation != "correlates" {
				continue
			}
			src := l.Source
			if src == "" {
				src = r.Source
			}
			for _, t := range c.byKey[rule.Key{Source: src, ID: l.ID}] {
				for _, e := range t.Events {
					e.Via = "correlated rule " + t.Name
					if !seen[e] {
						seen[e] = true
						r.Events = append(r.Events, e)
					}
				}
			}
		}
	}
}

// assignSlugs gives each rule of one source its slug: the file name without
// extension, lowercased and sanitized; rules that would share a slug (two
// files of the same name in different folders, several rules in one file)
// get -2, -3 … in path and line order, live detection rules before
// hunting queries before retired rules (the live rule keeps the plain
// URL), so slugs are stable across builds.
func assignSlugs(rules []*rule.Rule) {
	order := make([]*rule.Rule, len(rules))
	copy(order, rules)
	sort.SliceStable(order, func(i, j int) bool { return slugRank(order[i]) < slugRank(order[j]) })
	used := map[string]bool{}
	for _, r := range order {
		base := Slugify(strings.TrimSuffix(path.Base(r.Path), path.Ext(r.Path)))
		if base == "" {
			base = "rule"
		}
		slug := base
		for n := 2; used[slug]; n++ {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		used[slug] = true
		r.Slug = slug
	}
}

// slugRank orders the claims on a shared slug: live detection rules
// first, then Elastic hunting queries, then retired rules (deprecated,
// Sigma's unsupported).
func slugRank(r *rule.Rule) int {
	switch {
	case r.Retired():
		return 2
	case r.Source == "elastic" && r.Type == "hunting":
		return 1
	}
	return 0
}

// Slugify lowercases s and keeps only [a-z0-9._-], turning runs of other
// characters into one "-". The result is safe as a file name: never empty
// of meaning, never "." or "..", at most 100 bytes.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '.':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
		if b.Len() >= 100 {
			break
		}
	}
	out := strings.Trim(b.String(), "-.")
	if strings.Trim(out, ".") == "" {
		return ""
	}
	return out
}

// markDuplicates gives every rule that shares its (source, id) with another
// a problem naming the others, and keeps them all.
func (c *Catalog) markDuplicates() {
	for _, rs := range c.byKey {
		if len(rs) < 2 {
			continue
		}
		for _, r := range rs {
			var others []string
			for _, o := range rs {
				if o != r {
					others = append(others, fmt.Sprintf("%s (line %d)", o.Path, o.Line))
					r.Links = append(r.Links, rule.Link{Relation: "duplicate-id", Source: o.Source, ID: o.ID, Name: o.Name, Slug: o.Slug})
				}
			}
			r.Problems = append(r.Problems, rule.Problem{Kind: "duplicate-id", Line: r.Line,
				Message: fmt.Sprintf("id %s is also used by %s; give each rule its own id", r.ID, strings.Join(others, ", "))})
		}
	}
}

// Rule finds a rule by "source/slug", slug, id, or file path. Several
// matches (an id used in two sources) return them all.
func (c *Catalog) Rule(q string) []*rule.Rule {
	if r, ok := c.bySlug[q]; ok {
		return []*rule.Rule{r}
	}
	var out []*rule.Rule
	for _, s := range c.Sources {
		if r, ok := c.bySlug[s.Kind+"/"+q]; ok {
			out = append(out, r)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, s := range c.Sources {
		out = append(out, c.byKey[rule.Key{Source: s.Kind, ID: q}]...)
	}
	if len(out) > 0 {
		return out
	}
	p := strings.TrimPrefix(strings.ReplaceAll(q, "\\", "/"), "./")
	if rs, ok := c.byPath[p]; ok {
		return rs
	}
	// A path as given on the command line: strip a ruleset root.
	for _, s := range c.Sources {
		root := strings.TrimSuffix(strings.TrimPrefix(strings.ReplaceAll(s.Path, "\\", "/"), "./"), "/") + "/"
		if rel, ok := strings.CutPrefix(p, root); ok {
			if rs, ok := c.byPath[rel]; ok {
				return rs
			}
		}
	}
	return nil
}

// BySlug returns the rule of a source with a slug.
func (c *Catalog) BySlug(src, slug string) *rule.Rule {
	return c.bySlug[src+"/"+slug]
}

// Source returns the loaded ruleset of a kind (the first, if given twice).
func (c *Catalog) Source(kind string) *Source {
	for _, s := range c.Sources {
		if s.Kind == kind {
			return s
		}
	}
	return nil
}

// fillLinks names the rules links point to when they are in the catalog.
func (c *Catalog) fillLinks() {
	for _, r := range c.Rules {
		for i := range r.Links {
			l := &r.Links[i]
			if l.Source == "" {
				l.Source = r.Source
			}
			if t := c.byKey[rule.Key{Source: l.Source, ID: l.ID}]; len(t) > 0 {
				l.Name, l.Slug = t[0].Name, t[0].Slug
			}
		}
	}
}
