package rule

// SigmaMeta is what a Sigma document says beyond the common fields: the
// logsource as written, the correlation or filter specification of meta
// rules, and the SigmaHQ housekeeping fields. The Sigma reader
// (internal/source/sigma) fills it.
type SigmaMeta struct {
	// Name is the rule's optional unique name, which correlation rules and
	// filters may use instead of the id.
	Name      string         `json:"name,omitempty"`
	Taxonomy  string         `json:"taxonomy,omitempty"`
	Logsource SigmaLogsource `json:"logsource"`
	Level     string         `json:"level,omitempty"`
	Status    string         `json:"status,omitempty"`
	License   string         `json:"license,omitempty"`
	// Fields are the fields the rule suggests showing to an analyst.
	Fields         []string       `json:"fields,omitempty"`
	FalsePositives []string       `json:"falsepositives,omitempty"`
	Scope          []string       `json:"scope,omitempty"`
	Related        []SigmaRelated `json:"related,omitempty"`
	// RegressionTestsPath is the SigmaHQ regression_tests_path (an info.yml
	// relative to the repository root).
	RegressionTestsPath string `json:"regression_tests_path,omitempty"`
	// Simulation lists the rule's simulations (atomic-red-team tests), each
	// with its keys as written (type, name, technique, atomic_guid).
	Simulation []map[string]string `json:"simulation,omitempty"`
	// Timeframe is the deprecated detection.timeframe of Sigma 1 rules.
	Timeframe string `json:"timeframe,omitempty"`

	Correlation *SigmaCorrelation `json:"correlation,omitempty"`
	Filter      *SigmaFilter      `json:"filter,omitempty"`

	// Unsupported marks rules SigmaHQ keeps under unsupported/ (or with
	// status unsupported): they use features no converter supports. It is a
	// flag for the page, not a problem.
	Unsupported bool `json:"unsupported,omitempty"`
	// Collection is set for rules built from a Sigma 1 rule collection
	// (a multi-document file with action: global/reset/repeat documents):
	// the 1-based document of the file the rule came from.
	Collection int `json:"collection,omitempty"`
	// Custom holds top-level keys the specification does not define, each
	// with its value as YAML text.
	Custom []Attr `json:"custom,omitempty"`
}

// SigmaLogsource is a rule's logsource as written.
type SigmaLogsource struct {
	Product    string `json:"product,omitempty"`
	Category   string `json:"category,omitempty"`
	Service    string `json:"service,omitempty"`
	Definition string `json:"definition,omitempty"`
	// Other keys of the logsource, as written.
	Other []Attr `json:"other,omitempty"`
}

// SigmaRelated is one entry of a rule's related list.
type SigmaRelated struct {
	ID   string `json:"id"`
	Type string `json:"type"` // derived, obsolete, merged, renamed, similar
}

// SigmaCorrelation is the correlation section of a Sigma correlation rule.
type SigmaCorrelation struct {
	Type string `json:"type"` // event_count, value_count, temporal, temporal_ordered, …
	// Rules are the referenced rules as written (ids or names); the rule's
	// Links carry what they resolved to.
	Rules    []string `json:"rules"`
	GroupBy  []string `json:"group_by,omitempty"`
	Timespan string   `json:"timespan,omitempty"`
	// Condition is the count condition as written: gt/gte/lt/lte/eq with
	// its value, in the order written; Field is value_count's field.
	Condition []Attr `json:"condition,omitempty"`
	Field     string `json:"field,omitempty"`
	// Generate is the generate flag as written ("true"/"false"), "" when absent.
	Generate string            `json:"generate,omitempty"`
	Aliases  []SigmaFieldAlias `json:"aliases,omitempty"`
}

// SigmaFieldAlias is one correlation field alias: a name that stands for a
// different field in the events of each referenced rule.
type SigmaFieldAlias struct {
	Alias string `json:"alias"`
	// Fields maps a referenced rule (by name, as written) to its field.
	Fields []Attr `json:"fields"`
}

// SigmaFilter is the filter section of a Sigma filter (meta filter).
type SigmaFilter struct {
	// Rules are the rules the filter applies to, as written (ids or names).
	Rules []string `json:"rules"`
}
