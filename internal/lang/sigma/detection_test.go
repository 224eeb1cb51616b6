package sigma

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/rule"
)

// parseYAML parses a detection section given as YAML text.
func parseYAML(t testing.TB, src string) (*Detection, []rule.Problem) {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatalf("fixture YAML: %v", err)
	}
	return ParseDetection(&n)
}

// indicators renders the indicators of all stages as "field kind value",
// with " !" for negated ones.
func indicators(d *Detection) []string {
	r := rule.Rule{Stages: d.Stages()}
	r.DeriveIndicators()
	var out []string
	for _, in := range r.Indicators {
		field := in.Field
		if field == "" {
			field = `""`
		}
		s := fmt.Sprintf("%s %s %s", field, in.Kind, in.Value)
		if in.Negated {
			s += " !"
		}
		out = append(out, s)
	}
	return out
}

func TestDetectionIndicators(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"plain eq and list OR", `
sel:
  EventID: [4624, 4625]
  LogonType: 3
condition: sel`, []string{"EventID eq 4624", "EventID eq 4625", "LogonType eq 3"}},
		{"wildcards classify", `
sel:
  A: '*create*'
  B: '*.exe'
  C: 'cmd*'
  D: 'a*b'
  E: 'prog?.exe'
  F: '*'
condition: sel`, []string{"A contains create", "B ends_with .exe", "C starts_with cmd",
			"D wildcard a*b", "E wildcard prog?.exe", "F wildcard *"}},
		{"modifiers give kinds", `
sel:
  Image|endswith: '\bitsadmin.exe'
  CommandLine|contains: ' /transfer '
  ParentImage|startswith: 'C:\Windows\'
condition: sel`, []string{`Image ends_with \bitsadmin.exe`, "CommandLine contains  /transfer ", `ParentImage starts_with C:\Windows\`}},
		{"contains with inner wildcard", `
sel:
  CommandLine|contains: 'a*b'
condition: sel`, []string{"CommandLine wildcard *a*b*"}},
		{"escapes", `
sel:
  A: 'foo\*bar'
  B|contains: 'x\?y'
  C: 'C:\\Windows\\'
  D: '\\\\server\\share'
  E: 'back\\*'
  F: 'lit\\\*'
condition: sel`, []string{`A eq foo*bar`, `B contains x?y`, `C eq C:\Windows\`, `D eq \\server\share`,
			`E starts_with back\`, `F eq lit\*`}},
		{"escaped star inside a real pattern", `
sel:
  A: 'a\*b*c?d'
condition: sel`, []string{`A wildcard a\*b*c?d`}},
		{"all modifier", `
sel:
  CommandLine|contains|all: [' -a ', ' -b ']
condition: sel`, []string{"CommandLine contains  -a ", "CommandLine contains  -b "}},
		{"null and empty", `
sel:
  A: null
  B: ''
  C:
condition: sel`, []string{"A exists  !", "B eq ", "C exists  !"}},
		{"null in a list", `
sel:
  A: [null, 'x']
condition: sel`, []string{"A eq x", "A exists  !"}},
		{"exists", `
sel:
  A|exists: true
  B|exists: false
condition: sel`, []string{"A exists ", "B exists  !"}},
		{"numbers and booleans as written", `
sel:
  A: 0x17
  B: 1.50
  C: true
  D|gt: 10
  E|gte: 1
  F|lt: 2
  G|lte: 3
condition: sel`, []string{"A eq 0x17", "B eq 1.50", "C eq true", "D gt 10", "E ge 1", "F lt 2", "G le 3"}},
		{"keywords", `
keywords:
  - 'event::clear'
  - '*wild*card'
condition: keywords`, []string{`"" keyword event::clear`, `"" keyword wild*card`}},
		{"keywords with all", `
keywords:
  '|all':
    - 'OabVirtualDirectory'
    - ' -ExternalUrl '
condition: keywords`, []string{`"" keyword OabVirtualDirectory`, `"" keyword  -ExternalUrl `}},
		{"regex with flags", `
sel:
  A|re: '^a.*b$'
  B|re|i|s: '(?:x)+\d'
condition: sel`, []string{"A regex ^a.*b$", `B regex (?:x)+\d`}},
		{"cidr", `
sel:
  DestinationIp|cidr: ['10.0.0.0/8', 'fe80::/10']
condition: sel`, []string{"DestinationIp cidr 10.0.0.0/8", "DestinationIp cidr fe80::/10"}},
		{"fieldref and neq", `
sel:
  TargetUser|fieldref: SubjectUser
  Status|neq: '0x0'
  Other|fieldref|neq: A
condition: sel`, []string{"TargetUser fieldref SubjectUser", "Status eq 0x0 !", "Other fieldref A !"}},
		{"time part", `
sel:
  Timestamp|hour|gte: 20
condition: sel`, []string{"hour(Timestamp) ge 20"}},
		{"cased and expand keep values", `
sel:
  A|cased: 'MiXeD'
  B|expand: '%Servers%'
condition: sel`, []string{"A eq MiXeD", "B eq %Servers%"}},
		{"windash", `
sel:
  CommandLine|contains|windash: ' -f '
condition: sel`, []string{"CommandLine contains  -f ", "CommandLine contains  /f ",
			"CommandLine contains  \u2013f ", "CommandLine contains  \u2014f ", "CommandLine contains  \u2015f "}},
		{"windash leaves inner dashes", `
sel:
  A|windash: 'S-1-5-18'
  B|windash: 'ftp://'
condition: sel`, []string{"A eq S-1-5-18", "B eq ftp://"}},
		{"not 1 of filter negates", `
selection:
  Image|endswith: '\a.exe'
filter_main_x:
  User: SYSTEM
filter_optional_y:
  - ParentImage: 'C:\p.exe'
  - ParentImage|exists: false
condition: selection and not 1 of filter_*`, []string{`Image ends_with \a.exe`, "User eq SYSTEM !",
			`ParentImage eq C:\p.exe !`, "ParentImage exists "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, problems := parseYAML(t, tt.yaml)
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			got := indicators(d)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestDetectionBase64(t *testing.T) {
	d, problems := parseYAML(t, `
sel:
  A|base64: 'abc'
  B|base64offset|contains: 'http://'
  C|wide|base64offset|contains: 'ping'
  D|base64|contains: 'IEX'
condition: sel`)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	got := indicators(d)
	want := []string{
		"A eq " + base64.StdEncoding.EncodeToString([]byte("abc")),
		// Each offset decodes back to the value within a longer stream.
		"B contains aHR0cDovL", "B contains h0dHA6Ly", "B contains odHRwOi8v",
		"C contains cABpAG4AZw", "C contains AAaQBuAGcA", "C contains wAGkAbgBnA",
		"D contains SUVY",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Each base64offset variant is found in the encoding of the value at its offset.
	for shift, v := range base64Offsets("http://") {
		enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", shift) + "http://" + "yy"))
		if !strings.Contains(enc, v) {
			t.Errorf("offset %d: %q not in %q", shift, v, enc)
		}
	}
}

func TestDetectionPredicateShape(t *testing.T) {
	d, problems := parseYAML(t, `
sel:
  CommandLine|contains|all|windash:
    - ' -a '
    - 'x'
  Payload|utf16le|base64offset|contains: 'cmd'
  Name|re|i: 'x'
  Time|hour: 3
  Case|cased: 'A'
condition: sel`)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	e := d.Stages()[0].Expr.(*rule.And)
	// |all with windash: one predicate per value, each OR over its
	// variants (the AND of the two merges into the selection's AND).
	first := e.Args[0].(*rule.Predicate)
	if len(first.Values) != 5 || first.Op != "|contains|all|windash" || first.All {
		t.Errorf("windash variants predicate: %+v", first)
	}
	if second := e.Args[1].(*rule.Predicate); len(second.Values) != 1 || second.Values[0].Value != "x" {
		t.Errorf("second value predicate: %+v", second)
	}
	e.Args = e.Args[1:]
	if got := first.Modifiers; len(got) != 1 || got[0] != "windash" {
		t.Errorf("modifiers = %v", got)
	}
	pl := e.Args[1].(*rule.Predicate)
	if strings.Join(pl.Modifiers, ",") != "utf16le,base64offset" || len(pl.Values) != 3 {
		t.Errorf("payload predicate: %+v", pl)
	}
	if re := e.Args[2].(*rule.Predicate); re.Flags != "i" || re.Values[0].Kind != rule.Regex {
		t.Errorf("regex predicate: %+v", re)
	}
	if tp := e.Args[3].(*rule.Predicate); tp.Func != "hour" || tp.Values[0] != (rule.Value{Kind: rule.Eq, Value: "3"}) {
		t.Errorf("time part predicate: %+v", tp)
	}
	if cs := e.Args[4].(*rule.Predicate); !cs.Cased || cs.Line != 9 {
		t.Errorf("cased predicate: %+v", cs)
	}
}

func TestDetectionStages(t *testing.T) {
	tests := []struct {
		name   string
		yaml   string
		labels []string
		texts  []string
	}{
		{"bitsadmin", `
selection_img:
  - Image|endswith: '\bitsadmin.exe'
  - OriginalFileName: 'bitsadmin.exe'
selection_cmd:
  CommandLine|contains: ' /transfer '
selection_cli_1:
  CommandLine|contains: [' /create ', ' /addfile ']
selection_cli_2:
  CommandLine|contains: 'http'
condition: selection_img and (selection_cmd or all of selection_cli_*)`,
			[]string{"selection_img", "selection_cmd or all of selection_cli_*"},
			[]string{"selection_img", "(selection_cmd or all of selection_cli_*)"}},
		{"single or is one stage", `
a: {X: 1}
b: {Y: 2}
condition: a or b`, []string{"a or b"}, []string{"a or b"}},
		{"filters", `
selection: {X: 1}
filter_main_a: {Y: 2}
filter_optional_b: {Z: 3}
condition: selection and not 1 of filter_main_* and not 1 of filter_optional_*`,
			[]string{"selection", "not 1 of filter_main_*", "not 1 of filter_optional_*"}, nil},
		{"deprecated aggregation", `
selection: {X: 1}
timeframe: 5m
condition: selection | count(User) by Host > 10`, []string{"selection", "count(User) by Host > 10"}, nil},
		{"whole condition in parentheses", `
a: {X: 1}
b: {Y: 2}
condition: ((a and not b))`, []string{"a", "not b"}, nil},
		{"condition list", `
a: {X: 1}
b: {Y: 2}
condition:
  - a
  - b`, []string{"(a) or (b)"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, problems := parseYAML(t, tt.yaml)
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			st := d.Stages()
			var labels, texts []string
			for i, s := range st {
				if s.Index != i+1 {
					t.Errorf("stage %d has index %d", i+1, s.Index)
				}
				labels = append(labels, s.Label)
				texts = append(texts, s.Text)
			}
			if strings.Join(labels, "|") != strings.Join(tt.labels, "|") {
				t.Errorf("labels = %q, want %q", labels, tt.labels)
			}
			if tt.texts != nil && strings.Join(texts, "|") != strings.Join(tt.texts, "|") {
				t.Errorf("texts = %q, want %q", texts, tt.texts)
			}
		})
	}
}

func TestDetectionAggregationStage(t *testing.T) {
	d, _ := parseYAML(t, `
selection: {X: 1}
timeframe: 5m
condition: selection | count(User) by Host > 10`)
	st := d.Stages()
	agg := st[1]
	if agg.Command != "aggregation" || agg.Role != rule.RoleAggregate || agg.Expr != nil {
		t.Fatalf("aggregation stage: %+v", agg)
	}
	want := "function=count field=User by=Host condition=> 10 timeframe=5m"
	var got []string
	for _, a := range agg.Attrs {
		got = append(got, a.Name+"="+a.Value)
	}
	if strings.Join(got, " ") != want {
		t.Errorf("attrs = %q, want %q", strings.Join(got, " "), want)
	}
}

func TestDetectionProblems(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		kind string
		line int
		msg  string
	}{
		{"unknown modifier", "sel:\n  A|contain: x\ncondition: sel", "unknown-modifier", 2, "unknown modifier `contain`"},
		{"uppercase modifier", "sel:\n  A|Contains: x\ncondition: sel", "unknown-modifier", 2, "write `contains`"},
		{"undefined identifier", "sel:\n  A: x\ncondition: sel and not filter", "parse", 3, "`filter`, which is not a search identifier"},
		{"uppercase keyword", "sel:\n  A: x\nfilter:\n  B: y\ncondition: sel AND filter", "parse", 5, "join search identifiers"},
		{"pattern matches nothing", "sel:\n  A: x\ncondition: sel and not 1 of filter_*", "parse", 3, "no search identifier matches `filter_*`"},
		{"condition syntax", "sel:\n  A: x\ncondition: sel and", "parse", 3, "column 8"},
		{"block condition line", "sel:\n  A: x\ncondition: |\n  sel and\n  (x", "parse", 5, "expected `)`"},
		{"no condition", "sel:\n  A: x", "parse", 1, "no condition"},
		{"map as value", "sel:\n  A:\n    B: c\ncondition: sel", "parse", 3, "has a map as its value"},
		{"exists needs bool", "sel:\n  A|exists: maybe\ncondition: sel", "parse", 2, "true or false"},
		{"flag without re", "sel:\n  A|i: x\ncondition: sel", "parse", 2, "without `re`"},
		{"two wraps", "sel:\n  A|contains|endswith: x\ncondition: sel", "parse", 2, "one of contains"},
		{"duplicate key", "sel:\n  A: x\n  A: y\ncondition: sel", "parse", 2, "twice"},
		{"empty identifier", "sel:\ncondition: sel", "parse", 1, "is empty"},
		{"not a map", "- a\n- b", "parse", 1, "must be a map"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := parseYAML(t, tt.yaml)
			for _, p := range problems {
				if p.Kind == tt.kind && p.Line == tt.line && strings.Contains(p.Message, tt.msg) {
					return
				}
			}
			t.Errorf("problems = %+v, want kind %s line %d containing %q", problems, tt.kind, tt.line, tt.msg)
		})
	}
}

func TestUnknownModifierIsOpaque(t *testing.T) {
	d, _ := parseYAML(t, "sel:\n  A|contain: x\n  B: y\ncondition: sel")
	e := d.Stages()[0].Expr
	if !rule.HasOpaque(e) {
		t.Errorf("an unknown modifier must make the tree opaque, got %s", Print(e))
	}
	if got := indicators(d); strings.Join(got, ";") != "B eq y" {
		t.Errorf("indicators = %v", got)
	}
}

func TestPrint(t *testing.T) {
	d, problems := parseYAML(t, `
selection_img:
  - Image|endswith: '\bitsadmin.exe'
  - OriginalFileName: 'bitsadmin.exe'
sel2:
  CommandLine|contains|all: [' /create ', ' /addfile ']
  A: '*x*'
  B: 'it''s'
  C|exists: false
  D: null
  E|contains: 'a*b'
  F: 'star\*'
kw:
  - 'evil'
filter:
  X|gte: 3
condition: selection_img and (sel2 or kw) and not filter`)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var got []string
	for _, s := range d.Stages() {
		got = append(got, Print(s.Expr))
	}
	want := []string{
		`Image|endswith: '\bitsadmin.exe' or OriginalFileName: 'bitsadmin.exe'`,
		`(CommandLine|contains|all: [' /create ', ' /addfile '] and A: '*x*' and B: 'it''s' and C|exists: false and D: null and E|contains: 'a*b' and F: 'star\*') or 'evil'`,
		`not X|gte: 3`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Print:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	and := &rule.And{Args: []rule.Expr{&rule.Or{Args: []rule.Expr{
		&rule.Predicate{Field: "a", Values: []rule.Value{{Kind: rule.Eq, Value: "1"}}},
		&rule.Predicate{Field: "b", Values: []rule.Value{{Kind: rule.StartsWith, Value: `C:\`}}},
	}}, &rule.Not{Arg: &rule.Or{Args: []rule.Expr{&rule.Opaque{Text: "x"}, &rule.Opaque{Text: "y"}}}}}}
	if got, want := Print(and), `(a: '1' or b: 'C:\\*') and not (x or y)`; got != want {
		t.Errorf("Print = %s, want %s", got, want)
	}
}
