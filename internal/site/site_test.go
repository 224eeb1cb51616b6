package site

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ruledex/internal/catalog"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func buildCatalog(t *testing.T, sets ...catalog.Ruleset) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Build(context.Background(), sets, catalog.Options{Attack: "none"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var escuRepo = filepath.Join("..", "source", "escu", "testdata", "repo")

// TestWriteContract checks the output contract of DESIGN.md on the ESCU
// fixtures: pages, rule.json beside them, api/rules.json, api/stats.json.
func TestWriteContract(t *testing.T) {
	c := buildCatalog(t, catalog.Ruleset{Kind: "splunk", Path: escuRepo})
	dir := t.TempDir()
	n, err := New(c).Write(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no files written")
	}
	for _, p := range []string{"index.html", "problems.html", "rules/splunk/index.html", "attack/index.html",
		"indicators/index.html", "api/indicators.json", "assets/style.css", "assets/site.js"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("missing %s", p)
		}
	}
	var entries []map[string]string
	readJSON(t, filepath.Join(dir, "api", "rules.json"), &entries)
	if len(entries) != len(c.Rules) {
		t.Fatalf("api/rules.json has %d entries for %d rules", len(entries), len(c.Rules))
	}
	for _, e := range entries {
		if len(e) != 5 || e["id"] == "" || e["source"] != "splunk" || e["slug"] == "" || e["name"] == "" || e["path"] == "" {
			t.Errorf("api/rules.json entry %v: want exactly id, source, slug, name, path", e)
		}
		for _, f := range []string{"index.html", "rule.json"} {
			if _, err := os.Stat(filepath.Join(dir, "rules", e["source"], e["slug"], f)); err != nil {
				t.Errorf("missing rules/%s/%s/%s", e["source"], e["slug"], f)
			}
		}
		b, _ := os.ReadFile(filepath.Join(dir, "rules", e["source"], e["slug"], "rule.json"))
		for _, key := range []string{"attack", "events", "stages", "indicators", "problems"} {
			if bytes.Contains(b, []byte(`"`+key+`":null`)) {
				t.Errorf("%s/%s rule.json: %s is null; the contract's lists are lists", e["source"], e["slug"], key)
			}
		}
	}
	var stats Stats
	readJSON(t, filepath.Join(dir, "api", "stats.json"), &stats)
	if stats.Rules != len(c.Rules) || len(stats.Sources) != 1 || stats.Sources[0].Rules != len(c.Rules) || stats.BuildSeconds <= 0 {
		t.Errorf("stats: %+v", stats)
	}
	failed := map[string]bool{}
	for _, f := range stats.ParseFailures {
		if f.File == "" || f.Reason == "" {
			t.Errorf("parse failure without file or reason: %+v", f)
		}
		failed[f.File] = true
	}
	for _, f := range []string{"detections/bad/broken_yaml.yml", "detections/bad/unparsable.yml"} {
		if !failed[f] {
			t.Errorf("stats.json parse_failures lacks %s: %+v", f, stats.ParseFailures)
		}
	}
	macros := map[string]bool{}
	for _, u := range stats.UndefinedMacros {
		macros[u.Macro] = true
	}
	if !macros["no_such_macro"] || macros["undefined_macro_filter"] {
		t.Errorf("undefined macros %v: want no_such_macro and no *_filter", stats.UndefinedMacros)
	}
}

// TestRuleJSONGolden pins rule.json of BITS Job Persistence (newer layout).
// Run `go test ./internal/site -update` after a deliberate change.
func TestRuleJSONGolden(t *testing.T) {
	c := buildCatalog(t, catalog.Ruleset{Kind: "splunk", Path: escuRepo})
	rs := c.Rule("detections/newer/bits_job_persistence.yml")
	if len(rs) != 1 {
		t.Fatalf("fixture not found")
	}
	var compact, buf bytes.Buffer
	if err := writeJSON(&compact, rs[0]); err != nil {
		t.Fatal(err)
	}
	// Indented, so that a change reads as a diff.
	if err := json.Indent(&buf, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "bits_job_persistence.rule.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("rule.json differs from %s (run with -update if the change is intended):\n%s", golden, buf.String())
	}
}

// TestBothLayoutsSamePage renders the BITS rule from each ESCU layout: the
// sections that come from the rule's meaning are identical.
func TestBothLayoutsSamePage(t *testing.T) {
	c := buildCatalog(t, catalog.Ruleset{Kind: "splunk", Path: escuRepo})
	s := New(c)
	section := func(page, id string) string {
		i := strings.Index(page, `<section id="`+id+`">`)
		if i < 0 {
			t.Fatalf("no section %s", id)
		}
		j := strings.Index(page[i:], "</section>")
		return page[i : i+j]
	}
	pages := map[string]string{}
	for _, layout := range []string{"older", "newer"} {
		r := c.Rule("detections/" + layout + "/bits_job_persistence.yml")[0]
		var buf bytes.Buffer
		if err := s.renderRule(&buf, r); err != nil {
			t.Fatal(err)
		}
		pages[layout] = buf.String()
	}
	for _, id := range []string{"attack", "events", "indicators"} {
		if a, b := section(pages["older"], id), section(pages["newer"], id); a != b {
			t.Errorf("section %s differs:\nolder %s\nnewer %s", id, a, b)
		}
	}
	// Stages show the same predicates (their text differs: the layouts wrap the search differently).
	tree := regexp.MustCompile(`(?s)<ul class="tree">.*?</ul></li></ul>`)
	if a, b := tree.FindAllString(pages["older"], -1), tree.FindAllString(pages["newer"], -1); strings.Join(a, "") != strings.Join(b, "") || len(a) == 0 {
		t.Errorf("predicate trees differ:\n%v\n%v", a, b)
	}
}

