package elastic

import (
	"fmt"
)

// The TOML layout of elastic/detection-rules (rules/, rules_building_block/)
// and of its hunting queries (hunting/**/queries). Only what ruledex shows
// is decoded; unknown keys are ignored.

type tomlFile struct {
	Metadata  tomlMetadata   `toml:"metadata"`
	Rule      *tomlRule      `toml:"rule"`
	Hunt      *tomlHunt      `toml:"hunt"`
	Transform *tomlTransform `toml:"transform"`
}

type tomlMetadata struct {
	CreationDate          string   `toml:"creation_date"`
	UpdatedDate           string   `toml:"updated_date"`
	DeprecationDate       string   `toml:"deprecation_date"`
	DeprecatedReason      string   `toml:"deprecated_reason"`
	Maturity              string   `toml:"maturity"`
	IntegrationRaw        any      `toml:"integration"`
	Integration           []string `toml:"-"`
	MinStackVersion       string   `toml:"min_stack_version"`
	MinStackComments      string   `toml:"min_stack_comments"`
	QuerySchemaValidation *bool    `toml:"query_schema_validation"`
	BypassBBRTiming       bool     `toml:"bypass_bbr_timing"`
	Promotion             bool     `toml:"promotion"`
}

type tomlRule struct {
	RuleID            string   `toml:"rule_id"`
	Name              string   `toml:"name"`
	Description       string   `toml:"description"`
	Type              string   `toml:"type"`
	Language          string   `toml:"language"`
	Query             string   `toml:"query"`
	IndexRaw          any      `toml:"index"`
	Index             []string `toml:"-"`
	DataViewID        string   `toml:"data_view_id"`
	Severity          string   `toml:"severity"`
	RiskScore         int      `toml:"risk_score"`
	Tags              []string `toml:"tags"`
	References        []string `toml:"references"`
	FalsePositives    []string `toml:"false_positives"`
	Note              string   `toml:"note"`
	Setup             string   `toml:"setup"`
	AuthorRaw         any      `toml:"author"`
	Author            []string `toml:"-"`
	License           string   `toml:"license"`
	Version           int      `toml:"version"`
	BuildingBlockType string   `toml:"building_block_type"`
	Interval          string   `toml:"interval"`
	From              string   `toml:"from"`
	To                string   `toml:"to"`
	MaxSignals        int      `toml:"max_signals"`
	Enabled           *bool    `toml:"enabled"`
	TimestampOverride string   `toml:"timestamp_override"`
	// TimestampOverrideFallbackDisabled is timestamp_override_fallback_disabled.
	TimestampOverrideFallbackDisabled bool   `toml:"timestamp_override_fallback_disabled"`
	EventCategoryOverride             string `toml:"event_category_override"`
	TiebreakerField                   string `toml:"tiebreaker_field"`
	RuleNameOverride                  string `toml:"rule_name_override"`
	TimelineID                        string `toml:"timeline_id"`
	TimelineTitle                     string `toml:"timeline_title"`

	InvestigationFields *struct {
		FieldNames []string `toml:"field_names"`
	} `toml:"investigation_fields"`
	RequiredFields []struct {
		Name string `toml:"name"`
		Type string `toml:"type"`
		ECS  bool   `toml:"ecs"`
	} `toml:"required_fields"`
	RelatedIntegrations []struct {
		Package     string `toml:"package"`
		Integration string `toml:"integration"`
		Version     string `toml:"version"`
	} `toml:"related_integrations"`
	SeverityMapping []struct {
		Field    string `toml:"field"`
		Operator string `toml:"operator"`
		Value    any    `toml:"value"`
		Severity string `toml:"severity"`
	} `toml:"severity_mapping"`
	RiskScoreMapping []struct {
		Field     string `toml:"field"`
		Operator  string `toml:"operator"`
		Value     any    `toml:"value"`
		RiskScore int    `toml:"risk_score"`
	} `toml:"risk_score_mapping"`
	ExceptionsList []struct {
		ID            string `toml:"id"`
		ListID        string `toml:"list_id"`
		NamespaceType string `toml:"namespace_type"`
		Type          string `toml:"type"`
	} `toml:"exceptions_list"`
	AlertSuppression *struct {
		GroupByRaw any      `toml:"group_by"`
		GroupBy    []string `toml:"-"`
		Duration   *struct {
			Value int    `toml:"value"`
			Unit  string `toml:"unit"`
		} `toml:"duration"`
		MissingFieldsStrategy string `toml:"missing_fields_strategy"`
	} `toml:"alert_suppression"`
	Filters []map[string]any `toml:"filters"`

	Threshold *struct {
		FieldRaw    any      `toml:"field"`
		Field       []string `toml:"-"`
		Value       int      `toml:"value"`
		Cardinality []struct {
			Field string `toml:"field"`
			Value int    `toml:"value"`
		} `toml:"cardinality"`
	} `toml:"threshold"`
	NewTerms *struct {
		Field              string   `toml:"field"` // "new_terms_fields"
		ValueRaw           any      `toml:"value"`
		Value              []string `toml:"-"`
		HistoryWindowStart []struct {
			Field string `toml:"field"` // "history_window_start"
			Value string `toml:"value"`
		} `toml:"history_window_start"`
	} `toml:"new_terms"`

	ThreatIndexRaw      any      `toml:"threat_index"`
	ThreatIndex         []string `toml:"-"`
	ThreatQuery         string   `toml:"threat_query"`
	ThreatLanguage      string   `toml:"threat_language"`
	ThreatIndicatorPath string   `toml:"threat_indicator_path"`
	ThreatMapping       []struct {
		Entries []struct {
			Field string `toml:"field"`
			Type  string `toml:"type"`
			Value string `toml:"value"`
		} `toml:"entries"`
	} `toml:"threat_mapping"`
	ThreatFilters []map[string]any `toml:"threat_filters"`

	MachineLearningJobIDRaw any      `toml:"machine_learning_job_id"`
	MachineLearningJobID    []string `toml:"-"`
	AnomalyThreshold        int      `toml:"anomaly_threshold"`

	Threat []tomlThreat `toml:"threat"`
}

