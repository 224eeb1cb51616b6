package match

import (
	"strings"
	"testing"

	"ruledex/internal/rule"
)

// TestNonWindowsGate checks the rule for logsources with no Windows
// channel: such a rule reads the events that name no Windows channel or
// provider and have at least one of the fields it tests, so a condition
// that holds when its fields are absent ("not selection") does not fire on
// unrelated events.
func TestNonWindowsGate(t *testing.T) {
	const zeek = "title: rdp\nid: zeek\nlogsource:\n    product: zeek\n    service: rdp\ndetection:\n" +
		"    selection:\n        id.orig_h|cidr:\n            - '10.0.0.0/8'\n            - '192.168.0.0/16'\n    condition: not selection\n"
	const zeekFilter = "title: f\nid: zf\nfilter:\n    rules:\n        - zeek\n    selection:\n        note: approved\n    condition: not selection\n"
	const keywords = "title: kw\nid: kw\nlogsource:\n    product: linux\ndetection:\n    keywords:\n        - 'evil'\n    filter:\n        host: trusted\n    condition: keywords and not filter\n"
	const winAny = "title: w\nid: win\nlogsource:\n    product: windows\n    service: system\ndetection:\n    filter:\n        EventID: 1\n    condition: not filter\n"
	tests := []struct {
		name  string
		rules string
		event string
		want  bool
	}{
		{"no field of the rule", zeek, `{"a":1}`, false},
		{"flat Sysmon event", zeek, `{"EventID":1,"Image":"C:\\x\\cmd.exe","CommandLine":"cmd"}`, false},
		{"flat Sysmon event with channel", zeek, sysmon1(`"Image":"C:\\x\\cmd.exe"`), false},
		{"public address", zeek, `{"id.orig_h":"8.8.8.8"}`, true},
		{"nested field", zeek, `{"id":{"orig_h":"8.8.8.8"}}`, true},
		{"private address", zeek, `{"id.orig_h":"10.1.2.3"}`, false},
		{"field present as null", zeek, `{"id.orig_h":null}`, true},
		{"Windows event with the field", zeek, `{"Channel":"Security","EventID":4624,"id.orig_h":"8.8.8.8"}`, false},
		// Whichever events the filter lets through, its own fields are
		// not the rule's: they do not open the gate.
		{"a filter's field does not open the gate", zeek + "---\n" + zeekFilter, `{"note":"other"}`, false},
		{"nor with the other value", zeek + "---\n" + zeekFilter, `{"note":"approved"}`, false},
		{"keywords read every value", keywords, `{"msg":"evil thing"}`, true},
		{"keywords miss", keywords, `{"msg":"fine"}`, false},
		{"Windows logsource keeps its channel only", winAny, `{"Channel":"System","EventID":7045}`, true},
		{"Windows logsource ignores other events", winAny, `{"a":1}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(sigmaRules(t, tc.rules))
			if len(e.Skipped()) > 0 {
				t.Fatalf("skipped: %s", e.Skipped()[0].Reason)
			}
			hits, _ := run(t, e, tc.event)
			if got := len(hits) > 0; got != tc.want {
				t.Errorf("match = %v, want %v (hits %s)", got, tc.want, hitIDs(hits))
			}
		})
	}
}

// TestNonWindowsGateSplunkElastic applies the same rule to Splunk raw
// searches and Elastic queries on events that name no Windows channel;
// Windows events of no mapped kind keep their plain semantics.
func TestNonWindowsGateSplunkElastic(t *testing.T) {
	kql := func(q string) *rule.Rule {
		r := kqlTestRule(t, q)
		return r
	}
	tests := []struct {
		name  string
		r     *rule.Rule
		event string
		want  bool
	}{
		{"spl NOT on an unrelated event", splRule(t, `search NOT foo=bar`), `{"a":1}`, false},
		{"spl NOT with the field", splRule(t, `search NOT foo=bar`), `{"foo":"baz"}`, true},
		{"spl NOT on a Windows event", splRule(t, `search NOT foo=bar`), `{"Channel":"System","EventID":7045}`, true},
		{"kql not on an unrelated event", kql(`not process.name:x`), `{"a":1}`, false},
		{"kql not with the field", kql(`not process.name:x`), `{"process":{"name":"y"}}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New([]*rule.Rule{tc.r})
			if len(e.Skipped()) > 0 {
				t.Fatalf("skipped: %s", e.Skipped()[0].Reason)
			}
			hits, _ := run(t, e, tc.event)
			if got := len(hits) > 0; got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRetiredRules checks that deprecated and unsupported rules are
// skipped with that reason by default and run with IncludeDeprecated.
func TestRetiredRules(t *testing.T) {
	sigmaRule := func(status string) string {
		return "title: t\nid: r\nstatus: " + status + "\nlogsource:\n    product: windows\n    category: process_creation\n" +
			"detection:\n    sel:\n        Image|endswith: '\\cmd.exe'\n    condition: sel\n"
	}
	deprecatedSPL := splRule(t, `search EventCode=1 Image=*\\cmd.exe`)
	deprecatedSPL.Deprecated = true
	tests := []struct {
		name    string
		rules   func(t *testing.T) []*rule.Rule
		include bool
		reason  string // "": the rule runs
	}{
		{"sigma deprecated", func(t *testing.T) []*rule.Rule { return sigmaRules(t, sigmaRule("deprecated")) }, false, ReasonDeprecated},
		{"sigma deprecated included", func(t *testing.T) []*rule.Rule { return sigmaRules(t, sigmaRule("deprecated")) }, true, ""},
		{"sigma unsupported", func(t *testing.T) []*rule.Rule { return sigmaRules(t, sigmaRule("unsupported")) }, false, ReasonUnsupported},
		{"sigma unsupported included", func(t *testing.T) []*rule.Rule { return sigmaRules(t, sigmaRule("unsupported")) }, true, ""},
		{"sigma stable", func(t *testing.T) []*rule.Rule { return sigmaRules(t, sigmaRule("stable")) }, false, ""},
		{"spl deprecated", func(*testing.T) []*rule.Rule { return []*rule.Rule{deprecatedSPL} }, false, ReasonDeprecated},
		{"spl deprecated included", func(*testing.T) []*rule.Rule { return []*rule.Rule{deprecatedSPL} }, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rules := tc.rules(t)
			e := NewWithOptions(rules, Options{IncludeDeprecated: tc.include})
			hits, _ := run(t, e, sysmon1(`"Image":"C:\\Windows\\cmd.exe"`))
			if tc.reason == "" {
				if len(e.Skipped()) > 0 || len(hits) != 1 || e.Retired() != 0 {
					t.Errorf("skipped %+v, hits %d, want one hit", e.Skipped(), len(hits))
				}
				return
			}
			if len(e.Skipped()) != 1 || e.Skipped()[0].Reason != tc.reason || len(hits) != 0 || e.Retired() != 1 {
				t.Errorf("skipped %+v, hits %d, want skipped as %q", e.Skipped(), len(hits), tc.reason)
			}
			if e.Loaded() != len(rules) {
				t.Errorf("loaded %d, want %d", e.Loaded(), len(rules))
			}
		})
	}
}

// TestRetiredCorpus checks the two rules the user saw fire on every event
// of a kind: skipped by default, run when included.
func TestRetiredCorpus(t *testing.T) {
	rules := loadCorpora(t)
	tests := []struct {
		source, path, reason string
	}{
		{"sigma", "unsupported/windows/sysmon_process_reimaging.yml", ReasonUnsupported},
		{"splunk", "detections/deprecated/prohibited_software_on_endpoint.yml", ReasonDeprecated},
	}
	def := New(rules)
	all := NewWithOptions(rules, Options{IncludeDeprecated: true})
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			reason := func(e *Engine) string {
				for _, s := range e.Skipped() {
					if s.Rule.Source == tc.source && strings.HasSuffix(s.Rule.Path, tc.path) {
						return s.Reason
					}
				}
				return ""
			}
			if got := reason(def); got != tc.reason {
				t.Errorf("default: reason %q, want %q", got, tc.reason)
			}
			if got := reason(all); got != "" {
				t.Errorf("included: skipped as %q", got)
			}
		})
	}
}
