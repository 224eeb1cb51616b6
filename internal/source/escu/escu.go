// Package escu reads Splunk's security_content (ESCU) repository layout:
// detections/**.yml in both of ESCU's layouts, macros/*.yml, data_sources/*.yml
// and stories/*.yml. Queries are parsed with the spl package, macros
// expanded from the ruleset's own macros/ folder.
package escu

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/lang/spl"
	"ruledex/internal/rule"
	"ruledex/internal/source"
)

// Reader reads an ESCU ruleset. Root may be the repository root (with
// detections/, macros/ …), the detections folder of one, or a single
// detection file; macros and data sources are looked up in the repository
// root above it.
type Reader struct{}

// Read implements source.Reader.
func (Reader) Read(root string) (*source.Result, error) {
	repo, detections, err := layout(root)
	if err != nil {
		return nil, err
	}
	res := &source.Result{}

	// Macros, data sources and stories are small and needed before any
	// query is parsed; read them first (each concurrently).
	var (
		macros  []spl.Macro
		dsrcs   map[string]rule.DataSource
		stories []source.Story
		probs   [3][]source.FileProblem
	)
	source.Parallel(3, func(i int) {
		switch i {
		case 0:
			macros, probs[0] = readMacros(repo)
		case 1:
			dsrcs, probs[1] = readDataSources(repo)
		case 2:
			stories, probs[2] = readStories(repo)
		}
	})
	for _, p := range probs {
		res.Problems = append(res.Problems, p...)
	}
	res.Stories = stories
	table := spl.NewMacros(macros)

	files, err := source.Files(detections, ".yml", ".yaml")
	if err != nil {
		return nil, err
	}
	base := source.RootDir(detections)
	rules := make([]*rule.Rule, len(files))
	source.Parallel(len(files), func(i int) {
		full := filepath.Join(base, filepath.FromSlash(files[i]))
		rel := relTo(repo, full)
		rules[i] = readDetection(full, rel, table, dsrcs)
	})
	res.Rules = rules
	res.Notes = append(res.Notes,
		fmt.Sprintf("%d detections, %d macros, %d data sources, %d stories", len(rules), len(macros), len(dsrcs), len(stories)))
	return res, nil
}

// layout finds the repository root and the folder (or file) of detections.
func layout(root string) (repo, detections string, err error) {
	if _, err := statDir(root); err != nil {
		if _, ferr := source.Files(root, ".yml", ".yaml"); ferr != nil {
			return "", "", err
		}
		// A single file: its repository is the first parent holding macros/.
		return findRepo(filepath.Dir(root)), root, nil
	}
	if ok, _ := statDir(filepath.Join(root, "detections")); ok {
		return root, filepath.Join(root, "detections"), nil
	}
	return findRepo(root), root, nil
}

