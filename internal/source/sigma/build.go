package sigma

import (
	"path"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	sigmalang "ruledex/internal/lang/sigma"
	"ruledex/internal/rule"
)

// knownKeys are the top-level keys of Sigma rules, correlation rules and
// filters (specification 2.x) and of Sigma 1 collections; other keys go to
// SigmaMeta.Custom.
var knownKeys = map[string]bool{
	"title": true, "id": true, "name": true, "related": true, "taxonomy": true, "status": true,
	"description": true, "license": true, "references": true, "author": true, "date": true,
	"modified": true, "logsource": true, "detection": true, "fields": true, "falsepositives": true,
	"level": true, "tags": true, "scope": true, "correlation": true, "filter": true,
	"regression_tests_path": true, "simulation": true, "action": true, "generate": true,
}

// isSigma reports whether a top-level mapping looks like a Sigma document
// at all (other YAML in a rules folder is skipped with a note).
func isSigma(m *yaml.Node) bool {
	for _, k := range []string{"title", "detection", "correlation", "filter", "logsource"} {
		if getKey(m, k) != nil {
			return true
		}
	}
	return false
}

// buildRule turns one rule document into a rule. rel is the file's path
// relative to the ruleset root; f its text.
func buildRule(rel string, f *fileText, rd *ruleDoc) *rule.Rule {
	m := rd.node
	r := &rule.Rule{
		Path:     rel,
		Line:     rd.parts[0].line,
		Language: "sigma",
		Body:     body(f, rd),
	}
	meta := &rule.SigmaMeta{}
	r.Sigma = meta
	if rd.collection {
		meta.Collection = rd.doc.index
	}

	r.ID = str(get(m, "id"))
	meta.Name = str(get(m, "name"))
	if rd.renumber {
		// Rules of one collection inherit the global id; the first keeps
		// it, the others are told apart by their document number.
		r.ID += "#" + strconv.Itoa(rd.doc.index)
	}
	if r.ID == "" {
		// The id is optional; fall back to the name, then the file.
		r.ID = meta.Name
		if r.ID == "" {
			r.ID = fallbackID(rel, rd.doc.index)
		}
	}
	r.Name = str(get(m, "title"))
	if r.Name == "" {
		r.Name = fileStem(rel)
		r.Problems = append(r.Problems, rule.Problem{Line: rd.doc.line, Kind: "load",
			Message: "the rule has no title; add `title:`"})
	}
	r.Description = strings.TrimSpace(str(get(m, "description")))
	r.Status = str(get(m, "status"))
	meta.Status = r.Status
	r.Author = str(get(m, "author"))
	r.Created = str(get(m, "date"))
	r.Modified = str(get(m, "modified"))
	r.Severity = str(get(m, "level"))
	meta.Level = r.Severity
	r.References = strs(get(m, "references"))
	r.FalsePositives = strs(get(m, "falsepositives"))
	meta.FalsePositives = r.FalsePositives
	r.Tags = strs(get(m, "tags"))
	r.AttackRefs = attackRefs(r.Tags)
	meta.Taxonomy = str(get(m, "taxonomy"))
	meta.License = str(get(m, "license"))
	meta.Fields = strs(get(m, "fields"))
	meta.Scope = strs(get(m, "scope"))
	meta.RegressionTestsPath = str(get(m, "regression_tests_path"))
	meta.Simulation = simulations(get(m, "simulation"))
	meta.Logsource = logsource(get(m, "logsource"))
	if ds := dataSource(meta.Logsource); ds != "" {
		r.DataSources = []string{ds}
	}
	readRelated(r, meta, get(m, "related"))
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i].Value; !knownKeys[k] {
			meta.Custom = append(meta.Custom, rule.Attr{Name: k, Value: yamlText(m.Content[i+1])})
		}
	}

	segs := strings.Split(rel, "/")
	r.Deprecated = strings.EqualFold(r.Status, "deprecated") || hasSegment(segs, "deprecated")
	if strings.EqualFold(r.Status, "unsupported") || hasSegment(segs, "unsupported") {
		meta.Unsupported = true
		if !hasTag(r.Tags, "unsupported") {
			r.Tags = append(r.Tags, "unsupported")
		}
	}

	switch {
	case get(m, "correlation") != nil:
		r.Type = "correlation"
		r.Query = sectionText(f, rd, "correlation")
		readCorrelation(r, meta, m)
	case get(m, "filter") != nil:
		r.Type = "filter"
		r.Query = sectionText(f, rd, "filter")
		readFilter(r, meta, get(m, "filter"), getKey(m, "filter"))
	default:
		r.Type = "detection"
		r.Query = sectionText(f, rd, "detection")
		readDetection(r, meta, m)
	}
	if getKey(m, "logsource") == nil && r.Type != "correlation" {
		r.Problems = append(r.Problems, rule.Problem{Line: rd.doc.line, Kind: "load",
			Message: "the rule has no logsource; add `logsource:` with a product, category or service"})
	}
	return r
}

