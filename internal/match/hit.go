package match

import (
	"encoding/json"
	"strings"
	"time"

	"ruledex/internal/rule"
)

// Hit is one rule firing on one event (or a correlation firing on the
// event that completed it).
type Hit struct {
	Rule  *rule.Rule
	File  string // the events file ("-" for standard input)
	Event int    // 1-based position of the event among the file's records
	Line  int    // line where the event starts
	// Via names the event source the rule read the event as, alike for
	// every language: a Windows event's channel and event id
	// ("Microsoft-Windows-Sysmon/Operational 1"); for other events, the
	// Sigma logsource ("logsource zeek/rdp"), "ecs" (Elastic) or "raw"
	// (Splunk); "correlation" for correlation hits.
	Via string
	// Fields are the values of the fields the rule's positive predicates
	// test, as the event has them; of a multi-valued field, the value
	// that matched.
	Fields []Field
	Time   time.Time
	// Silent hits feed correlations only (the correlation's generate is
	// false, the default), and are not reported.
	Silent bool

	// Correlation hits: the type, the group-by values and the count.
	Correlation string
	Group       []Field
	Count       int

	corr []corrInput
}

// Field is a field name and value.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// hitJSON is the --json line of a hit.
type hitJSON struct {
	Rule        string            `json:"rule"`
	Source      string            `json:"source"`
	Title       string            `json:"title"`
	Level       string            `json:"level,omitempty"`
	RulePath    string            `json:"rule_path"`
	File        string            `json:"file"`
	Event       int               `json:"event"`
	Line        int               `json:"line"`
	Via         string            `json:"via,omitempty"`
	Time        string            `json:"time,omitempty"`
	Fields      map[string]string `json:"fields"`
	Correlation string            `json:"correlation,omitempty"`
	Group       map[string]string `json:"group,omitempty"`
	Count       int               `json:"count,omitempty"`
}

// MarshalJSON writes the hit as one JSON object: rule (the rule's id),
// source, title, level, rule_path, file, event, line, via, time, fields
// (name → value), and for correlations correlation, group and count.
func (h Hit) MarshalJSON() ([]byte, error) {
	j := hitJSON{Rule: h.Rule.ID, Source: h.Rule.Source, Title: h.Rule.Name, Level: h.Rule.Severity,
		RulePath: h.Rule.Path, File: h.File, Event: h.Event, Line: h.Line, Via: h.Via,
		Fields: fieldMap(h.Fields), Correlation: h.Correlation, Count: h.Count}
	if !h.Time.IsZero() {
		j.Time = h.Time.Format(time.RFC3339Nano)
	}
	if len(h.Group) > 0 {
		j.Group = fieldMap(h.Group)
	}
	return json.Marshal(j)
}

func fieldMap(fs []Field) map[string]string {
	m := make(map[string]string, len(fs))
	for _, f := range fs {
		m[f.Name] = f.Value
	}
	return m
}

// String is the hit as one line of text:
// file event N (line L)  source  id  title  field=value …
func (h Hit) String() string {
	var b strings.Builder
	b.WriteString(h.File)
	b.WriteString(" event ")
	b.WriteString(itoa(h.Event))
	b.WriteString(" (line ")
	b.WriteString(itoa(h.Line))
	b.WriteString(")  ")
	b.WriteString(h.Rule.Source)
	b.WriteString("  ")
	b.WriteString(h.Rule.ID)
	b.WriteString("  ")
	b.WriteString(h.Rule.Name)
	if h.Correlation != "" {
		b.WriteString("  [" + h.Correlation + " count=" + itoa(h.Count) + "]")
		for _, f := range h.Group {
			b.WriteString("  " + f.Name + "=" + quoteIfNeeded(f.Value))
		}
		return b.String()
	}
	for _, f := range h.Fields {
		b.WriteString("  ")
		b.WriteString(f.Name)
		b.WriteByte('=')
		b.WriteString(quoteIfNeeded(f.Value))
	}
	return b.String()
}

// quoteIfNeeded quotes a value with blanks or quotes for the text output
// the way a reader copies it back: Windows paths keep their single
// backslashes (JSON quoting doubled them), a quote inside is doubled as in
// CSV, and only control characters are escaped (\n, \t, \r, \xNN).
func quoteIfNeeded(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r == ' ' || r == '"' || r < 0x20 || r == 0x7f }) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`""`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
