package elastic

import (
	"fmt"
	"strings"

	"ruledex/internal/rule"
)

// buildHunt turns a hunting query file ([hunt]) into a rule of type
// "hunting": one rule per file, each of its queries parsed into its own
// stages, labelled "query N" when there are several.
func buildHunt(rel, body string, f *tomlFile) *rule.Rule {
	h := f.Hunt
	r := &rule.Rule{
		ID:          h.UUID,
		Name:        h.Name,
		Path:        rel,
		Line:        1,
		Description: strings.TrimSpace(h.Description),
		Type:        "hunting",
		Author:      strings.Join(h.Author, ", "),
		References:  h.References,
		Body:        body,
	}
	if r.ID == "" {
		r.ID = rel
		r.Problems = append(r.Problems, rule.Problem{Kind: "load", Message: "the hunting query has no uuid; add one to [hunt]"})
	}
	if r.Name == "" {
		r.Name = strings.TrimSuffix(pathBase(rel), ".toml")
	}
	hm := &rule.ElasticHunt{Languages: h.Language, Integrations: h.Integration, Notes: trimAll(h.Notes),
		Mitre: h.Mitre, License: h.License}
	r.Elastic = &rule.ElasticMeta{Hunt: hm, License: h.License, Integrations: h.Integration}
	for _, id := range h.Mitre {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		r.AttackRefs = append(r.AttackRefs, rule.AttackRef{ID: strings.ToUpper(id), Kind: "technique", Written: id})
	}
	var texts []string
	from := 0
	for i, q := range h.Query {
		lang := huntLanguage(q, h.Language)
		at := locate(body, q, from, "query")
		if at.end > from {
			from = at.end
		}
		hm.Queries = append(hm.Queries, rule.ElasticHuntQuery{Language: lang, Query: q, Line: at.line})
		texts = append(texts, strings.TrimSpace(q))
		if r.Language == "" {
			r.Language = lang
		}
		var stages []rule.Stage
		if tag, rest, ok := fenceTag(q); ok {
			// A Markdown code-fence tag ('''sql) left in the query.
			r.Problems = append(r.Problems, rule.Problem{Line: at.line, Kind: "parse",
				Message: fmt.Sprintf("query %d starts with a stray %q line (a Markdown code-fence tag?), which %s rejects; remove it. ruledex parsed the rest", i+1, tag, languageNames[lang])})
			at.line++
			at.col = 1
			q = rest
		}
		if lang == "sql" {
			// Osquery SQL: shown as written, not parsed.
			stages = []rule.Stage{{Command: "SQL", Role: rule.RoleSource, Text: strings.TrimSpace(q), Line: at.line,
				Attrs: []rule.Attr{{Name: "language", Value: "osquery SQL (shown as written)"}}}}
		} else {
			stages = parseQuery(r, lang, q, at)
		}
		for j := range stages {
			if len(h.Query) > 1 {
				stages[j].Label = fmt.Sprintf("query %d", i+1)
			}
			stages[j].Index = len(r.Stages) + 1
			r.Stages = append(r.Stages, stages[j])
		}
	}
	r.Query = strings.Join(texts, "\n\n")
	r.DataSources = dataSources(r)
	if len(h.Query) == 0 {
		r.Problems = append(r.Problems, rule.Problem{Kind: "load", Message: "the hunting query has no query; add query = ['''…''']"})
	}
	return r
}

// huntLanguage is the language of one query of a hunt. Hunts list their
// languages for the file ("ES|QL", "SQL", "EQL"); with several, the query's
// first word tells: FROM/ROW/SHOW/TS is ES|QL, SELECT/WITH is SQL.
func huntLanguage(q string, langs []string) string {
	if len(langs) == 1 {
		return huntLanguageName(langs[0])
	}
	if _, rest, ok := fenceTag(q); ok {
		q = rest
	}
	word := strings.ToLower(firstWord(q))
	switch word {
	case "from", "row", "show", "ts":
		return "esql"
	case "select", "with":
		return "sql"
	}
	for _, l := range langs {
		if n := huntLanguageName(l); n == "eql" || n == "kql" {
			return n
		}
	}
	if len(langs) > 0 {
		return huntLanguageName(langs[0])
	}
	return "esql"
}

func huntLanguageName(l string) string {
	switch strings.ToLower(strings.TrimSpace(l)) {
	case "es|ql", "esql":
		return "esql"
	case "sql", "osquery":
		return "sql"
	case "eql":
		return "eql"
	case "kql", "kuery":
		return "kql"
	case "lucene":
		return "lucene"
	}
	return strings.ToLower(l)
}

// fenceTag reports whether q's first line is a lone language name (sql,
// esql, eql, kql) followed by the query itself.
func fenceTag(q string) (tag, rest string, ok bool) {
	nl := strings.IndexByte(q, '\n')
	if nl < 0 {
		return "", "", false
	}
	tag = strings.TrimSpace(q[:nl])
	switch strings.ToLower(tag) {
	case "sql", "esql", "eql", "kql":
		rest = q[nl+1:]
		if strings.TrimSpace(rest) != "" {
			return tag, rest, true
		}
	}
	return "", "", false
}

// firstWord is the first word of q, skipping white space and // comments.
func firstWord(q string) string {
	for {
		q = strings.TrimLeft(q, " \t\r\n")
		if strings.HasPrefix(q, "//") || strings.HasPrefix(q, "--") {
			if i := strings.IndexByte(q, '\n'); i >= 0 {
				q = q[i+1:]
				continue
			}
			return ""
		}
		break
	}
	end := strings.IndexAny(q, " \t\r\n(|")
	if end < 0 {
		return q
	}
	return q[:end]
}
