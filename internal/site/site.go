// Package site renders a catalog as a static site: HTML pages, rule.json
// beside each rule page, and the JSON API (DESIGN.md's output contract).
// The same renderers serve the pages from memory (Handler), so `ruledex
// serve` and `ruledex build` show identical pages.
//
// Layout (every link is relative, so the site works from any prefix and
// from file://):
//
//	index.html                          sources, counts, a filterable list of all rules
//	rules/<source>/index.html           one source
//	rules/<source>/<slug>/index.html    one rule, rule.json beside it
//	indicators/index.html               the most common indicators
//	indicators/<xx>.html#<slug>         every rule with one indicator (256 files)
//	attack/index.html                   ATT&CK coverage by tactic
//	attack/<technique>.html             every rule covering a technique
//	stories/<slug>.html                 an ESCU analytic story and its rules
//	problems.html                       everything that did not load or parse
//	api/rules.json, api/stats.json, api/indicators.json
//	assets/style.css, assets/site.js
package site

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"ruledex/internal/catalog"
	"ruledex/internal/rule"
	"ruledex/internal/source"
)

//go:embed assets
var assets embed.FS

// Site renders one catalog.
type Site struct {
	c       *catalog.Catalog
	stories map[string]*story // by slug
	// storyOf maps "source\x00story name" to its slug.
	storyOf map[string]string
	// techniques are the technique ids with a page, sorted; techInfo
	// their resolution.
	techniques []string
	techInfo   map[string]rule.Technique
	// tacticOrder is each tactic name's column in the ATT&CK matrix.
	tacticOrder map[string]int

	rows map[*rule.Rule]rowInfo

	// markdownCache holds sharedMarkdown's rendered texts.
	markdownCache sync.Map

	statsOnce sync.Once
	stats     *Stats
}

// New prepares the site of a catalog.
func New(c *catalog.Catalog) *Site {
	s := &Site{c: c}
	s.indexStories()
	s.techniques = c.TechniqueIDs()
	s.techInfo = s.techniqueInfo()
	s.rows = make(map[*rule.Rule]rowInfo, len(c.Rules))
	for _, r := range c.Rules {
		s.rows[r] = newRowInfo(r)
	}
	s.tacticOrder = map[string]int{}
	if c.Attack != nil {
		for i, t := range c.Attack.Tactics {
			s.tacticOrder[t.Name] = i
		}
	}
	return s
}

// page is one output file and how to render it.
type page struct {
	path   string // relative, forward slashes
	render func(w *bytes.Buffer) error
}

// pages lists every file of the site except api/stats.json, which Write
// adds last so that it carries the whole build time.
func (s *Site) pages() []page {
	c := s.c
	ps := []page{
		{"index.html", s.renderIndex},
		{"problems.html", s.renderProblems},
		{"indicators/index.html", s.renderIndicatorIndex},
		{"attack/index.html", s.renderAttackIndex},
		{"api/rules.json", s.renderRulesJSON},
		{"api/indicators.json", s.renderIndicatorsJSON},
	}
	for _, name := range []string{"style.css", "site.js"} {
		name := name
		ps = append(ps, page{"assets/" + name, func(w *bytes.Buffer) error {
			b, err := assets.ReadFile("assets/" + name)
			if err != nil {
				return err
			}
			_, err = w.Write(b)
			return err
		}})
	}
	for _, src := range c.Sources {
		src := src
		ps = append(ps, page{"rules/" + src.Kind + "/index.html", func(w *bytes.Buffer) error { return s.renderSource(w, src) }})
	}
	for _, r := range c.Rules {
		r := r
		dir := ruleDir(r)
		ps = append(ps,
			page{dir + "index.html", func(w *bytes.Buffer) error { return s.renderRule(w, r) }},
			page{dir + "rule.json", func(w *bytes.Buffer) error { return writeJSON(w, r) }})
	}
	buckets := map[string][]*catalog.Indicator{}
	for _, in := range c.Indicators {
		b := indicatorBucket(in.Slug)
		buckets[b] = append(buckets[b], in)
	}
	for b, list := range buckets {
		b, list := b, list
		ps = append(ps, page{"indicators/" + b + ".html", func(w *bytes.Buffer) error { return s.renderIndicatorBucket(w, b, list) }})
	}
	for _, id := range s.techniques {
		id := id
		ps = append(ps, page{"attack/" + techniqueFile(id), func(w *bytes.Buffer) error { return s.renderTechnique(w, id) }})
	}
	if len(s.stories) > 0 {
		ps = append(ps, page{"stories/index.html", s.renderStoryIndex})
	}
	for _, st := range s.sortedStories() {
		st := st
		ps = append(ps, page{"stories/" + st.slug + ".html", func(w *bytes.Buffer) error { return s.renderStory(w, st) }})
	}
	return ps
}

// writers is how many goroutines create files. File creation waits on the
// file system far more than on the CPU (on the VM disks we measured, a new
// file costs ~200 µs), so many writers overlap those waits while
// GOMAXPROCS renderers keep the cores busy.
const writers = 16

