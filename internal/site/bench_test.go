package site

import (
	"context"
	"testing"
	"time"

	"ruledex/internal/catalog"
	"ruledex/internal/sharedtest"
)

// BenchmarkBuild is a whole `ruledex build` of each corpus ruleset with
// the ATT&CK bundle: read, parse, join, render and write every file.
func BenchmarkBuild(b *testing.B) {
	bundle := sharedtest.Path(b, "attack", "enterprise-attack-18.1.json.gz")
	for _, kind := range []string{"splunk"} {
		b.Run(kind, func(b *testing.B) {
			root := sharedtest.Path(b, "corpus", kind)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				c, err := catalog.Build(context.Background(), []catalog.Ruleset{{Kind: kind, Path: root}}, catalog.Options{Attack: bundle})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := New(c).Write(b.TempDir(), start); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
