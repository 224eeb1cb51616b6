package site

import (
	"bytes"
	json "github.com/goccy/go-json"
	"io"
	"sort"
	"strings"
	"time"

	"ruledex/internal/rule"
)

// writeJSON writes compact JSON: indentation doubled the encoding time of
// the 8,000 rule.json files (and their size); JSON viewers indent anyway.
// goccy/go-json writes the same bytes as encoding/json in half the time
// (BenchmarkRender/rule-json: 340 → 190 ms for the corpus).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// ruleEntry is one row of api/rules.json (DESIGN.md's contract).
type ruleEntry struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Path   string `json:"path"`
}

func (s *Site) renderRulesJSON(w *bytes.Buffer) error {
	out := make([]ruleEntry, len(s.c.Rules))
	for i, r := range s.c.Rules {
		out[i] = ruleEntry{r.ID, r.Source, r.Slug, r.Name, r.Path}
	}
	return writeJSON(w, out)
}

// indicatorEntry is one row of api/indicators.json.
type indicatorEntry struct {
	Field   string     `json:"field"`
	Kind    rule.Kind  `json:"kind"`
	Value   string     `json:"value"`
	Negated bool       `json:"negated"`
	Corpus  rule.Count `json:"corpus"`
	Page    string     `json:"page"`
	Rules   []string   `json:"rules"` // source/slug
}

func (s *Site) renderIndicatorsJSON(w *bytes.Buffer) error {
	// Written entry by entry: the whole list is 65,000 entries and 27 MB,
	// so the buffer is sized once from the entries (a guess 50% too big
	// cost 40 ms of zeroing memory).
	size := 2
	for _, in := range s.c.Indicators {
		size += 160 + 2*len(in.Field) + len(in.IndicatorKey.Value) + len(in.Slug) + 40*len(in.Rules)
	}
	w.Grow(size + size/16)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	w.WriteByte('[')
	var e indicatorEntry
	for i, in := range s.c.Indicators {
		if i > 0 {
			w.WriteByte(',')
		}
		e = indicatorEntry{Field: in.Field, Kind: in.Kind, Value: in.Value, Negated: in.Negated,
			Corpus: in.Count, Page: indicatorHref("", in), Rules: e.Rules[:0]}
		for _, r := range in.Rules {
			e.Rules = append(e.Rules, r.Source+"/"+r.Slug)
		}
		if err := enc.Encode(&e); err != nil {
			return err
		}
	}
	w.WriteString("]\n")
	return nil
}

// Stats is api/stats.json.
type Stats struct {
	Generated    string        `json:"generated"`
	BuildSeconds float64       `json:"build_seconds"`
	Attack       AttackStats   `json:"attack"`
	Rules        int           `json:"rules"`
	Sources      []SourceStats `json:"sources"`
	// ParseFailures are the rules whose query did not parse (or whose file
	// did not load), with file and reason.
	ParseFailures   []Failure          `json:"parse_failures"`
	UndefinedMacros []UndefinedMacro   `json:"undefined_macros"`
	Problems        map[string]int     `json:"problems_by_kind"`
	RuleProblems    []Failure          `json:"rule_problems"`
	FileProblems    []FileProblemStats `json:"file_problems"`
	Indicators      int                `json:"indicators"`
}

// AttackStats says which ATT&CK bundle the build used.
type AttackStats struct {
	Loaded  bool   `json:"loaded"`
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
	Source  string `json:"source,omitempty"`
	Note    string `json:"note"`
}

// SourceStats counts one ruleset.
type SourceStats struct {
	Source       string   `json:"source"`
	Root         string   `json:"root"`
	Rules        int      `json:"rules"`
	Deprecated   int      `json:"deprecated"`
	WithProblems int      `json:"with_problems"`
	ParseFailed  int      `json:"parse_failed"`
	Indicators   int      `json:"indicators"`
	ByType       []Count  `json:"by_type"`
	ByLanguage   []Count  `json:"by_language"`
	Notes        []string `json:"notes,omitempty"`
	Error        string   `json:"error,omitempty"`
}

