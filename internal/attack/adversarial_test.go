package attack

import (
	"strings"
	"testing"
	"time"
)

// Pathological inputs must cost time linear in their size: a few MB may
// not take seconds.
func TestAdversarialInputsStayLinear(t *testing.T) {
	const n = 1 << 20
	deepOK := strings.Repeat("[", 999) + strings.Repeat("]", 999)
	tests := []struct{ name, in string }{
		{"backslash runs", `{"objects": [{"name": "` + strings.Repeat(`\\\\\\\\\"`, n/10) + `"}]}`},
		{"many keys", `{"objects": [{` + strings.Repeat(`"k": 1,`, n/7) + `"k": 1}]}`},
		{"many objects", `{"objects": [` + strings.Repeat(`{"type": "relationship", "relationship_type": "uses"},`, n/52) + `{}]}`},
		{"deep nests side by side", `{"objects": [{"x": [` + strings.Repeat(deepOK+",", n/2000) + `0]}]}`},
		{"unterminated after many quotes", `{"objects": [{"name": "` + strings.Repeat(`\"`, n/2)},
		{"many escaped names", `{"objects": [` + strings.Repeat(`{"type": "attack-pattern", "name": "a\u0041", "external_references": [{"source_name": "mitre-attack", "external_id": "T1"}]},`, n/120) + `{}]}`},
	}
	for _, tt := range tests {
		start := time.Now()
		Parse(strings.NewReader(tt.in))
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: %d bytes took %v", tt.name, len(tt.in), d)
		} else {
			t.Logf("%s: %d bytes in %v", tt.name, len(tt.in), d)
		}
	}
}
