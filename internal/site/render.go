package site

import (
	"embed"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"net/url"
	"sort"
	"strings"

	"ruledex/internal/catalog"
	"ruledex/internal/highlight"
	"ruledex/internal/lang/printers"
	"ruledex/internal/rule"
)

//go:embed templates
var templateFS embed.FS

var funcs = template.FuncMap{
	"isURL": isURL,
}

// templates holds one parsed set per page kind: each page file is parsed
// with the shared layout and partials.
var templates = func() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/splunk.html", "templates/sigma.html"))
	out := map[string]*template.Template{}
	for _, name := range []string{"index", "source", "rule", "indicator", "indicators", "attack", "technique", "story", "problems"} {
		t := template.Must(base.Clone())
		out[name] = template.Must(t.ParseFS(templateFS, "templates/"+name+".html"))
	}
	return out
}()

func execute(w io.Writer, name string, data any) error {
	return templates[name].ExecuteTemplate(w, name+".html", data)
}

// isURL reports whether s is an absolute http(s) URL, the only links made
// from rule text.
func isURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// layout is what every page's frame needs.
type layout struct {
	Title       string
	Root        string // relative path from the page to the site root
	Crumbs      []crumb
	AttackLabel string
	AttackNote  string
	Generated   string
}

type crumb struct{ Text, Href string }

func (s *Site) layout(title, root string, crumbs ...crumb) layout {
	l := layout{Title: title, Root: root, Crumbs: crumbs, AttackNote: s.c.AttackNote,
		Generated: s.c.Built.UTC().Format("2006-01-02 15:04 UTC")}
	if m := s.c.Attack; m != nil {
		l.AttackLabel = m.Label()
	} else {
		l.AttackLabel = "ATT&CK: no bundle"
	}
	return l
}

// Page roots: how far each kind of page is from the site root.
const (
	rootTop       = ""
	rootRule      = "../../../"
	rootSource    = "../../"
	rootIndicator = "../"
)

func ruleHref(root string, r *rule.Rule) string {
	return root + "rules/" + r.Source + "/" + r.Slug + "/"
}

// ---- rule tables (index, source, technique, story pages)

type ruleTable struct {
	Sources []string
	Rows    []ruleRow
}

type ruleRow struct {
	Name, Href, Source, Type, Severity, Status, Techniques, Search string
	Deprecated                                                     bool
	Problems                                                       int
}

func (s *Site) ruleTable(root string, rules []*rule.Rule) ruleTable {
	t := ruleTable{}
	seen := map[string]bool{}
	for _, r := range rules {
		if !seen[r.Source] {
			seen[r.Source] = true
			t.Sources = append(t.Sources, r.Source)
		}
		ids := make([]string, 0, len(r.Attack))
		for _, a := range r.Attack {
			ids = append(ids, a.ID)
		}
		techniques := strings.Join(ids, " ")
		t.Rows = append(t.Rows, ruleRow{
			Name: r.Name, Href: ruleHref(root, r), Source: r.Source, Type: r.Type, Severity: r.Severity,
			Status: r.Status, Techniques: techniques, Deprecated: r.Deprecated, Problems: len(r.Problems),
			Search: strings.ToLower(r.Name + " " + r.ID + " " + techniques + " " + r.Path),
		})
	}
	return t
}

// ---- index

type sourceRow struct {
	Kind, Href, Languages                   string
	Rules, Deprecated, Problems, Indicators int
}

func (s *Site) renderIndex(w io.Writer) error {
	c := s.c
	st := s.Stats(0)
	v := struct {
		layout
		Total, Indicators, Techniques int
		SourceRows                    []sourceRow
		Table                         ruleTable
	}{layout: s.layout("Detection rules", rootTop), Total: len(c.Rules), Indicators: len(c.Indicators),
		Techniques: len(s.techniques), Table: s.ruleTable(rootTop, c.Rules)}
	for _, ss := range st.Sources {
		var langs []string
		for _, l := range ss.ByLanguage {
			langs = append(langs, fmt.Sprintf("%s %d", l.Name, l.Count))
		}
		v.SourceRows = append(v.SourceRows, sourceRow{Kind: ss.Source, Href: "rules/" + ss.Source + "/index.html",
			Rules: ss.Rules, Deprecated: ss.Deprecated, Problems: ss.WithProblems, Indicators: ss.Indicators,
			Languages: strings.Join(langs, ", ")})
	}
	return execute(w, "index", v)
}

