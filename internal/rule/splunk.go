package rule

// SplunkMeta is what an ESCU detection says beyond the common fields, in
// either of ESCU's layouts (the older one with tags:, the newer one with
// finding: and top-level mitre_attack_id).
type SplunkMeta struct {
	Stories        []string `json:"stories,omitempty"` // analytic_story
	AssetType      string   `json:"asset_type,omitempty"`
	Products       []string `json:"products,omitempty"`
	SecurityDomain string   `json:"security_domain,omitempty"`
	Category       string   `json:"category,omitempty"`
	CVE            []string `json:"cve,omitempty"`
	HowToImplement string   `json:"how_to_implement,omitempty"`
	RequiredFields []string `json:"required_fields,omitempty"`

	Drilldowns []Drilldown `json:"drilldowns,omitempty"`
	Tests      []Test      `json:"tests,omitempty"`

	// Older layout: risk under tags.
	RiskScore   int          `json:"risk_score,omitempty"`
	Confidence  int          `json:"confidence,omitempty"`
	Impact      int          `json:"impact,omitempty"`
	Message     string       `json:"message,omitempty"`
	Observables []Observable `json:"observables,omitempty"`
	// Newer layout: finding and intermediate findings.
	Finding              *Finding              `json:"finding,omitempty"`
	IntermediateFindings *IntermediateFindings `json:"intermediate_findings,omitempty"`

	// DataSources are the rule's data_source entries resolved against the
	// ruleset's data_sources/ folder.
	DataSources []DataSource `json:"data_sources,omitempty"`
	// Macros lists every macro the query uses, with its definition.
	Macros []MacroUse `json:"macros,omitempty"`
}

// Drilldown is an ESCU drilldown search.
type Drilldown struct {
	Name           string `json:"name"`
	Search         string `json:"search"`
	EarliestOffset string `json:"earliest_offset,omitempty"`
	LatestOffset   string `json:"latest_offset,omitempty"`
}

// Test is an ESCU test with its attack data.
type Test struct {
	Name       string       `json:"name"`
	TestType   string       `json:"test_type,omitempty"`
	AttackData []AttackData `json:"attack_data,omitempty"`
}

// AttackData is one dataset a test replays.
type AttackData struct {
	Data       string `json:"data"`
	Source     string `json:"source,omitempty"`
	Sourcetype string `json:"sourcetype,omitempty"`
}

// Observable is an older-layout ESCU observable.
type Observable struct {
	Name string   `json:"name"`
	Type string   `json:"type"`
	Role []string `json:"role,omitempty"`
}

// Finding is a newer-layout ESCU finding.
type Finding struct {
	Title  string      `json:"title,omitempty"`
	Entity *RiskEntity `json:"entity,omitempty"`
	// Some files nest the intermediate findings' parts under finding.
	Entities      []RiskEntity   `json:"entities,omitempty"`
	ThreatObjects []ThreatObject `json:"threat_objects,omitempty"`
}

// IntermediateFindings is the newer layout's intermediate_findings.
type IntermediateFindings struct {
	Message       string         `json:"message,omitempty"`
	Entities      []RiskEntity   `json:"entities,omitempty"`
	ThreatObjects []ThreatObject `json:"threat_objects,omitempty"`
}

// RiskEntity is a field that receives risk.
type RiskEntity struct {
	Field string `json:"field"`
	Type  string `json:"type"`
	Score int    `json:"score,omitempty"`
}

// ThreatObject is a field ESCU reports as a threat object.
type ThreatObject struct {
	Field string `json:"field"`
	Type  string `json:"type"`
}

// DataSource is an ESCU data source as data_sources/*.yml defines it.
type DataSource struct {
	Name       string `json:"name"`
	Source     string `json:"source,omitempty"`
	Sourcetype string `json:"sourcetype,omitempty"`
	// Defined is false when the rule names a data source that the ruleset
	// does not define.
	Defined bool   `json:"defined"`
	File    string `json:"file,omitempty"`
}

// MacroUse is one macro a query uses.
type MacroUse struct {
	Name       string   `json:"name"`
	Args       []string `json:"args,omitempty"`
	Definition string   `json:"definition,omitempty"`
	File       string   `json:"file,omitempty"` // macros/x.yml; "" for built-ins and undefined
	// Status: "defined", "builtin", "empty-filter" (an undefined *_filter),
	// "undefined".
	Status string `json:"status"`
}
