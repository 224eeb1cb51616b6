package elastic

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"ruledex/internal/lang"
	"ruledex/internal/lang/eql"
	"ruledex/internal/lang/esql"
	"ruledex/internal/lang/kql"
	"ruledex/internal/lang/lucene"
	"ruledex/internal/rule"
)

// languageNames are the languages as problems name them.
var languageNames = map[string]string{"kql": "KQL", "eql": "EQL", "esql": "ES|QL", "lucene": "Lucene", "sql": "SQL"}

// ruleStages parses the rule's query and adds the stages of its type:
// Kibana filters, the threshold or new_terms aggregation, the threat
// query of an indicator-match rule.
func ruleStages(r *rule.Rule, body string, tr *tomlRule) []rule.Stage {
	var stages []rule.Stage
	if strings.TrimSpace(tr.Query) != "" {
		at := locate(body, tr.Query, 0, "query")
		stages = parseQuery(r, r.Language, tr.Query, at)
	} else if tr.Type != "machine_learning" {
		r.AddProblem(0, "the %s rule has no query; add query = '''…''' to [rule]", tr.Type)
	}
	if len(tr.Filters) > 0 {
		e, texts := filtersExpr(tr.Filters)
		st := rule.Stage{Command: "filters", Role: rule.RoleFilter, Expr: e, Text: strings.Join(texts, "\n")}
		shift(&st, keyLine(body, "[[rule.filters]]")) // the stage and its predicates take the table's line
		stages = append(stages, st)
	}
	if t := tr.Threshold; t != nil {
		st := rule.Stage{Command: "threshold", Role: rule.RoleAggregate, Line: keyLine(body, "[rule.threshold]")}
		attrs := []rule.Attr{{Name: "fields", Value: strings.Join(t.Field, ", ")}, {Name: "value", Value: ">= " + strconv.Itoa(t.Value)}}
		var text []string
		if len(t.Field) > 0 {
			text = append(text, "group by "+strings.Join(t.Field, ", "))
		}
		text = append(text, "count >= "+strconv.Itoa(t.Value))
		for _, c := range t.Cardinality {
			attrs = append(attrs, rule.Attr{Name: "cardinality", Value: fmt.Sprintf("%s >= %d", c.Field, c.Value)})
			text = append(text, fmt.Sprintf("distinct %s >= %d", c.Field, c.Value))
		}
		if len(t.Field) == 0 {
			attrs = attrs[1:]
		}
		st.Attrs, st.Text = attrs, strings.Join(text, ", ")
		stages = append(stages, st)
	}
	if nt := tr.NewTerms; nt != nil {
		st := rule.Stage{Command: "new_terms", Role: rule.RoleAggregate, Line: keyLine(body, "[rule.new_terms]"),
			Attrs: []rule.Attr{{Name: "fields", Value: strings.Join(nt.Value, ", ")}}}
		st.Text = "new values of " + strings.Join(nt.Value, ", ")
		for _, h := range nt.HistoryWindowStart {
			st.Attrs = append(st.Attrs, rule.Attr{Name: "window", Value: h.Value})
			st.Text += " not seen since " + h.Value
		}
		stages = append(stages, st)
	}
	if tr.Type == "threat_match" || tr.ThreatQuery != "" {
		stages = append(stages, threatStage(r, body, tr))
	}
	for i := range stages {
		stages[i].Index = i + 1
	}
	return stages
}