// Count is a name with a number.
type Count struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Failure is one problem of one rule.
type Failure struct {
	Source  string `json:"source"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Kind    string `json:"kind"`
	Reason  string `json:"reason"`
	Page    string `json:"page"`
	Slug    string `json:"-"`
	Ruleset string `json:"-"`
}

// UndefinedMacro is a macro rules use that no macros/ file defines.
type UndefinedMacro struct {
	Source string   `json:"source"`
	Macro  string   `json:"macro"`
	Rules  []string `json:"rules"` // files
}

// FileProblemStats is a problem of a file that is not a rule.
type FileProblemStats struct {
	Source  string `json:"source"`
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Stats returns api/stats.json with the given build time. The counts are
// computed once: the index and problems pages read them too.
func (s *Site) Stats(elapsed time.Duration) *Stats {
	s.statsOnce.Do(func() { s.stats = s.computeStats() })
	st := *s.stats
	st.BuildSeconds = round3(elapsed.Seconds())
	return &st
}

func (s *Site) computeStats() *Stats {
	c := s.c
	st := &Stats{
		Generated:       c.Built.UTC().Format(time.RFC3339),
		Rules:           len(c.Rules),
		Problems:        map[string]int{},
		Indicators:      len(c.Indicators),
		ParseFailures:   []Failure{},
		UndefinedMacros: []UndefinedMacro{},
		RuleProblems:    []Failure{},
		FileProblems:    []FileProblemStats{},
	}
	st.Attack.Note = c.AttackNote
	if m := c.Attack; m != nil {
		st.Attack = AttackStats{Loaded: true, Name: m.Name, Version: m.Version, Source: m.Source, Note: c.AttackNote}
	}
	undefined := map[[2]string]*UndefinedMacro{}
	for _, src := range c.Sources {
		ss := SourceStats{Source: src.Kind, Root: src.Path, Notes: src.Notes}
		if src.Err != nil {
			ss.Error = src.Err.Error()
		}
		types, langs := map[string]int{}, map[string]int{}
		distinct := map[rule.IndicatorKey]bool{}
		for _, r := range src.Rules {
			ss.Rules++
			if r.Deprecated {
				ss.Deprecated++
			}
			if len(r.Problems) > 0 {
				ss.WithProblems++
			}
			types[r.Type]++
			langs[r.Language]++
			for _, in := range r.Indicators {
				distinct[in.Key()] = true
			}
			failed := false
			for _, p := range r.Problems {
				st.Problems[p.Kind]++
				f := Failure{Source: r.Source, ID: r.ID, Name: r.Name, File: r.Path, Line: p.Line, Kind: p.Kind,
					Reason: p.Message, Page: "rules/" + r.Source + "/" + r.Slug + "/"}
				st.RuleProblems = append(st.RuleProblems, f)
				if (p.Kind == "parse" || p.Kind == "load") && !failed {
					failed = true
					st.ParseFailures = append(st.ParseFailures, f)
				}
			}
			if failed {
				ss.ParseFailed++
			}
			if r.Splunk != nil {
				for _, m := range r.Splunk.Macros {
					if m.Status != "undefined" {
						continue
					}
					k := [2]string{r.Source, m.Name}
					u := undefined[k]
					if u == nil {
						u = &UndefinedMacro{Source: r.Source, Macro: m.Name}
						undefined[k] = u
					}
					u.Rules = append(u.Rules, r.Path)
				}
			}
		}
		ss.Indicators = len(distinct)
		ss.ByType = counts(types)
		ss.ByLanguage = counts(langs)
		st.Sources = append(st.Sources, ss)
		for _, fp := range src.Problems {
			st.FileProblems = append(st.FileProblems, FileProblemStats{Source: src.Kind, File: fp.File, Line: fp.Line, Kind: fp.Kind, Message: fp.Message})
		}
	}
	for _, u := range undefined {
		st.UndefinedMacros = append(st.UndefinedMacros, *u)
	}
	sort.Slice(st.UndefinedMacros, func(i, j int) bool {
		a, b := st.UndefinedMacros[i], st.UndefinedMacros[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Macro < b.Macro
	})
	return st
}

func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		if k == "" {
			k = "(none)"
		}
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return strings.Compare(out[i].Name, out[j].Name) < 0
	})
	return out
}

func round3(f float64) float64 {
	return float64(int64(f*1000+0.5)) / 1000
}
