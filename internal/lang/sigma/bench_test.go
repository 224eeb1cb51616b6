package sigma

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/sharedtest"
)

// BenchmarkParseDetection parses the detection section of every rule of
// the Sigma corpus (YAML already parsed): the cost of the Sigma parser
// itself, per rule.
func BenchmarkParseDetection(b *testing.B) {
	root := sharedtest.Path(b, "corpus", "sigma")
	var detections []*yaml.Node
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yml") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		for {
			var doc yaml.Node
			if dec.Decode(&doc) != nil {
				break
			}
			if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
				continue
			}
			m := doc.Content[0]
			for i := 0; i+1 < len(m.Content); i += 2 {
				if m.Content[i].Value == "detection" {
					detections = append(detections, m.Content[i+1])
				}
			}
		}
		return nil
	})
	if len(detections) == 0 {
		b.Skip("no detections")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, n := range detections {
			ParseDetection(n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(detections))/1000, "µs/rule")
}

// BenchmarkParseCondition parses a typical condition.
func BenchmarkParseCondition(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseCondition("selection and not 1 of filter_main_* and not 1 of filter_optional_*")
	}
}
