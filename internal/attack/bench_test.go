package attack

import (
	"os"
	"testing"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
)

// BenchmarkParse measures the corpus bundle (Enterprise ATT&CK v18.1,
// 7.5 MB gzip, 33 MB JSON) from bytes in memory, as gzip and as plain JSON.
func BenchmarkParse(b *testing.B) {
	path := sharedtest.Path(b, "attack", "enterprise-attack-18.1.json.gz")
	gz, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	plain, err := gunzip(gz)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		data []byte
	}{{"gzip", gz}, {"json", plain}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(plain)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parseBytes(bc.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkResolve resolves a typical rule's references (three
// techniques, one revoked, and two tactics) against the corpus bundle.
func BenchmarkResolve(b *testing.B) {
	m := corpus(b)
	refs := []rule.AttackRef{
		{ID: "T1197", Kind: "technique", Written: "attack.t1197"},
		{ID: "T1059.001", Kind: "technique", Written: "attack.t1059.001"},
		{ID: "T1150", Kind: "technique", Written: "attack.t1150"},
		{ID: "persistence", Kind: "tactic", Written: "attack.persistence"},
		{ID: "stealth", Kind: "tactic", Written: "attack.stealth"},
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Resolve(refs)
	}
}
