package sigma

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseFile reads arbitrary bytes as a Sigma file: documents, rule
// collections, metadata, detection, correlation and filter sections. No
// panics; every document gives a rule or a counted skip; rules marshal.
func FuzzParseFile(f *testing.F) {
	_ = filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	f.Add([]byte("---\n---\ntitle: x\n...\n---\naction: repeat\ntitle: y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := parseFile("f.yml", data)
		for _, r := range fr.rules {
			if r.ID == "" || r.Name == "" || r.Path != "f.yml" || r.Line < 1 {
				t.Fatalf("incomplete rule %+v", r)
			}
			r.DeriveIndicators()
			if _, err := json.Marshal(r); err != nil {
				t.Fatal(err)
			}
		}
		link(fr.rules)
	})
}