// ---- source page

type storyLink struct {
	Name, Href string
	Count      int
}

func (s *Site) renderSource(w io.Writer, src *catalog.Source) error {
	v := struct {
		layout
		Kind, Root_, Err            string
		Rules, Deprecated, Problems int
		Notes                       []string
		Types                       []Count
		Stories                     []storyLink
		Table                       ruleTable
	}{layout: s.layout(src.Kind+" rules", rootSource, crumb{"Detection rules", rootSource + "index.html"}, crumb{Text: src.Kind}),
		Kind: src.Kind, Root_: src.Path, Notes: src.Notes, Table: s.ruleTable(rootSource, src.Rules)}
	if src.Err != nil {
		v.Err = src.Err.Error()
	}
	types := map[string]int{}
	for _, r := range src.Rules {
		v.Rules++
		if r.Deprecated {
			v.Deprecated++
		}
		if len(r.Problems) > 0 {
			v.Problems++
		}
		types[r.Type]++
	}
	v.Types = counts(types)
	for _, st := range s.sortedStories() {
		if st.source == src.Kind {
			v.Stories = append(v.Stories, storyLink{st.name, rootSource + "stories/" + st.slug + ".html", len(st.rules)})
		}
	}
	return execute(w, "source", v)
}

// ---- rule page

type tacticRow struct {
	Name       string
	Techniques []techLink
}

type techLink struct {
	ID, Name, Href, Note string
}

type stageView struct {
	rule.Stage
	Printed string
	Tree    template.HTML
}

type indicatorView struct {
	rule.Indicator
	ShownValue, Href, Corpus string
}

type metaRow struct {
	Name  string
	Value string
}

type linkView struct {
	Relation, Text, Href string
}

type section struct {
	Title string
	HTML  template.HTML
}

// sigmaView is a Sigma rule's own section; Refs are the rules a
// correlation or filter names, linked when the catalog has them.
type sigmaView struct {
	M    *rule.SigmaMeta
	Refs []linkView
}

type splunkView struct {
	M       *rule.SplunkMeta
	Stories []storyLink
}

func (s *Site) renderRule(w io.Writer, r *rule.Rule) error {
	return execute(w, "rule", s.ruleView(r))
}

func (s *Site) ruleView(r *rule.Rule) any {
	lay := s.layout(r.Name, rootRule,
		crumb{"Detection rules", rootRule + "index.html"},
		crumb{sourceTitle(r.Source), rootRule + "rules/" + r.Source + "/index.html"})
	v := struct {
		layout
		R           *rule.Rule
		Description template.HTML
		Tactics     []tacticRow
		Named       []rule.TacticRef
		Body        template.HTML
		Stages      []stageView
		Indicators  []indicatorView
		Meta        []metaRow
		Splunk      *splunkView
		Sigma       *sigmaView
		Extra       []section
		Links       []linkView
	}{layout: lay, R: r}
	v.Description = markdown(r.Description)
	v.Tactics = s.tacticRows(r)
	v.Named = r.Tactics
	v.Body = numberLines(highlight.HTML(bodyLanguage(r), r.Body), max(r.Line, 1))
	for _, st := range r.Stages {
		sv := stageView{Stage: st}
		if st.Expr != nil {
			sv.Printed = printers.Print(r.Language, st.Expr)
			sv.Tree = s.exprTree(st.Expr)
		}
		v.Stages = append(v.Stages, sv)
	}
	for _, in := range r.Indicators {
		iv := indicatorView{Indicator: in, ShownValue: shownValue(in.Kind, in.Value), Corpus: corpusLabel(in.Corpus)}
		if e := s.c.IndicatorOf(in); e != nil {
			iv.Href = indicatorHref(rootRule, e)
		}
		v.Indicators = append(v.Indicators, iv)
	}
	v.Meta = metaRows(r)
	if r.Splunk != nil {
		sv := &splunkView{M: r.Splunk}
		for _, name := range r.Splunk.Stories {
			l := storyLink{Name: name}
			if slug := s.storySlug(r.Source, name); slug != "" {
				l.Href = rootRule + "stories/" + slug + ".html"
			}
			sv.Stories = append(sv.Stories, l)
		}
		v.Splunk = sv
	}
	if r.Sigma != nil {
		v.Sigma = s.sigmaView(r)
	}
	v.Extra = extraSections(r)
	for _, l := range r.Links {
		lv := linkView{Relation: l.Relation, Text: l.ID}
		if l.Name != "" {
			lv.Text = l.Name
		}
		if l.Slug != "" {
			lv.Href = rootRule + "rules/" + l.Source + "/" + l.Slug + "/"
		}
		v.Links = append(v.Links, lv)
	}
	return v
}

