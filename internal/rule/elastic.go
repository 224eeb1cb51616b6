package rule

// ElasticMeta is what an Elastic detection rule (elastic/detection-rules
// TOML) or hunting query says beyond the common fields. Markdown (Note,
// Setup) is stored raw; the site sanitizes it when rendering.
type ElasticMeta struct {
	// [metadata]
	Maturity              string   `json:"maturity,omitempty"` // production, development, deprecated
	CreationDate          string   `json:"creation_date,omitempty"`
	UpdatedDate           string   `json:"updated_date,omitempty"`
	DeprecationDate       string   `json:"deprecation_date,omitempty"`
	DeprecatedReason      string   `json:"deprecated_reason,omitempty"`
	Integrations          []string `json:"integrations,omitempty"`
	MinStackVersion       string   `json:"min_stack_version,omitempty"`
	MinStackComments      string   `json:"min_stack_comments,omitempty"`
	QuerySchemaValidation *bool    `json:"query_schema_validation,omitempty"`
	BypassBBRTiming       bool     `json:"bypass_bbr_timing,omitempty"`
	Promotion             bool     `json:"promotion,omitempty"`

	// [rule]
	RuleType          string   `json:"rule_type,omitempty"` // query, eql, esql, threshold, new_terms, threat_match, machine_learning, …
	Index             []string `json:"index,omitempty"`     // index patterns the rule searches (FROM for ES|QL)
	DataViewID        string   `json:"data_view_id,omitempty"`
	RiskScore         int      `json:"risk_score,omitempty"`
	BuildingBlockType string   `json:"building_block_type,omitempty"` // "default" for building-block rules
	License           string   `json:"license,omitempty"`
	Note              string   `json:"note,omitempty"`  // investigation guide, Markdown
	Setup             string   `json:"setup,omitempty"` // setup guide, Markdown
	Interval          string   `json:"interval,omitempty"`
	From              string   `json:"from,omitempty"`
	To                string   `json:"to,omitempty"`
	MaxSignals        int      `json:"max_signals,omitempty"`
	Enabled           *bool    `json:"enabled,omitempty"`
	TimestampOverride string   `json:"timestamp_override,omitempty"`
	// TimestampOverrideFallbackDisabled is timestamp_override_fallback_disabled.
	TimestampOverrideFallbackDisabled bool                 `json:"timestamp_override_fallback_disabled,omitempty"`
	EventCategoryOverride             string               `json:"event_category_override,omitempty"`
	TiebreakerField                   string               `json:"tiebreaker_field,omitempty"`
	RuleNameOverride                  string               `json:"rule_name_override,omitempty"`
	TimelineID                        string               `json:"timeline_id,omitempty"`
	TimelineTitle                     string               `json:"timeline_title,omitempty"`
	InvestigationFields               []string             `json:"investigation_fields,omitempty"`
	RequiredFields                    []ElasticField       `json:"required_fields,omitempty"`
	RelatedIntegrations               []ElasticIntegration `json:"related_integrations,omitempty"`
	SeverityMapping                   []ElasticMapping     `json:"severity_mapping,omitempty"`
	RiskScoreMapping                  []ElasticMapping     `json:"risk_score_mapping,omitempty"`
	ExceptionsList                    []ElasticException   `json:"exceptions_list,omitempty"`
	AlertSuppression                  *ElasticSuppression  `json:"alert_suppression,omitempty"`
	// Filters are the rule's Kibana filters (query DSL) as JSON; the
	// reader also turns them into a "filters" stage.
	Filters []string `json:"filters,omitempty"`

	Threshold       *ElasticThreshold   `json:"threshold,omitempty"`
	NewTerms        *ElasticNewTerms    `json:"new_terms,omitempty"`
	ThreatMatch     *ElasticThreatMatch `json:"threat_match,omitempty"`
	MachineLearning *ElasticML          `json:"machine_learning,omitempty"`

	// [transform]: Osquery and Investigate actions of the investigation guide.
	Transform *ElasticTransform `json:"transform,omitempty"`

	// Hunt holds what a hunting query (hunting/**/*.toml) says.
	Hunt *ElasticHunt `json:"hunt,omitempty"`
}

// ElasticField is a required field of a rule.
type ElasticField struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
	ECS  bool   `json:"ecs,omitempty"`
}

// ElasticIntegration is a related integration (Fleet package).
type ElasticIntegration struct {
	Package     string `json:"package"`
	Integration string `json:"integration,omitempty"`
	Version     string `json:"version,omitempty"`
}

