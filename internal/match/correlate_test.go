package match

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"ruledex/internal/match/events"
)

// corrBase are two base rules: failed and successful logons.
const corrBase = `title: Failed logon
id: 00000000-0000-0000-0000-00000000000a
name: failed_logon
logsource:
    product: windows
    service: security
detection:
    sel:
        EventID: 4625
    condition: sel
---
title: Successful logon
id: 00000000-0000-0000-0000-00000000000b
name: successful_logon
logsource:
    product: windows
    service: security
detection:
    sel:
        EventID: 4624
    condition: sel
`

// logon is a Security logon event at second s.
func logon(id, s int, user, ip string) string {
	t := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(s) * time.Second)
	return fmt.Sprintf(`{"Channel":"Security","EventID":%d,"TimeCreated_SystemTime":%q,"TargetUserName":%q,"IpAddress":%q}`, id, t.Format(time.RFC3339Nano), user, ip)
}

func TestCorrelations(t *testing.T) {
	tests := []struct {
		name   string
		corr   string
		events []string
		want   string // hit ids: rule@event
	}{
		{"event_count reaches", `type: event_count
    rules: [failed_logon]
    group-by: [TargetUserName]
    timespan: 1m
    condition:
        gte: 3`, []string{logon(4625, 0, "bob", "1"), logon(4625, 10, "bob", "1"), logon(4625, 20, "bob", "1")}, "c@3"},
		{"event_count outside the timespan", `type: event_count
    rules: [failed_logon]
    group-by: [TargetUserName]
    timespan: 1m
    condition:
        gte: 3`, []string{logon(4625, 0, "bob", "1"), logon(4625, 50, "bob", "1"), logon(4625, 100, "bob", "1")}, ""},
		{"event_count per group", `type: event_count
    rules: [failed_logon]
    group-by: [TargetUserName]
    timespan: 1m
    condition:
        gte: 2`, []string{logon(4625, 0, "bob", "1"), logon(4625, 1, "eve", "1"), logon(4625, 2, "bob", "1")}, "c@3"},
		{"event_count range decided when the window closes", `type: event_count
    rules: [failed_logon]
    group-by: [TargetUserName]
    timespan: 1m
    condition:
        gt: 1
        lte: 2`, []string{logon(4625, 0, "bob", "1"), logon(4625, 10, "bob", "1"), logon(4625, 200, "bob", "1")}, "c@2"},
		{"value_count", `type: value_count
    rules: [failed_logon]
    group-by: [IpAddress]
    timespan: 5m
    condition:
        field: TargetUserName
        gte: 3`, []string{logon(4625, 0, "a", "10.0.0.1"), logon(4625, 1, "a", "10.0.0.1"), logon(4625, 2, "b", "10.0.0.1"), logon(4625, 3, "c", "10.0.0.1")}, "c@4"},
		{"temporal", `type: temporal
    rules: [failed_logon, successful_logon]
    group-by: [TargetUserName]
    timespan: 1m`, []string{logon(4624, 0, "bob", "1"), logon(4625, 30, "bob", "1")}, "c@2"},
		{"temporal_ordered in order", `type: temporal_ordered
    rules: [failed_logon, successful_logon]
    group-by: [TargetUserName]
    timespan: 1m`, []string{logon(4625, 0, "bob", "1"), logon(4624, 30, "bob", "1")}, "c@2"},
		{"temporal_ordered out of order", `type: temporal_ordered
    rules: [failed_logon, successful_logon]
    group-by: [TargetUserName]
    timespan: 1m`, []string{logon(4624, 0, "bob", "1"), logon(4625, 30, "bob", "1")}, ""},
		{"generate reports the base rules", `type: temporal
    rules: [failed_logon, successful_logon]
    group-by: [TargetUserName]
    timespan: 1m
    generate: true`, []string{logon(4625, 0, "bob", "1"), logon(4624, 30, "bob", "1")},
			"00000000-0000-0000-0000-00000000000a@1 c@2 00000000-0000-0000-0000-00000000000b@2"},
		{"aliases", `type: temporal
    rules: [failed_logon, successful_logon]
    group-by: [who]
    timespan: 1m
    aliases:
        who:
            failed_logon: TargetUserName
            successful_logon: IpAddress`, []string{logon(4625, 0, "bob", "x"), logon(4624, 30, "x", "bob")}, "c@2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := corrBase + "---\ntitle: Correlation\nid: c\ncorrelation:\n    " + tc.corr + "\n"
			e := New(sigmaRules(t, src))
			for _, s := range e.Skipped() {
				t.Fatalf("skipped %s: %s", s.Rule.ID, s.Reason)
			}
			hits, _ := run(t, e, strings.Join(tc.events, "\n"))
			if got := hitIDs(hits); got != tc.want {
				t.Errorf("hits %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCorrelationNotEvaluable(t *testing.T) {
	src := corrBase + "---\ntitle: C\nid: c\ncorrelation:\n    type: event_count\n    rules: [nothere]\n    group-by: [x]\n    timespan: 1m\n    condition:\n        gte: 2\n"
	e := New(sigmaRules(t, src))
	if len(e.Skipped()) != 1 || !strings.Contains(e.Skipped()[0].Reason, "nothere") {
		t.Fatalf("skipped = %+v", e.Skipped())
	}
}

// TestCorrelationSweep feeds more groups than a sweep period: stale groups
// are forgotten and hits still come out.
func TestCorrelationSweep(t *testing.T) {
	src := corrBase + "---\ntitle: C\nid: c\ncorrelation:\n    type: event_count\n    rules: [failed_logon]\n    group-by: [TargetUserName]\n    timespan: 10s\n    condition:\n        gte: 2\n"
	e := New(sigmaRules(t, src))
	var b strings.Builder
	n := 3 * sweepEvery
	for i := 0; i < n; i++ {
		b.WriteString(logon(4625, i, "user"+fmt.Sprint(i), "1") + "\n")
	}
	b.WriteString(logon(4625, n, "bob", "1") + "\n" + logon(4625, n+1, "bob", "1") + "\n")
	corr := e.NewCorrelator()
	m := e.NewMatcher()
	r := events.NewReader(strings.NewReader(b.String()), "x")
	var got []Hit
	for r.Next(m.Event()) == nil {
		for _, h := range m.Match(nil) {
			got = corr.Feed(&h, got)
		}
	}
	if len(got) != 1 || got[0].Event != n+2 {
		t.Fatalf("hits %v", hitIDs(got))
	}
	if len(corr.groups[0]) > sweepEvery+2 {
		t.Errorf("%d groups kept after sweeps", len(corr.groups[0]))
	}
}