// sigmaView links the rules a correlation or filter names: each as
// written, resolved through the rule's links.
func (s *Site) sigmaView(r *rule.Rule) *sigmaView {
	v := &sigmaView{M: r.Sigma}
	var written []string
	relation := ""
	switch {
	case r.Sigma.Correlation != nil:
		written, relation = r.Sigma.Correlation.Rules, "correlates"
	case r.Sigma.Filter != nil:
		written, relation = r.Sigma.Filter.Rules, "filters"
	}
	for _, w := range written {
		lv := linkView{Relation: relation, Text: w}
		for _, l := range r.Links {
			if l.Relation != relation || l.Slug == "" {
				continue
			}
			target := s.c.BySlug(l.Source, l.Slug)
			if l.ID == w || (target != nil && target.Sigma != nil && target.Sigma.Name == w) {
				lv.Text, lv.Href = l.Name+" ("+w+")", rootRule+"rules/"+l.Source+"/"+l.Slug+"/"
				break
			}
		}
		v.Refs = append(v.Refs, lv)
	}
	return v
}

func sourceTitle(kind string) string {
	switch kind {
	case "splunk":
		return "Splunk"
	case "sigma":
		return "Sigma"
	case "elastic":
		return "Elastic"
	}
	return kind
}

// bodyLanguage is the file format of a rule's body, from its file name.
func bodyLanguage(r *rule.Rule) string {
	p := strings.ToLower(r.Path)
	switch {
	case strings.HasSuffix(p, ".toml"):
		return "toml"
	case strings.HasSuffix(p, ".yml"), strings.HasSuffix(p, ".yaml"):
		return "yaml"
	}
	return ""
}

// numberLines puts an anchor with the file's line number at the start of
// every line of highlighted HTML, so that problems and stages can link to
// #L<line>. The anchors are empty elements: they nest inside any span that
// crosses lines.
func numberLines(h string, first int) template.HTML {
	var b strings.Builder
	b.Grow(len(h) + strings.Count(h, "\n")*48)
	n := first
	anchor := func() {
		fmt.Fprintf(&b, `<span class="ln" id="L%d" data-n="%d"></span>`, n, n)
		n++
	}
	anchor()
	for {
		i := strings.IndexByte(h, '\n')
		if i < 0 {
			b.WriteString(h)
			break
		}
		b.WriteString(h[:i+1])
		h = h[i+1:]
		if h == "" {
			break
		}
		anchor()
	}
	return template.HTML(b.String())
}

// tacticRows groups a rule's techniques by tactic in matrix order; ids the
// bundle does not place go under "(no tactic known)".
func (s *Site) tacticRows(r *rule.Rule) []tacticRow {
	byTactic := map[string][]techLink{}
	var order []string
	add := func(tactic string, t rule.Technique) {
		if _, ok := byTactic[tactic]; !ok {
			order = append(order, tactic)
		}
		byTactic[tactic] = append(byTactic[tactic], techLink{ID: t.ID, Name: t.Name, Note: techniqueNote(t),
			Href: rootRule + "attack/" + techniqueFile(t.ID)})
	}
	for _, t := range r.Attack {
		if len(t.Tactics) == 0 {
			add("(no tactic known)", t)
		}
		for _, tac := range t.Tactics {
			add(tac, t)
		}
	}
	rank := map[string]int{}
	if m := s.c.Attack; m != nil {
		for i, t := range m.Tactics {
			rank[t.Name] = i + 1
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		ri, rj := rank[order[i]], rank[order[j]]
		if ri == 0 {
			ri = 1 << 20
		}
		if rj == 0 {
			rj = 1 << 20
		}
		return ri < rj
	})
	rows := make([]tacticRow, len(order))
	for i, name := range order {
		rows[i] = tacticRow{Name: name, Techniques: byTactic[name]}
	}
	return rows
}