// ElasticMapping is a severity_mapping or risk_score_mapping entry: when
// Field Operator Value, the alert gets Severity or RiskScore.
type ElasticMapping struct {
	Field     string `json:"field"`
	Operator  string `json:"operator,omitempty"`
	Value     string `json:"value"`
	Severity  string `json:"severity,omitempty"`
	RiskScore int    `json:"risk_score,omitempty"`
}

// ElasticException is a reference to an exception list.
type ElasticException struct {
	ID            string `json:"id"`
	ListID        string `json:"list_id"`
	NamespaceType string `json:"namespace_type,omitempty"`
	Type          string `json:"type,omitempty"`
}

// ElasticSuppression is alert suppression: alerts with the same GroupBy
// values within Duration are merged.
type ElasticSuppression struct {
	GroupBy               []string `json:"group_by,omitempty"`
	Duration              string   `json:"duration,omitempty"` // "5m"
	MissingFieldsStrategy string   `json:"missing_fields_strategy,omitempty"`
}

// ElasticThreshold is a threshold rule's aggregation: at least Value
// events per Field values (with Cardinality: that many distinct values).
type ElasticThreshold struct {
	Field       []string             `json:"field,omitempty"`
	Value       int                  `json:"value"`
	Cardinality []ElasticCardinality `json:"cardinality,omitempty"`
}

// ElasticCardinality is a threshold's distinct-count condition.
type ElasticCardinality struct {
	Field string `json:"field"`
	Value int    `json:"value"`
}

// ElasticNewTerms is a new_terms rule's condition: values of Fields not
// seen since HistoryWindowStart.
type ElasticNewTerms struct {
	Fields             []string `json:"fields"`
	HistoryWindowStart string   `json:"history_window_start,omitempty"`
}

// ElasticThreatMatch is an indicator-match rule's threat side.
type ElasticThreatMatch struct {
	ThreatIndex         []string `json:"threat_index,omitempty"`
	ThreatQuery         string   `json:"threat_query,omitempty"`
	ThreatLanguage      string   `json:"threat_language,omitempty"`
	ThreatIndicatorPath string   `json:"threat_indicator_path,omitempty"`
	// ThreatMapping is OR over entries, each AND over its field pairs.
	ThreatMapping [][]ElasticThreatEntry `json:"threat_mapping,omitempty"`
	ThreatFilters []string               `json:"threat_filters,omitempty"` // query DSL as JSON
}

// ElasticThreatEntry pairs an event field with an indicator field.
type ElasticThreatEntry struct {
	Field string `json:"field"`
	Type  string `json:"type,omitempty"`
	Value string `json:"value"`
}

// ElasticML is a machine_learning rule's jobs and threshold.
type ElasticML struct {
	JobIDs           []string `json:"job_ids"`
	AnomalyThreshold int      `json:"anomaly_threshold"`
}

// ElasticTransform is the [transform] table: investigation-guide actions.
type ElasticTransform struct {
	Osquery     []ElasticOsquery     `json:"osquery,omitempty"`
	Investigate []ElasticInvestigate `json:"investigate,omitempty"`
}

// ElasticOsquery is a live Osquery action.
type ElasticOsquery struct {
	Label string `json:"label"`
	Query string `json:"query"`
}

// ElasticInvestigate is a Timeline investigation: OR over Providers, each
// AND over its terms.
type ElasticInvestigate struct {
	Label        string                     `json:"label"`
	Description  string                     `json:"description,omitempty"`
	Providers    [][]ElasticInvestigateTerm `json:"providers,omitempty"`
	RelativeFrom string                     `json:"relative_from,omitempty"`
	RelativeTo   string                     `json:"relative_to,omitempty"`
}

// ElasticInvestigateTerm is one field test of an investigation provider.
type ElasticInvestigateTerm struct {
	Field     string `json:"field"`
	Value     string `json:"value"`
	QueryType string `json:"query_type,omitempty"`
	ValueType string `json:"value_type,omitempty"`
	Excluded  bool   `json:"excluded,omitempty"`
}

// ElasticHunt is what a hunting query file says beyond the common fields.
type ElasticHunt struct {
	Languages    []string `json:"languages,omitempty"` // as written: "ES|QL", "SQL", "EQL"
	Integrations []string `json:"integrations,omitempty"`
	Notes        []string `json:"notes,omitempty"`
	Mitre        []string `json:"mitre,omitempty"`
	License      string   `json:"license,omitempty"`
	// Queries are the hunt's queries as written, with the language each
	// is in (esql, sql, eql, kql).
	Queries []ElasticHuntQuery `json:"queries,omitempty"`
}

// ElasticHuntQuery is one query of a hunt.
type ElasticHuntQuery struct {
	Language string `json:"language"`
	Query    string `json:"query"`
	Line     int    `json:"line,omitempty"`
}
