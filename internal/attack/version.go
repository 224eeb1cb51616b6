package attack

import (
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// releaseInName matches the release in MITRE's file names:
// enterprise-attack-18.1.json, ics-attack-v17.0.json.gz.
var releaseInName = regexp.MustCompile(`(?i)[-_ ]v?(\d{1,3}\.\d{1,3}(?:\.\d{1,3})?)\.json(?:\.gz)?$`)

// versionFromName returns the ATT&CK release a file name or URL carries.
func versionFromName(name string) (version, base string) {
	if u, err := url.Parse(name); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		base = path.Base(u.Path)
	} else {
		base = filepath.Base(name)
	}
	if m := releaseInName.FindStringSubmatch(base); m != nil {
		return m[1], base
	}
	return "", base
}

// setSource records where the bundle came from and, when the bundle itself
// does not carry its release (no x-mitre-collection object, as in bundles
// cut down by hand), takes it from the file name.
func (m *Matrix) setSource(name string) {
	m.Source = name
	if m.Version != "" || name == "" {
		return
	}
	if v, base := versionFromName(name); v != "" {
		m.Version = v
		m.VersionSource = "file name " + base + " (the bundle has no x-mitre-collection object)"
	}
}

// versionNote is the hint for ids the bundle does not know.
func (m *Matrix) versionNote() string {
	return "not in " + m.Label() + "; newer ATT&CK version?"
}

// prettyShortName turns a short name the bundle does not know into a
// readable name: "defense-impairment" → "Defense Impairment".
func prettyShortName(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
	for i, w := range words {
		if w == "and" && i > 0 {
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	return strings.Join(words, " ")
}