func techniqueNote(t rule.Technique) string {
	var notes []string
	if t.RevokedFrom != "" {
		notes = append(notes, "the rule says "+t.RevokedFrom+", revoked in favour of "+t.ID)
	}
	if t.Deprecated {
		notes = append(notes, "deprecated in ATT&CK")
	}
	if !t.Known && t.Note == "" {
		notes = append(notes, "not in the loaded ATT&CK bundle")
	}
	if t.Note != "" && t.RevokedFrom == "" {
		notes = append(notes, t.Note)
	}
	return strings.Join(notes, "; ")
}

// shownValue makes a value readable in a table: exists has no value, and
// the empty string is shown as such.
func shownValue(k rule.Kind, v string) string {
	switch {
	case k == rule.Exists:
		return "(exists)"
	case v == "":
		return `""`
	}
	return v
}

// corpusLabel renders a count the way the seed system does: "16 (sigma 14, splunk 2)".
func corpusLabel(c rule.Count) string {
	if len(c.BySource) <= 1 {
		for src := range c.BySource {
			return fmt.Sprintf("%d (%s %d)", c.Total, src, c.BySource[src])
		}
		return fmt.Sprint(c.Total)
	}
	srcs := make([]string, 0, len(c.BySource))
	for src := range c.BySource {
		srcs = append(srcs, src)
	}
	sort.Strings(srcs)
	parts := make([]string, len(srcs))
	for i, src := range srcs {
		parts[i] = fmt.Sprintf("%s %d", src, c.BySource[src])
	}
	return fmt.Sprintf("%d (%s)", c.Total, strings.Join(parts, ", "))
}

func metaRows(r *rule.Rule) []metaRow {
	var rows []metaRow
	add := func(name, value string) {
		if strings.TrimSpace(value) != "" {
			rows = append(rows, metaRow{name, value})
		}
	}
	add("Author", r.Author)
	add("Created", r.Created)
	add("Modified", r.Modified)
	add("Version", r.Version)
	add("Status", r.Status)
	add("Type", r.Type)
	add("Severity", r.Severity)
	add("Language", r.Language)
	if r.Splunk == nil {
		add("Data", strings.Join(r.DataSources, ", "))
	}
	return rows
}

// ---- indicator pages

// Indicator pages are grouped into indicatorBuckets files by a hash of the
// slug, each indicator a section the URL fragment selects (CSS :target
// shows it alone). A file per indicator would be some 40,000 files for the
// three rulesets, most of them for indicators only one rule has; file
// creation, not rendering, would then dominate the build.
const indicatorBuckets = 256

// indicatorBucket is the file (without extension) holding an indicator.
func indicatorBucket(slug string) string {
	h := fnv.New32a()
	h.Write([]byte(slug))
	return fmt.Sprintf("%02x", h.Sum32()%indicatorBuckets)
}

// indicatorHref is the link to an indicator from a page at root.
func indicatorHref(root string, in *catalog.Indicator) string {
	return root + "indicators/" + indicatorBucket(in.Slug) + ".html#" + in.Slug
}

type indicatorRow struct {
	Name, Href, Source, Value, Type string
	Deprecated                      bool
}

type similarLink struct {
	Kind                     rule.Kind
	Negated                  bool
	ShownValue, Href, Corpus string
}

type indicatorSection struct {
	Slug, Field        string
	Kind               rule.Kind
	Negated            bool
	ShownValue, Corpus string
	Total              int
	Rows               []indicatorRow
	Similar            []similarLink
}

func (s *Site) renderIndicatorBucket(w io.Writer, bucket string, list []*catalog.Indicator) error {
	v := struct {
		layout
		Bucket   string
		Sections []indicatorSection
	}{layout: s.layout("Indicators "+bucket, rootIndicator, crumb{"Detection rules", rootIndicator + "index.html"}, crumb{"Indicators", "index.html"}),
		Bucket: bucket}
	for _, in := range list {
		v.Sections = append(v.Sections, s.indicatorSection(in))
	}
	return execute(w, "indicator", v)
}

