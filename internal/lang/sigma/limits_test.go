package sigma

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"ruledex/internal/rule"
)

// Untrusted input must not blow up: these detections are small as text but
// huge when expanded.
func TestDetectionLimits(t *testing.T) {
	var aliasBomb strings.Builder
	aliasBomb.WriteString("m: &m\n")
	aliasBomb.WriteString("  F0: &l [")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&aliasBomb, "v%d, ", i)
	}
	aliasBomb.WriteString("x]\n")
	for i := 1; i < 1000; i++ {
		fmt.Fprintf(&aliasBomb, "  F%d: *l\n", i)
	}
	aliasBomb.WriteString("x: [")
	for i := 0; i < 1000; i++ {
		aliasBomb.WriteString("*m, ")
	}
	aliasBomb.WriteString("*m]\ncondition: x\n")

	manyRefs := "sel: {A: " + "[" + strings.Repeat("a, ", 5000) + "b]}\ncondition: " +
		strings.Repeat("sel or ", 50000) + "sel\n"

	var manyOfs strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&manyOfs, "x%d: {A: %d}\n", i, i)
	}
	manyOfs.WriteString("condition: " + strings.Repeat("1 of x* or ", 20000) + "x0\n")

	tests := []struct {
		name, yaml, msg string
	}{
		{"many patterns over many identifiers", manyOfs.String(), "refers to more than"},
		{"alias bomb", aliasBomb.String(), "expands into more than"},
		{"identifier referenced many times", manyRefs, "refers to more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			d, problems := parseYAML(t, tt.yaml)
			found := false
			for _, p := range problems {
				found = found || strings.Contains(p.Message, tt.msg)
			}
			if !found {
				t.Errorf("problems %v, want one containing %q", problems, tt.msg)
			}
			r := rule.Rule{Stages: d.Stages()}
			r.DeriveIndicators()
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v", el)
			}
		})
	}
}

func TestWindashManyDashes(t *testing.T) {
	d, problems := parseYAML(t, "sel:\n  A|windash: '-a -b -c -d -e'\ncondition: sel")
	if len(problems) != 1 || !strings.Contains(problems[0].Message, "alike") {
		t.Errorf("problems = %v", problems)
	}
	p := d.Stages()[0].Expr.(*rule.Predicate)
	if len(p.Values) != 5 || p.Values[1].Value != "/a /b /c /d /e" {
		t.Errorf("values = %v", p.Values)
	}
	d, _ = parseYAML(t, "sel:\n  A|windash: '-a -b'\ncondition: sel")
	if p := d.Stages()[0].Expr.(*rule.Predicate); len(p.Values) != 25 {
		t.Errorf("two dashes: %d variants, want 25", len(p.Values))
	}
}