// threatStage is the indicator-match side: the threat query on the threat
// indices (with its filters) and the field mapping.
func threatStage(r *rule.Rule, body string, tr *tomlRule) rule.Stage {
	st := rule.Stage{Command: "threat_query", Role: rule.RoleLookup, Text: strings.TrimSpace(tr.ThreatQuery)}
	lang := language(tr.ThreatLanguage)
	if lang == "" {
		lang = "kql"
	}
	if strings.TrimSpace(tr.ThreatQuery) != "" {
		at := locate(body, tr.ThreatQuery, 0, "threat_query")
		st.Line = at.line
		if parsed := parseQuery(r, lang, tr.ThreatQuery, at); len(parsed) == 1 {
			st.Expr = parsed[0].Expr
		}
	}
	if len(tr.ThreatFilters) > 0 {
		e, _ := filtersExpr(tr.ThreatFilters)
		tf := rule.Stage{Expr: e}
		shift(&tf, keyLine(body, "[[rule.threat_filters]]"))
		st.Expr = rule.NewAnd(st.Expr, tf.Expr)
	}
	if len(tr.ThreatIndex) > 0 {
		st.Attrs = append(st.Attrs, rule.Attr{Name: "threat index", Value: strings.Join(tr.ThreatIndex, ", ")})
	}
	var or []string
	for _, m := range tr.ThreatMapping {
		var and []string
		for _, e := range m.Entries {
			and = append(and, e.Field+" = "+e.Value)
		}
		if len(and) > 0 {
			or = append(or, strings.Join(and, " AND "))
		}
	}
	if len(or) > 0 {
		st.Attrs = append(st.Attrs, rule.Attr{Name: "mapping", Value: strings.Join(or, " OR ")})
	}
	if tr.ThreatIndicatorPath != "" {
		st.Attrs = append(st.Attrs, rule.Attr{Name: "indicator path", Value: tr.ThreatIndicatorPath})
	}
	return st
}

// parseQuery parses one query in its language into stages, with lines
// in the rule file. A query that does not parse is one stage with the text
// and a "parse" problem at the line in the file.
func parseQuery(r *rule.Rule, language, query string, at position) []rule.Stage {
	var stages []rule.Stage
	var err error
	switch language {
	case "kql", "lucene":
		parse := kql.Parse
		if language == "lucene" {
			parse = lucene.Parse
		}
		var e rule.Expr
		if e, err = parse(query); err == nil {
			stages = []rule.Stage{{Command: "query", Role: rule.RoleFilter, Text: strings.TrimSpace(query), Expr: e, Line: 1}}
		}
	case "eql":
		stages, err = eql.Parse(query)
	case "esql":
		stages, err = esql.Parse(query)
	default:
		name := language
		if name == "" {
			name = "(none)"
		}
		r.Problems = append(r.Problems, rule.Problem{Line: at.line, Kind: "parse",
			Message: fmt.Sprintf("query language %q is not one ruledex parses (kuery, eql, esql, lucene); the query is shown as written", name)})
		return []rule.Stage{{Command: "query", Role: rule.RoleOther, Text: strings.TrimSpace(query), Line: at.line}}
	}
	if err != nil {
		r.Problems = append(r.Problems, parseProblem(language, err, at))
		return []rule.Stage{{Command: "query", Role: rule.RoleOther, Text: strings.TrimSpace(query), Line: at.line}}
	}
	for i := range stages {
		shift(&stages[i], at.line)
	}
	return stages
}

// parseProblem turns a parser's error into a problem at the line and
// column in the rule file.
func parseProblem(language string, err error, at position) rule.Problem {
	name := languageNames[language]
	var le *lang.Error
	if !errors.As(err, &le) {
		return rule.Problem{Line: at.line, Kind: "parse", Message: fmt.Sprintf("%s query does not parse: %v", name, err)}
	}
	line, col := at.line+le.Line-1, le.Col
	if le.Line == 1 {
		col += at.col - 1
	}
	msg := fmt.Sprintf("%s query does not parse: line %d, column %d: %s", name, line, col, le.Msg)
	if language == "lucene" {
		msg += " (ruledex reads the common Lucene subset: field:value, phrases, wildcards, /regex/, ranges, _exists_, AND/OR/NOT/+/-; this query is outside it)"
	}
	return rule.Problem{Line: line, Kind: "parse", Message: msg}
}

// shift moves a stage's lines (relative to its query, 1 = the query's
// first line) to lines in the file; what has no line gets the first.
func shift(st *rule.Stage, first int) {
	if first <= 0 {
		return
	}
	move := func(line int) int {
		if line > 0 {
			return line + first - 1
		}
		return first
	}
	st.Line = move(st.Line)
	rule.Walk(st.Expr, func(e rule.Expr, _ int) bool {
		if p, ok := e.(*rule.Predicate); ok {
			p.Line = move(p.Line)
		}
		return true
	})
}