// Write renders the whole site into dir, then api/stats.json. started is
// when the build began (stats.json reports the time since).
func (s *Site) Write(dir string, started time.Time) (files int, err error) {
	ps := s.pages()
	if err := makeDirs(dir, ps); err != nil {
		return 0, err
	}
	// The marker goes first: a build that stops half way still leaves a
	// folder the next build may replace.
	if err := os.WriteFile(filepath.Join(dir, Marker), []byte(markerText), 0o644); err != nil {
		return 0, err
	}
	type rendered struct {
		path string
		buf  *bytes.Buffer
	}
	// Buffers go back to the pool once written: rendering 8,000 pages
	// into fresh buffers was a fifth of the build's garbage.
	pool := sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 32<<10)) }}
	var (
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	// Short queues: rendered pages wait in memory until a writer takes
	// them, and an indicator group page is ~250 KB.
	jobs := make(chan page, writers)
	out := make(chan rendered, writers)
	var renderers, writing sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		renderers.Add(1)
		go func() {
			defer renderers.Done()
			for p := range jobs {
				buf := pool.Get().(*bytes.Buffer)
				buf.Reset()
				if err := p.render(buf); err != nil {
					fail(fmt.Errorf("rendering %s: %w", p.path, err))
					continue
				}
				out <- rendered{p.path, buf}
			}
		}()
	}
	for w := 0; w < writers; w++ {
		writing.Add(1)
		go func() {
			defer writing.Done()
			for f := range out {
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.path)), f.buf.Bytes(), 0o644); err != nil {
					fail(fmt.Errorf("writing %s: %w", f.path, err))
				}
				if f.buf.Cap() <= 256<<10 { // keep big pages (indicator groups) out of the pool
					pool.Put(f.buf)
				}
			}
		}()
	}
	for _, p := range ps {
		jobs <- p
	}
	close(jobs)
	renderers.Wait()
	close(out)
	writing.Wait()
	if firstErr != nil {
		return 0, firstErr
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, s.Stats(time.Since(started))); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, "api", "stats.json"), buf.Bytes(), 0o644); err != nil {
		return 0, err
	}
	return len(ps) + 2, nil
}

// Marker is the file at the root of every site Write makes: a later build
// replaces only a folder that holds it, so that no folder of the user's
// own files is ever taken for an earlier site.
const Marker = ".ruledex-site"

const markerText = "This folder was written by `ruledex build`. The next build into it deletes\n" +
	"index.html, problems.html, rules/, indicators/, attack/, stories/, api/ and assets/\n" +
	"here and writes them again: keep no files of your own in them.\n"

// Entries are the files and folders Write makes at the top of a site.
var Entries = []string{"index.html", "problems.html", "rules", "indicators", "attack", "stories", "api", "assets", Marker}

// ruleDir is the folder of a rule's page and rule.json, relative to the
// site's root.
func ruleDir(r *rule.Rule) string { return "rules/" + r.Source + "/" + r.Slug + "/" }

// MakeRuleDirs creates the folder of every rule's page under dir ahead of
// Write (which then finds them made): on a disk, creating 8,000 folders
// is kernel time that can overlap the rest of the catalog's join.
func MakeRuleDirs(dir string, rules []*rule.Rule) error {
	ps := make([]page, len(rules))
	for i, r := range rules {
		ps[i].path = ruleDir(r) + "index.html"
	}
	return makeDirs(dir, ps)
}

// makeDirs creates every folder the pages need: level by level (parents
// before children), each level's folders concurrently.
func makeDirs(dir string, ps []page) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	byDepth := map[int][]string{}
	seen := map[string]bool{}
	for _, p := range append(ps, page{path: "api/stats.json"}) {
		for d := path.Dir(p.path); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			n := strings.Count(d, "/")
			byDepth[n] = append(byDepth[n], d)
		}
	}
	for depth := 0; depth < len(byDepth); depth++ {
		dirs := byDepth[depth]
		errs := make([]error, len(dirs))
		source.ParallelN(len(dirs), writers, func(i int) {
			errs[i] = os.Mkdir(filepath.Join(dir, filepath.FromSlash(dirs[i])), 0o755)
			if os.IsExist(errs[i]) {
				errs[i] = nil
			}
		})
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// story is an ESCU analytic story with the rules that name it.
type story struct {
	slug, source, name, description, narrative, file string
	rules                                            []*rule.Rule
}

func (s *Site) indexStories() {
	s.stories = map[string]*story{}
	s.storyOf = map[string]string{}
	used := map[string]bool{}
	add := func(src, name string) *story {
		key := src + "\x00" + strings.ToLower(name)
		if slug, ok := s.storyOf[key]; ok {
			return s.stories[slug]
		}
		base := catalog.Slugify(name)
		if base == "" {
			base = "story"
		}
		slug := base
		for n := 2; used[slug]; n++ {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		used[slug] = true
		st := &story{slug: slug, source: src, name: name}
		s.stories[slug] = st
		s.storyOf[key] = slug
		return st
	}
	for _, src := range s.c.Sources {
		for _, d := range src.Stories {
			st := add(src.Kind, d.Name)
			st.description, st.narrative, st.file = d.Description, d.Narrative, d.File
		}
	}
	for _, r := range s.c.Rules {
		if r.Splunk == nil {
			continue
		}
		for _, name := range r.Splunk.Stories {
			st := add(r.Source, name)
			st.rules = append(st.rules, r)
		}
	}
}

func (s *Site) sortedStories() []*story {
	out := make([]*story, 0, len(s.stories))
	for _, st := range s.stories {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].slug < out[j].slug })
	return out
}

// storySlug returns the slug of a story a rule names, "" if unknown.
func (s *Site) storySlug(src, name string) string {
	return s.storyOf[src+"\x00"+strings.ToLower(name)]
}

// techniqueFile is the file name of a technique page; ids are sanitized
// because unknown ones come from rule files as written.
func techniqueFile(id string) string {
	slug := catalog.Slugify(id)
	if slug == "" {
		slug = "unknown"
	}
	return slug + ".html"
}
