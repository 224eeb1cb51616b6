package site

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Handler serves the site from memory: every page is rendered on request
// by the same renderer that Write uses.
func (s *Site) Handler() http.Handler {
	routes := map[string]func(*bytes.Buffer) error{}
	for _, p := range s.pages() {
		routes[p.path] = p.render
	}
	routes["api/stats.json"] = func(w *bytes.Buffer) error { return writeJSON(w, s.Stats(s.c.Duration)) }
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := strings.TrimPrefix(path.Clean("/"+req.URL.Path), "/")
		if p == "" || strings.HasSuffix(req.URL.Path, "/") {
			p = path.Join(p, "index.html")
		}
		render, ok := routes[p]
		if !ok {
			// A folder asked for without its slash: redirect so that the
			// page's relative links resolve.
			if _, ok := routes[path.Join(p, "index.html")]; ok {
				http.Redirect(w, req, "/"+p+"/", http.StatusMovedPermanently)
				return
			}
			http.NotFound(w, req)
			return
		}
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			http.Error(w, "rendering "+p+": "+err.Error(), http.StatusInternalServerError)
			return
		}
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'")
		w.Write(buf.Bytes())
	})
}
