package site

import (
	"bytes"
	"context"
	"strings"
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

// BenchmarkRender renders (without writing) every rule page, rule.json
// and indicator page of the three corpus rulesets.
func BenchmarkRender(b *testing.B) {
	bundle := sharedtest.Path(b, "attack", "enterprise-attack-18.1.json.gz")
	var sets []catalog.Ruleset
	for _, kind := range []string{"splunk", "sigma", "elastic"} {
		sets = append(sets, catalog.Ruleset{Kind: kind, Path: sharedtest.Path(b, "corpus", kind)})
	}
	c, err := catalog.Build(context.Background(), sets, catalog.Options{Attack: bundle})
	if err != nil {
		b.Fatal(err)
	}
	s := New(c)
	var buf bytes.Buffer
	b.Run("rule-pages", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for _, r := range c.Rules {
				buf.Reset()
				s.renderRule(&buf, r)
			}
		}
	})
	b.Run("rule-json", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for _, r := range c.Rules {
				buf.Reset()
				writeJSON(&buf, r)
			}
		}
	})
	b.Run("indicator-pages", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for _, p := range s.pages() {
				if strings.HasPrefix(p.path, "indicators/") && p.path != "indicators/index.html" {
					buf.Reset()
					p.render(&buf)
				}
			}
		}
	})
}
