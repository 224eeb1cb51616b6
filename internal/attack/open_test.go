package attack

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// bundleServer serves the fixture as plain JSON at /plain/enterprise-attack.json
// and gzip-compressed at /gz/enterprise-attack.json.gz, counting requests.
type bundleServer struct {
	*httptest.Server
	hits atomic.Int32
}

func newBundleServer(t *testing.T) *bundleServer {
	t.Helper()
	plain, err := os.ReadFile("testdata/mini-attack.json")
	if err != nil {
		t.Fatal(err)
	}
	gz := gzipped(t, plain)
	noCollection := bundle(tacticAJSON, techniqueJSON)
	s := &bundleServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		switch r.URL.Path {
		case "/plain/enterprise-attack.json":
			w.Write(plain)
		case "/gz/enterprise-attack.json.gz":
			w.Write(gz)
		case "/named/enterprise-attack-17.1.json":
			w.Write([]byte(noCollection))
		case "/garbage.json":
			w.Write([]byte("<html>rate limited</html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// recorder collects Progress messages.
type recorder struct{ msgs []string }

func (r *recorder) progress(s string) { r.msgs = append(r.msgs, s) }

func (r *recorder) said(sub string) bool {
	for _, m := range r.msgs {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

func TestOpenDownloadsOnceThenUsesTheCache(t *testing.T) {
	srv := newBundleServer(t)
	for _, path := range []string{"/plain/enterprise-attack.json", "/gz/enterprise-attack.json.gz"} {
		t.Run(path, func(t *testing.T) {
			srv.hits.Store(0)
			dir := t.TempDir()
			url := srv.URL + path
			var rec recorder
			opt := Options{CacheDir: dir, Progress: rec.progress}
			m, err := Open(context.Background(), url, opt)
			if err != nil {
				t.Fatal(err)
			}
			if m.Version != "9.9" || m.Source != url || srv.hits.Load() != 1 || !rec.said("downloading") {
				t.Fatalf("first: version %q, source %q, hits %d, progress %q", m.Version, m.Source, srv.hits.Load(), rec.msgs)
			}
			if _, err := os.Stat(m.CachePath); err != nil || filepath.Dir(m.CachePath) != dir {
				t.Fatalf("cache path %q: %v", m.CachePath, err)
			}
			rec = recorder{}
			opt.Progress = rec.progress
			again, err := Open(context.Background(), url, opt)
			if err != nil {
				t.Fatal(err)
			}
			if srv.hits.Load() != 1 {
				t.Errorf("second Open touched the server (%d requests)", srv.hits.Load())
			}
			if again.Version != "9.9" || again.Source != url || again.CachePath != m.CachePath || !rec.said("using the cached ATT&CK bundle") {
				t.Errorf("second: %q %q %q, progress %q", again.Version, again.Source, again.CachePath, rec.msgs)
			}
		})
	}
}

func TestOpenServerDownUsesTheCache(t *testing.T) {
	srv := newBundleServer(t)
	dir := t.TempDir()
	url := srv.URL + "/plain/enterprise-attack.json"
	if _, err := Open(context.Background(), url, Options{CacheDir: dir}); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	var rec recorder
	m, err := Open(context.Background(), url, Options{CacheDir: dir, Refresh: true, Progress: rec.progress})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "9.9" || !rec.said("failed") || !rec.said("using the cached copy") {
		t.Errorf("version %q, progress %q", m.Version, rec.msgs)
	}
	// Offline with a cache is fine too.
	if _, err := Open(context.Background(), url, Options{CacheDir: dir, Offline: true}); err != nil {
		t.Error(err)
	}
}

func TestOpenRefreshDownloadsAgain(t *testing.T) {
	srv := newBundleServer(t)
	dir := t.TempDir()
	url := srv.URL + "/plain/enterprise-attack.json"
	for i := 0; i < 2; i++ {
		if _, err := Open(context.Background(), url, Options{CacheDir: dir, Refresh: true}); err != nil {
			t.Fatal(err)
		}
	}
	if srv.hits.Load() != 2 {
		t.Errorf("%d requests, want 2", srv.hits.Load())
	}
}

func TestOpenUnavailable(t *testing.T) {
	srv := newBundleServer(t)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL + "/enterprise-attack.json"
	down.Close()
	tests := []struct {
		name    string
		url     string
		offline bool
		want    []string
	}{
		{"offline without a cache", srv.URL + "/plain/enterprise-attack.json", true,
			[]string{"working offline and no cached copy of " + srv.URL, "--attack FILE", "download " + srv.URL + "/plain/enterprise-attack.json by hand and save it as ", "run again with network access"}},
		{"server down without a cache", downURL, false,
			[]string{"downloading " + downURL, "--attack FILE", "by hand and save it as"}},
		{"not found", srv.URL + "/missing.json", false,
			[]string{"the server answered 404 Not Found", "--attack FILE"}},
		{"not a bundle", srv.URL + "/garbage.json", false,
			[]string{"did not hold a usable STIX bundle", "line 1, column 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			hits := srv.hits.Load()
			_, err := Open(context.Background(), tt.url, Options{CacheDir: dir, Offline: tt.offline})
			var ue *UnavailableError
			if !errors.As(err, &ue) {
				t.Fatalf("error %v (%T), want *UnavailableError", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\n does not contain %q", err, w)
				}
			}
			if ue.URL != tt.url || !strings.HasPrefix(ue.CachePath, dir) {
				t.Errorf("URL %q, CachePath %q", ue.URL, ue.CachePath)
			}
			if tt.offline && srv.hits.Load() != hits {
				t.Error("offline Open touched the server")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("the cache holds %d files after a failure", len(entries))
			}
		})
	}
}

func TestOpenCorruptCache(t *testing.T) {
	srv := newBundleServer(t)
	dir := t.TempDir()
	url := srv.URL + "/plain/enterprise-attack.json"
	path := cachePathFor(dir, url)
	os.WriteFile(path, []byte(`{"objects": [{"type": "attack-pat`), 0o644)

	_, err := Open(context.Background(), url, Options{CacheDir: dir, Offline: true})
	var ue *UnavailableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "cached copy is unreadable (delete it)") || !strings.Contains(err.Error(), path) {
		t.Errorf("offline with a corrupt cache: %v", err)
	}

	var rec recorder
	m, err := Open(context.Background(), url, Options{CacheDir: dir, Progress: rec.progress})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "9.9" || srv.hits.Load() != 1 || !rec.said("unreadable") {
		t.Errorf("version %q, hits %d, progress %q", m.Version, srv.hits.Load(), rec.msgs)
	}
	if _, err := ParseFile(path); err != nil {
		t.Errorf("the cache was not repaired: %v", err)
	}
}

func TestOpenVersionFromURLName(t *testing.T) {
	srv := newBundleServer(t)
	dir := t.TempDir()
	url := srv.URL + "/named/enterprise-attack-17.1.json"
	for i := 0; i < 2; i++ { // downloaded, then cached
		m, err := Open(context.Background(), url, Options{CacheDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if m.Version != "17.1" {
			t.Errorf("run %d: version %q (%s)", i, m.Version, m.VersionSource)
		}
	}
}

func TestOpenFiles(t *testing.T) {
	for _, spec := range []string{"testdata/mini-attack.json", "file://testdata/mini-attack.json"} {
		m, err := Open(context.Background(), spec, Options{Offline: true})
		if err != nil {
			t.Fatal(err)
		}
		if m.Source != "testdata/mini-attack.json" || m.CachePath != "" || m.Version != "9.9" {
			t.Errorf("%s: source %q, cache %q, version %q", spec, m.Source, m.CachePath, m.Version)
		}
	}
	gzPath := filepath.Join(t.TempDir(), "mini.json.gz")
	plain, _ := os.ReadFile("testdata/mini-attack.json")
	os.WriteFile(gzPath, gzipped(t, plain), 0o644)
	if _, err := Open(context.Background(), gzPath, Options{}); err != nil {
		t.Error(err)
	}
}

func TestOpenDefaultURLOffline(t *testing.T) {
	_, err := Open(context.Background(), "", Options{CacheDir: t.TempDir(), Offline: true})
	var ue *UnavailableError
	if !errors.As(err, &ue) || ue.URL != DefaultURL || !strings.Contains(err.Error(), DefaultURL) {
		t.Errorf("error %v", err)
	}
}

func TestOpenCancelled(t *testing.T) {
	srv := newBundleServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Open(ctx, srv.URL+"/plain/enterprise-attack.json", Options{CacheDir: t.TempDir()})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestCachePathFor(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://example.com/a/enterprise-attack.json", `^enterprise-attack\.[0-9a-f]{8}\.json$`},
		{"https://example.com/a/enterprise-attack-18.1.json.gz", `^enterprise-attack-18\.1\.[0-9a-f]{8}\.json\.gz$`},
		{"https://example.com/", `^bundle\.[0-9a-f]{8}\.json$`},
		{"https://example.com/x?y=../../etc", `^x\.[0-9a-f]{8}$`},
		{"https://example.com/we%20ird%2F..name.json", `^we_20ird_2F\.\.name\.[0-9a-f]{8}\.json$`},
		{"https://example.com/..", `^bundle\.[0-9a-f]{8}\.json$`},
	}
	for _, tt := range tests {
		got := cachePathFor("/cache", tt.url)
		if filepath.Dir(got) != "/cache" || !matches(tt.want, filepath.Base(got)) {
			t.Errorf("cachePathFor(%q) = %q, want %s", tt.url, got, tt.want)
		}
	}
	if cachePathFor("/c", "https://a.example/x.json") == cachePathFor("/c", "https://b.example/x.json") {
		t.Error("two URLs share a cache file")
	}
}

func matches(pattern, s string) bool {
	return regexp.MustCompile(pattern).MatchString(s)
}