// readDetection parses the detection section into stages.
func readDetection(r *rule.Rule, meta *rule.SigmaMeta, m *yaml.Node) {
	det := get(m, "detection")
	if det == nil {
		r.Problems = append(r.Problems, rule.Problem{Line: r.Line, Kind: "parse",
			Message: "the rule has no detection section; add `detection:` with search identifiers and a condition"})
		return
	}
	d, problems := sigmalang.ParseDetection(det)
	r.Problems = append(r.Problems, problems...)
	r.Stages = d.Stages()
	meta.Timeframe = d.Timeframe
}

// body is the rule's text: its document, or for a collection the file from
// its first global document to the end of its own, so that the body's
// lines are the file's lines from Rule.Line on.
func body(f *fileText, rd *ruleDoc) string {
	if len(rd.parts) == 1 {
		if rd.doc.index == 1 && len(f.src) == len(rd.doc.text) {
			return f.src
		}
		return rd.doc.text
	}
	return f.lines(rd.parts[0].line, docEnd(rd.doc))
}

// docEnd is the line after a document's last line.
func docEnd(d *document) int {
	end := d.line + strings.Count(d.text, "\n")
	if !strings.HasSuffix(d.text, "\n") {
		end++
	}
	return end
}

// sectionText is the text of a top-level section as written: from its key
// to the next top-level key of its document, without trailing blank or
// comment lines. For collections, each part's section in turn.
func sectionText(f *fileText, rd *ruleDoc, key string) string {
	var out []string
	for _, p := range rd.parts {
		m := topMap(p.node)
		if m == nil {
			continue
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value != key {
				continue
			}
			from := m.Content[i].Line
			to := docEnd(p)
			if i+2 < len(m.Content) {
				to = m.Content[i+2].Line
			}
			for to > from+1 {
				l := strings.TrimSpace(f.line(to - 1))
				if l != "" && !strings.HasPrefix(f.line(to-1), "#") {
					break
				}
				to--
			}
			out = append(out, strings.TrimRight(f.lines(from, to), "\r\n"))
		}
	}
	return strings.Join(out, "\n")
}

// logsource reads the logsource section.
func logsource(n *yaml.Node) rule.SigmaLogsource {
	var ls rule.SigmaLogsource
	if n == nil || n.Kind != yaml.MappingNode {
		return ls
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, str(n.Content[i+1])
		switch k {
		case "product":
			ls.Product = v
		case "category":
			ls.Category = v
		case "service":
			ls.Service = v
		case "definition":
			ls.Definition = v
		default:
			ls.Other = append(ls.Other, rule.Attr{Name: k, Value: yamlText(n.Content[i+1])})
		}
	}
	return ls
}

// dataSource renders a logsource as "product/category/service", leaving out
// the parts the rule does not give.
func dataSource(ls rule.SigmaLogsource) string {
	var parts []string
	for _, p := range []string{ls.Product, ls.Category, ls.Service} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/")
}

// readRelated reads related: [{id, type}] into links.
func readRelated(r *rule.Rule, meta *rule.SigmaMeta, n *yaml.Node) {
	if n == nil || n.Kind != yaml.SequenceNode {
		return
	}
	for _, it := range n.Content {
		id, typ := str(get(it, "id")), str(get(it, "type"))
		if id == "" {
			continue
		}
		meta.Related = append(meta.Related, rule.SigmaRelated{ID: id, Type: typ})
		rel := strings.ToLower(typ)
		if rel == "obsoletes" { // Sigma 1 spelling
			rel = "obsolete"
		}
		if rel == "" {
			rel = "related"
		}
		r.Links = append(r.Links, rule.Link{Relation: rel, Source: "sigma", ID: id})
	}
}

// simulations reads simulation: a list of maps of scalars.
func simulations(n *yaml.Node) []map[string]string {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []map[string]string
	for _, it := range n.Content {
		it = deref(it)
		if it == nil || it.Kind != yaml.MappingNode {
			continue
		}
		s := make(map[string]string, len(it.Content)/2)
		for i := 0; i+1 < len(it.Content); i += 2 {
			s[it.Content[i].Value] = yamlText(it.Content[i+1])
		}
		out = append(out, s)
	}
	return out
}

func hasSegment(segs []string, name string) bool {
	for _, s := range segs[:len(segs)-1] {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

func hasTag(tags []string, t string) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}

// fileStem is the file name without its extension.
func fileStem(rel string) string {
	base := path.Base(rel)
	return strings.TrimSuffix(base, path.Ext(base))
}

// fallbackID identifies a rule without id or name by its file (and
// document).
func fallbackID(rel string, index int) string {
	if index > 1 {
		return rel + "#" + strconv.Itoa(index)
	}
	return rel
}
