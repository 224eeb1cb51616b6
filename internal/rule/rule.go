package rule

import (
	"encoding/json"
)

// Rule is one detection rule of one source, as a reader built it from the
// rule's file. Readers fill everything but Slug, Attack, Events' titles,
// Indicators' corpus counts and cross references, which the catalog adds.
type Rule struct {
	ID     string `json:"id"`
	Source string `json:"source"` // the KIND of the ruleset: splunk, sigma, elastic, …
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	// Path is the rule file's path relative to the ruleset root, with
	// forward slashes.
	Path string `json:"path"`
	// Line is the first line of the rule in its file (multi-document YAML
	// files hold several rules); 1 for whole-file rules.
	Line        int    `json:"line,omitempty"`
	Description string `json:"description"`

	Language   string `json:"language"`         // spl, sigma, kql, eql, esql, lucene, …
	Type       string `json:"type,omitempty"`   // ESCU TTP/Anomaly/…, Sigma detection/correlation/filter, Elastic query/eql/threshold/…
	Status     string `json:"status,omitempty"` // production, experimental, test, stable, …
	Deprecated bool   `json:"deprecated,omitempty"`
	Author     string `json:"author,omitempty"`
	Created    string `json:"created,omitempty"`  // date as written (YYYY-MM-DD preferred)
	Modified   string `json:"modified,omitempty"` // date as written
	Version    string `json:"version,omitempty"`
	Severity   string `json:"severity,omitempty"` // Sigma level, Elastic severity, ESCU risk level

	References     []string `json:"references,omitempty"`
	FalsePositives []string `json:"false_positives,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	// DataSources are the rule's own names for the data it needs (ESCU
	// data_source, Elastic index patterns and integrations, a Sigma
	// logsource rendered as "product/category/service").
	DataSources []string `json:"data_sources,omitempty"`

	// Query is the rule's query text as written (for Sigma the detection
	// section as YAML).
	Query string `json:"query"`

	// AttackRefs are the ATT&CK references as the rule writes them; the
	// catalog resolves them into Attack with the STIX bundle.
	AttackRefs []AttackRef `json:"attack_refs,omitempty"`
	Attack     []Technique `json:"attack"`
	Tactics    []TacticRef `json:"tactics,omitempty"` // tactics named by the rule itself, resolved
	Events     []EventRef  `json:"events"`
	// DataNeeds names, in plain words, data the rule needs that is not a
	// Windows event ("Elastic Defend process events", "AWS CloudTrail logs").
	DataNeeds  []string     `json:"data_needs,omitempty"`
	Stages     []Stage      `json:"stages"`
	Indicators []Indicator  `json:"indicators"`
	Problems   []Problem    `json:"problems"`
	Links      []Link       `json:"links,omitempty"` // related rules, correlations, filters, duplicates
	Splunk     *SplunkMeta  `json:"splunk,omitempty"`
	Sigma      *SigmaMeta   `json:"sigma,omitempty"`
	Elastic    *ElasticMeta `json:"elastic,omitempty"`

	// Body is the rule file's text (the document of this rule for
	// multi-document files), shown on the page. Not in rule.json.
	Body string `json:"-"`
}

// Key identifies a rule in the catalog: the same id in two sources is two rules.
type Key struct {
	Source, ID string
}

// Key returns the rule's identity.
func (r *Rule) Key() Key { return Key{r.Source, r.ID} }

// AddProblem records a problem at a line of the rule's file (0: the file as a whole).
func (r *Rule) AddProblem(line int, format string, args ...any) {
	r.Problems = append(r.Problems, Problemf(line, format, args...))
}

// Stage is one step of a rule's query: an SPL pipe segment, a Sigma
// condition term, an EQL sequence step, an ES|QL command.
type Stage struct {
	Index   int    `json:"index"`   // 1-based
	Command string `json:"command"` // tstats, search, where, eval, stats, condition, sequence step, WHERE, …
	Label   string `json:"label,omitempty"`
	// Text is the stage as written; Expanded is the same after macro
	// expansion ("" when expansion changed nothing).
	Text     string `json:"text"`
	Expanded string `json:"expanded,omitempty"`
	// Expr is the stage's filter, nil when the stage does not filter.
	Expr Expr `json:"-"`
	// Role tells what the stage does to the event stream; the matcher uses
	// it to decide whether a rule can be evaluated on single events.
	Role Role `json:"role"`
	// Line is the stage's 1-based line in the rule file, 0 if unknown.
	Line int `json:"line,omitempty"`
	// Attrs are the stage's other parts as key/value pairs for the page:
	// datamodel, by fields, maxspan, runs, aggregations.
	Attrs []Attr `json:"attrs,omitempty"`
}

// MarshalJSON writes Expr in its stable shape next to the other fields.
func (s Stage) MarshalJSON() ([]byte, error) {
	type plain Stage
	return json.Marshal(struct {
		plain
		Expr *exprJSON `json:"expr"`
	}{plain(s), toJSON(s.Expr)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Stage) UnmarshalJSON(b []byte) error {
	type plain Stage
	var v struct {
		plain
		Expr *exprJSON `json:"expr"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = Stage(v.plain)
	e, err := fromJSON(v.Expr)
	s.Expr = e
	return err
}