// tomlThreat is one [[rule.threat]] ATT&CK mapping.
type tomlThreat struct {
	Framework string        `toml:"framework"`
	Tactic    tomlAttackRef `toml:"tactic"`
	Technique []struct {
		tomlAttackRef
		Subtechnique []tomlAttackRef `toml:"subtechnique"`
	} `toml:"technique"`
}

type tomlAttackRef struct {
	ID        string `toml:"id"`
	Name      string `toml:"name"`
	Reference string `toml:"reference"`
}

type tomlHunt struct {
	Name           string   `toml:"name"`
	UUID           string   `toml:"uuid"`
	Description    string   `toml:"description"`
	AuthorRaw      any      `toml:"author"`
	Author         []string `toml:"-"`
	IntegrationRaw any      `toml:"integration"`
	Integration    []string `toml:"-"`
	LanguageRaw    any      `toml:"language"`
	Language       []string `toml:"-"`
	License        string   `toml:"license"`
	Notes          []string `toml:"notes"`
	Mitre          []string `toml:"mitre"`
	QueryRaw       any      `toml:"query"`
	Query          []string `toml:"-"`
	References     []string `toml:"references"`
}

type tomlTransform struct {
	Osquery []struct {
		Label string `toml:"label"`
		Query string `toml:"query"`
	} `toml:"osquery"`
	Investigate []struct {
		Label       string `toml:"label"`
		Description string `toml:"description"`
		Providers   [][]struct {
			Excluded  bool   `toml:"excluded"`
			Field     string `toml:"field"`
			QueryType string `toml:"queryType"`
			Value     any    `toml:"value"`
			ValueType string `toml:"valueType"`
		} `toml:"providers"`
		RelativeFrom string `toml:"relativeFrom"`
		RelativeTo   string `toml:"relativeTo"`
	} `toml:"investigate"`
}

// strs reads a string or an array of strings: detection-rules writes both
// for integration, index, threshold.field, machine_learning_job_id and the
// hunts' author. Numbers and booleans in a list are kept as text.
func strs(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if x != nil {
				out = append(out, text(x))
			}
		}
		return out
	}
	return []string{text(v)}
}

// text writes a string, number or boolean as text.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// normalize fills the []string fields from the values that may be a
// string or a list.
func (f *tomlFile) normalize() {
	f.Metadata.Integration = strs(f.Metadata.IntegrationRaw)
	if r := f.Rule; r != nil {
		r.Index = strs(r.IndexRaw)
		r.Author = strs(r.AuthorRaw)
		r.ThreatIndex = strs(r.ThreatIndexRaw)
		r.MachineLearningJobID = strs(r.MachineLearningJobIDRaw)
		if a := r.AlertSuppression; a != nil {
			a.GroupBy = strs(a.GroupByRaw)
		}
		if t := r.Threshold; t != nil {
			t.Field = strs(t.FieldRaw)
		}
		if n := r.NewTerms; n != nil {
			n.Value = strs(n.ValueRaw)
		}
	}
	if h := f.Hunt; h != nil {
		h.Author = strs(h.AuthorRaw)
		h.Integration = strs(h.IntegrationRaw)
		h.Language = strs(h.LanguageRaw)
		h.Query = strs(h.QueryRaw)
	}
}