// TestHostileRuleIsEscaped renders a rule whose every field carries markup.
func TestHostileRuleIsEscaped(t *testing.T) {
	c := buildCatalog(t, catalog.Ruleset{Kind: "splunk", Path: filepath.Join("testdata", "hostile")})
	if len(c.Rules) != 1 {
		t.Fatalf("%d rules", len(c.Rules))
	}
	r := c.Rules[0]
	if strings.ContainsAny(r.Slug, "<>/%") {
		t.Errorf("slug %q is not sanitized", r.Slug)
	}
	dir := t.TempDir()
	if _, err := New(c).Write(dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	bad := regexp.MustCompile(`(?i)<script>alert|<img src=x|<iframe|href="javascript:|<b onmouseover|<\/dd><script`)
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if m := bad.Find(b); m != nil {
			i := bytes.Index(b, m)
			t.Errorf("%s: unescaped rule text %q in …%s…", p, m, b[max(0, i-80):min(len(b), i+80)])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing escapes the output folder.
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, "..") {
			t.Errorf("file written outside the site: %s", p)
		}
		return nil
	})
}

func TestMarkdownIsSanitized(t *testing.T) {
	tests := []struct{ in, mustNot, must string }{
		{"[x](javascript:alert(1))", "javascript:", "x"},
		{"<script>alert(1)</script>", "<script", ""},
		{"<img src=x onerror=alert(1)>", "onerror", ""},
		{"see `code` and **bold**", "", "<code>code</code>"},
		{"[ok](https://example.com)", "", `href="https://example.com"`},
		{"[x](&#106;avascript:alert(1))", "avascript:", "x"},
		{"[x](JaVaScRiPt:alert(1))", "alert", "x"},
		{"[x](vbscript:msgbox(1))", "vbscript:", "x"},
		{"[x](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html", "x"},
		{"<https://example.com/<script>>", "<script", ""},
		{"`<script>` in code", "<script>", "&lt;script&gt;"},
		{"<div onclick=alert(1)>hi</div>", "onclick", ""},
		{"![img](javascript:alert(1))", "javascript:", ""},
		{"<a href=\"javascript:alert(1)\">x</a>", "javascript:", ""},
		// Not sanitizing, but what the guides need: home paths stay text,
		// bare URLs become links, tables are tables.
		{"copies ~/Pictures to (~/bin", "<del>", "~/Pictures to (~/bin"},
		{"see https://example.com/x", "", `<a href="https://example.com/x">`},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "", "<table>"},
	}
	for _, tt := range tests {
		got := string(markdown(tt.in))
		if tt.mustNot != "" && strings.Contains(got, tt.mustNot) {
			t.Errorf("markdown(%q) = %q contains %q", tt.in, got, tt.mustNot)
		}
		if tt.must != "" && !strings.Contains(got, tt.must) {
			t.Errorf("markdown(%q) = %q lacks %q", tt.in, got, tt.must)
		}
	}
}

func TestHandler(t *testing.T) {
	c := buildCatalog(t, catalog.Ruleset{Kind: "splunk", Path: escuRepo})
	srv := httptest.NewServer(New(c).Handler())
	defer srv.Close()
	r := c.Rule("detections/newer/bits_job_persistence.yml")[0]
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path   string
		status int
		ctype  string
		body   string
	}{
		{"/", 200, "text/html", "BITS Job Persistence"},
		{"/rules/splunk/" + r.Slug + "/", 200, "text/html", "Stages and predicates"},
		{"/rules/splunk/" + r.Slug, 301, "", ""},
		{"/rules/splunk/" + r.Slug + "/rule.json", 200, "application/json", `"id":"e97a5ffe-90bf-11eb-928a-acde48001122"`},
		{"/api/stats.json", 200, "application/json", `"rules":`},
		{"/api/rules.json", 200, "application/json", r.Slug},
		{"/assets/style.css", 200, "text/css", "body"},
		{"/rules/splunk/../../../etc/passwd", 404, "", ""},
		{"/nope", 404, "", ""},
	}
	for _, tt := range tests {
		resp, err := noRedirect.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s: %d, want %d", tt.path, resp.StatusCode, tt.status)
			continue
		}
		if tt.ctype != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) {
			t.Errorf("GET %s: content type %q, want %s", tt.path, resp.Header.Get("Content-Type"), tt.ctype)
		}
		if !strings.Contains(buf.String(), tt.body) {
			t.Errorf("GET %s: body lacks %q", tt.path, tt.body)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestPlainTextFastPath checks that the fast path gives what goldmark gives.
func TestPlainTextFastPath(t *testing.T) {
	for _, s := range []string{"Detects usage of bitsadmin downloading a file", "A rule with \"quotes\" and 'apostrophes', commas; (parens) and 50% of it", "Ends with a dot."} {
		if !plainText(s) {
			t.Fatalf("%q should take the fast path", s)
		}
		var buf bytes.Buffer
		if err := md.Convert([]byte(s), &buf); err != nil {
			t.Fatal(err)
		}
		if got := markdown(s); got != buf.String() {
			t.Errorf("fast path %q, goldmark %q", got, buf.String())
		}
	}
}