// Attr is a named part of a stage.
type Attr struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Role is what a stage does.
type Role string

const (
	RoleSource    Role = "source"    // selects events (search, tstats, from, an EQL event query)
	RoleFilter    Role = "filter"    // drops events (where, search, regex, a Sigma condition term)
	RoleTransform Role = "transform" // changes fields per event (eval, rename, fields, table, convert)
	RoleAggregate Role = "aggregate" // combines events (stats, timechart, EQL sequence, thresholds)
	RoleLookup    Role = "lookup"    // enriches from external data (lookup, inputlookup)
	RoleJoin      Role = "join"      // combines with another search (join, append, subsearch)
	RoleOutput    Role = "output"    // presentation only (table, sort, head, dedup …)
	RoleOther     Role = "other"     // anything else
)

// Problem is something wrong with a rule: a file that does not load, a query
// that does not parse, an undefined macro. The build goes on.
type Problem struct {
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	// Kind classifies the problem for stats.json: "load", "parse",
	// "undefined-macro", "recursive-macro", "unknown-modifier",
	// "duplicate-id", "attack", "other".
	Kind string `json:"kind,omitempty"`
}

// Problemf formats a Problem of kind "other".
func Problemf(line int, format string, args ...any) Problem {
	return Problem{Message: sprintf(format, args...), Line: line, Kind: "other"}
}

// AttackRef is an ATT&CK reference as a rule writes it.
type AttackRef struct {
	// ID is the normalised identifier: T1197, T1036.003, TA0003, G0016,
	// S0190, or a tactic short name ("persistence") when the rule names a
	// tactic by name.
	ID      string `json:"id"`
	Kind    string `json:"kind"`    // technique, tactic, group, software
	Written string `json:"written"` // as in the file: "attack.t1197", "T1197"
	// Tactic is the tactic the rule ties this technique to, when it says
	// (Elastic [[rule.threat]]), as written.
	Tactic string `json:"tactic,omitempty"`
}

// Technique is an ATT&CK technique resolved against the bundle.
type Technique struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Tactics []string `json:"tactics"` // tactic names in matrix order
	URL     string   `json:"url,omitempty"`
	Parent  string   `json:"parent,omitempty"` // parent technique id of a sub-technique
	// Known is false when the bundle does not have the id (or no bundle was loaded).
	Known      bool `json:"known"`
	Deprecated bool `json:"deprecated,omitempty"`
	// RevokedFrom is the id the rule wrote when it was revoked and replaced by ID.
	RevokedFrom string `json:"revoked_from,omitempty"`
	Note        string `json:"note,omitempty"`
}

// TacticRef is a tactic (or group or software) the rule names directly.
type TacticRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"` // tactic, group, software
	Written string `json:"written"`
	Known   bool   `json:"known"`
	URL     string `json:"url,omitempty"`
	Note    string `json:"note,omitempty"`
}

// EventRef is a log event a rule needs.
type EventRef struct {
	Provider string `json:"provider"`
	EventID  string `json:"event_id"`
	Title    string `json:"title"`
	Channel  string `json:"channel,omitempty"`
	// Via names what implied the event: a data source name, a logsource, an index.
	Via string `json:"via,omitempty"`
}

// Indicator is one (field, kind, value, negated) leaf of a rule's
// expression tree with its corpus count.
type Indicator struct {
	Field   string `json:"field"`
	Kind    Kind   `json:"kind"`
	Value   string `json:"value"`
	Negated bool   `json:"negated"`
	Corpus  Count  `json:"corpus"`
}

// Count is how many rules of the catalog share an indicator.
type Count struct {
	Total    int            `json:"total"`
	BySource map[string]int `json:"by_source"`
}

// Link ties a rule to another.
type Link struct {
	Relation string `json:"relation"` // derived, obsolete, merged, renamed, similar, correlates, correlated-by, filters, filtered-by, duplicate-id
	Source   string `json:"source"`
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"` // filled by the catalog when the rule is present
	Slug     string `json:"slug,omitempty"` // filled by the catalog when the rule is present
}

// Retired reports whether the rule is kept only for the record: deprecated,
// or a Sigma rule SigmaHQ files under unsupported/. Lists can hide these
// and match skips them unless asked.
func (r *Rule) Retired() bool {
	return r.Deprecated || (r.Sigma != nil && r.Sigma.Unsupported)
}