// findRepo walks up from dir to the first folder with a macros/ folder,
// or returns dir itself.
func findRepo(dir string) string {
	for d := dir; ; {
		if ok, _ := statDir(filepath.Join(d, "macros")); ok {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

func relTo(root, full string) string {
	rel, err := filepath.Rel(root, full)
	if err != nil {
		return filepath.ToSlash(full)
	}
	return filepath.ToSlash(rel)
}

// detection is an ESCU detection file in either layout. Fields of the older
// layout live under Tags; the newer layout has them at the top level.
type detection struct {
	Name                string        `yaml:"name"`
	ID                  string        `yaml:"id"`
	Version             yaml.Node     `yaml:"version"`
	Date                string        `yaml:"date"`
	CreationDate        string        `yaml:"creation_date"`
	ModificationDate    string        `yaml:"modification_date"`
	Author              string        `yaml:"author"`
	Status              string        `yaml:"status"`
	Type                string        `yaml:"type"`
	Description         string        `yaml:"description"`
	DataSource          []string      `yaml:"data_source"`
	DataSources         []string      `yaml:"data_sources"`
	Search              string        `yaml:"search"`
	HowToImplement      string        `yaml:"how_to_implement"`
	KnownFalsePositives string        `yaml:"known_false_positives"`
	References          []string      `yaml:"references"`
	Drilldowns          []drilldown   `yaml:"drilldown_searches"`
	Tags                tags          `yaml:"tags"`
	Tests               []test        `yaml:"tests"`
	Finding             *finding      `yaml:"finding"`
	Intermediate        *intermediate `yaml:"intermediate_findings"`
	tags                `yaml:",inline"`
	Category            string `yaml:"category"`
}

// tags is the older layout's tags: section, and the same keys at the top
// level of the newer layout.
type tags struct {
	AnalyticStory  []string     `yaml:"analytic_story"`
	AssetType      string       `yaml:"asset_type"`
	Confidence     int          `yaml:"confidence"`
	Impact         int          `yaml:"impact"`
	Message        string       `yaml:"message"`
	MitreAttackID  []string     `yaml:"mitre_attack_id"`
	Observable     []observable `yaml:"observable"`
	Product        []string     `yaml:"product"`
	RequiredFields []string     `yaml:"required_fields"`
	RiskScore      int          `yaml:"risk_score"`
	SecurityDomain string       `yaml:"security_domain"`
	CVE            []string     `yaml:"cve"`
}

type drilldown struct {
	Name           string `yaml:"name"`
	Search         string `yaml:"search"`
	EarliestOffset string `yaml:"earliest_offset"`
	LatestOffset   string `yaml:"latest_offset"`
}

type test struct {
	Name       string `yaml:"name"`
	TestType   string `yaml:"test_type"`
	AttackData []struct {
		Data       string `yaml:"data"`
		Source     string `yaml:"source"`
		Sourcetype string `yaml:"sourcetype"`
	} `yaml:"attack_data"`
}

type observable struct {
	Name string   `yaml:"name"`
	Type string   `yaml:"type"`
	Role []string `yaml:"role"`
}

type entity struct {
	Field string `yaml:"field"`
	Type  string `yaml:"type"`
	Score int    `yaml:"score"`
}

type threatObject struct {
	Field string `yaml:"field"`
	Type  string `yaml:"type"`
}

type finding struct {
	Title         string         `yaml:"title"`
	Entity        *entity        `yaml:"entity"`
	Entities      []entity       `yaml:"entities"`
	ThreatObjects []threatObject `yaml:"threat_objects"`
	// Some files nest intermediate_findings under finding.
	Intermediate *intermediate `yaml:"intermediate_findings"`
}

type intermediate struct {
	Message       string         `yaml:"message"`
	Entities      []entity       `yaml:"entities"`
	ThreatObjects []threatObject `yaml:"threat_objects"`
}

// readDetection turns one detection file into a rule. It never fails: a
// file that does not load becomes a placeholder rule with the problem.
func readDetection(full, rel string, macros *spl.Macros, dsrcs map[string]rule.DataSource) *rule.Rule {
	r := &rule.Rule{
		Path:       rel,
		Line:       1,
		Language:   "spl",
		Deprecated: strings.Contains("/"+rel, "/deprecated/"),
	}
	data, err := source.ReadFile(full)
	if err != nil {
		return placeholder(r, 0, err.Error())
	}
	r.Body = string(data)

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := source.YAMLSyntaxError(data, err)
		return placeholder(r, line, "YAML does not load: "+msg+"; fix the file's syntax")
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return placeholder(r, 1, "not an ESCU detection: the file is not a YAML mapping")
	}
	top := doc.Content[0]
	var d detection
	if err := top.Decode(&d); err != nil {
		// A wrong type for one field should not lose the rule: keep what
		// decodes and name the field.
		r.Problems = append(r.Problems, rule.Problem{Kind: "load", Line: yamlErrorLine(err),
			Message: "some fields do not have the type ESCU expects: " + cleanYAMLError(err)})
	}
	fill(r, &d, top)
	if r.ID == "" {
		r.ID = strings.TrimSuffix(path.Base(rel), path.Ext(rel))
		r.Problems = append(r.Problems, rule.Problem{Kind: "load", Line: 1,
			Message: "the detection has no id: field; using the file name " + r.ID})
	}
	if r.Name == "" {
		r.Name = r.ID
	}

	sp := r.Splunk
	for _, name := range r.DataSources {
		ds, ok := dsrcs[strings.ToLower(name)]
		if !ok {
			ds = rule.DataSource{Name: name}
		}
		sp.DataSources = append(sp.DataSources, ds)
	}

	if strings.TrimSpace(d.Search) == "" {
		r.Problems = append(r.Problems, rule.Problem{Kind: "parse", Line: keyLine(top, "search"),
			Message: "the detection has no search: nothing to parse"})
		return r
	}
	searchLine, inline := valueLine(top, "search")
	res := spl.Parse(d.Search, macros)
	r.Stages = res.Stages
	sp.Macros = res.Macros
	// The parser counts lines within the query; pages link to file lines.
	for _, p := range res.Problems {
		p.Message = queryPosition.ReplaceAllString(p.Message, "search line $1, column $2: ")
		p.Line = fileLine(searchLine, inline, p.Line)
		r.Problems = append(r.Problems, p)
	}
	for i := range r.Stages {
		st := &r.Stages[i]
		st.Line = fileLine(searchLine, inline, st.Line)
		rule.Walk(st.Expr, func(e rule.Expr, _ int) bool {
			if p, ok := e.(*rule.Predicate); ok {
				p.Line = fileLine(searchLine, inline, p.Line)
			}
			return true
		})
	}
	return r
}

// queryPosition is the "line L, column C: " that starts the parser's
// messages, positions within the query text.
var queryPosition = regexp.MustCompile(`^line (\d+), column (\d+): `)

// fill copies a decoded detection into the rule.
func fill(r *rule.Rule, d *detection, top *yaml.Node) {
	t := d.Tags
	if len(t.MitreAttackID) == 0 && len(t.AnalyticStory) == 0 {
		t = d.tags // newer layout
	}
	r.ID = strings.TrimSpace(d.ID)
	r.Name = strings.TrimSpace(d.Name)
	r.Description = strings.TrimSpace(d.Description)
	r.Type = d.Type
	r.Status = d.Status
	if strings.EqualFold(d.Status, "deprecated") {
		r.Deprecated = true
	}
	r.Author = d.Author
	r.Version = d.Version.Value
	r.Created = d.CreationDate
	r.Modified = d.ModificationDate
	if r.Modified == "" {
		r.Modified = d.Date // the older layout's date is the last change
	}
	r.References = d.References
	if fp := strings.TrimSpace(d.KnownFalsePositives); fp != "" {
		r.FalsePositives = []string{fp}
	}
	r.DataSources = append(append([]string(nil), d.DataSource...), d.DataSources...)
	r.Query = d.Search
	for _, id := range t.MitreAttackID {
		id = strings.ToUpper(strings.TrimSpace(id))
		if id != "" {
			r.AttackRefs = append(r.AttackRefs, rule.AttackRef{ID: id, Kind: attackKind(id), Written: id})
		}
	}
	r.Tags = append(r.Tags, t.CVE...)

	sp := &rule.SplunkMeta{
		Stories:        t.AnalyticStory,
		AssetType:      t.AssetType,
		Products:       t.Product,
		SecurityDomain: t.SecurityDomain,
		Category:       d.Category,
		CVE:            t.CVE,
		HowToImplement: strings.TrimSpace(d.HowToImplement),
		RequiredFields: t.RequiredFields,
		RiskScore:      t.RiskScore,
		Confidence:     t.Confidence,
		Impact:         t.Impact,
		Message:        t.Message,
	}
	for _, dd := range d.Drilldowns {
		sp.Drilldowns = append(sp.Drilldowns, rule.Drilldown(dd))
	}
	for _, tt := range d.Tests {
		rt := rule.Test{Name: tt.Name, TestType: tt.TestType}
		for _, a := range tt.AttackData {
			rt.AttackData = append(rt.AttackData, rule.AttackData(a))
		}
		sp.Tests = append(sp.Tests, rt)
	}
	for _, o := range t.Observable {
		sp.Observables = append(sp.Observables, rule.Observable(o))
	}
	inter := d.Intermediate
	if f := d.Finding; f != nil {
		rf := &rule.Finding{Title: f.Title, Entities: entities(f.Entities), ThreatObjects: threats(f.ThreatObjects)}
		if f.Entity != nil {
			e := rule.RiskEntity(*f.Entity)
			rf.Entity = &e
		}
		sp.Finding = rf
		if inter == nil {
			inter = f.Intermediate
		}
	}
	if inter != nil {
		sp.IntermediateFindings = &rule.IntermediateFindings{Message: inter.Message,
			Entities: entities(inter.Entities), ThreatObjects: threats(inter.ThreatObjects)}
	}
	if sp.RiskScore > 0 {
		r.Severity = riskLevel(sp.RiskScore)
	}
	r.Splunk = sp
}

func entities(es []entity) []rule.RiskEntity {
	var out []rule.RiskEntity
	for _, e := range es {
		out = append(out, rule.RiskEntity(e))
	}
	return out
}

func threats(ts []threatObject) []rule.ThreatObject {
	var out []rule.ThreatObject
	for _, t := range ts {
		out = append(out, rule.ThreatObject(t))
	}
	return out
}

// riskLevel names a risk score the way Splunk ES's risk framework bands it.
func riskLevel(score int) string {
	switch {
	case score >= 80:
		return "critical"
	case score >= 60:
		return "high"
	case score >= 40:
		return "medium"
	case score >= 20:
		return "low"
	}
	return "informational"
}

func attackKind(id string) string {
	switch {
	case strings.HasPrefix(id, "TA"):
		return "tactic"
	case strings.HasPrefix(id, "G"):
		return "group"
	case strings.HasPrefix(id, "S"):
		return "software"
	}
	return "technique"
}

func placeholder(r *rule.Rule, line int, msg string) *rule.Rule {
	name := strings.TrimSuffix(path.Base(r.Path), path.Ext(r.Path))
	r.ID = name
	r.Name = name
	r.Problems = append(r.Problems, rule.Problem{Kind: "load", Line: line, Message: msg})
	return r
}