func (s *Site) indicatorSection(in *catalog.Indicator) indicatorSection {
	sec := indicatorSection{Slug: in.Slug, Field: in.Field, Kind: in.Kind, Negated: in.Negated,
		ShownValue: shownValue(in.Kind, in.Value), Corpus: corpusLabel(in.Count), Total: in.Count.Total}
	for _, r := range in.Rules {
		row := indicatorRow{Name: r.Name, Href: ruleHref(rootIndicator, r), Source: r.Source, Type: r.Type,
			Deprecated: r.Deprecated, Value: shownValue(in.Kind, in.Value)}
		for _, x := range r.Indicators { // the value as this rule writes it
			if x.Field == in.Field && x.Kind == in.Kind && x.Negated == in.Negated && strings.EqualFold(x.Value, in.Value) {
				row.Value = shownValue(x.Kind, x.Value)
				break
			}
		}
		sec.Rows = append(sec.Rows, row)
	}
	for _, k := range rule.Kinds {
		for _, neg := range []bool{false, true} {
			key := rule.IndicatorKey{Field: in.Field, Kind: k, Value: in.IndicatorKey.Value, Negated: neg}
			if key == in.IndicatorKey {
				continue
			}
			if o := s.c.Indicator(key); o != nil {
				sec.Similar = append(sec.Similar, similarLink{k, neg, shownValue(k, o.Value), indicatorHref(rootIndicator, o), corpusLabel(o.Count)})
			}
		}
	}
	return sec
}

// indicatorIndexSize is how many indicators indicators/index.html lists.
const indicatorIndexSize = 2000

type indicatorIndexRow struct {
	Field                            string
	Kind                             rule.Kind
	Negated                          bool
	ShownValue, Href, Corpus, Search string
}

func (s *Site) renderIndicatorIndex(w io.Writer) error {
	list := s.c.Indicators
	if len(list) > indicatorIndexSize {
		list = list[:indicatorIndexSize]
	}
	v := struct {
		layout
		Total int
		Rows  []indicatorIndexRow
	}{layout: s.layout("Indicators", rootIndicator, crumb{"Detection rules", rootIndicator + "index.html"}, crumb{Text: "Indicators"}),
		Total: len(s.c.Indicators)}
	for _, in := range list {
		v.Rows = append(v.Rows, indicatorIndexRow{Field: in.Field, Kind: in.Kind, Negated: in.Negated,
			ShownValue: shownValue(in.Kind, in.Value), Href: indicatorHref("", in)[len("indicators/"):], Corpus: corpusLabel(in.Count),
			Search: strings.ToLower(in.Field + " " + in.Value)})
	}
	return execute(w, "indicators", v)
}

// ---- stories

func (s *Site) renderStory(w io.Writer, st *story) error {
	v := struct {
		layout
		Name, Source, File     string
		Description, Narrative template.HTML
		Table                  ruleTable
	}{layout: s.layout(st.name, rootIndicator, crumb{"Detection rules", rootIndicator + "index.html"},
		crumb{sourceTitle(st.source), rootIndicator + "rules/" + st.source + "/index.html"}),
		Name: st.name, Source: st.source, File: st.file, Description: markdown(st.description), Narrative: markdown(st.narrative),
		Table: s.ruleTable(rootIndicator, st.rules)}
	return execute(w, "story", v)
}

// ---- problems

type problemSource struct {
	Kind        string
	Rules       int
	ParseFailed int
	Err         string
	Problems    []Failure
	Undefined   []UndefinedMacro
	Files       []FileProblemStats
}

func (s *Site) renderProblems(w io.Writer) error {
	st := s.Stats(0)
	v := struct {
		layout
		Attack  AttackStats
		Sources []problemSource
	}{layout: s.layout("Problems", rootTop, crumb{"Detection rules", "index.html"}, crumb{Text: "Problems"}), Attack: st.Attack}
	for _, ss := range st.Sources {
		ps := problemSource{Kind: ss.Source, Rules: ss.Rules, ParseFailed: ss.ParseFailed, Err: ss.Error}
		for _, f := range st.RuleProblems {
			if f.Source == ss.Source {
				ps.Problems = append(ps.Problems, f)
			}
		}
		for _, u := range st.UndefinedMacros {
			if u.Source == ss.Source {
				ps.Undefined = append(ps.Undefined, u)
			}
		}
		for _, f := range st.FileProblems {
			if f.Source == ss.Source {
				ps.Files = append(ps.Files, f)
			}
		}
		v.Sources = append(v.Sources, ps)
	}
	return execute(w, "problems", v)
}
