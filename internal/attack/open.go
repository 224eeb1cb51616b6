package attack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// DefaultURL is MITRE's latest Enterprise ATT&CK release as one STIX 2.1
// bundle, from the mitre-attack/attack-stix-data repository.
const DefaultURL = "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json"

// Options control how Open finds a bundle.
type Options struct {
	// CacheDir holds downloaded bundles; "" means
	// os.UserCacheDir()/ruledex/attack.
	CacheDir string
	// Client downloads; nil means a client that gives up on a server that
	// has not answered within 30 s (the body may take longer: it is bounded
	// by the context).
	Client *http.Client
	// Offline never touches the network: a URL must be in the cache.
	Offline bool
	// Refresh downloads a cached URL again; when that fails the cached
	// copy is used.
	Refresh bool
	// Progress, when set, receives one-line status messages (downloading,
	// using the cache, falling back to it).
	Progress func(string)
}

// Open loads a bundle from spec: "" means DefaultURL; an http(s) URL; else
// a file path (plain JSON or gzip; a file:// URL is a path too).
//
// A URL is downloaded once into the cache and reused from there (Refresh
// downloads it again). A download that fails while a cached copy exists
// falls back to the copy and says so through Progress. When there is no
// usable copy and the network is off limits or fails, Open returns an
// *UnavailableError that says how to supply the bundle by hand.
func Open(ctx context.Context, spec string, opt Options) (*Matrix, error) {
	if spec == "" {
		spec = DefaultURL
	}
	if isURL(spec) {
		return openURL(ctx, spec, opt)
	}
	path := strings.TrimPrefix(spec, "file://")
	if opt.Progress != nil {
		opt.Progress("reading the ATT&CK bundle " + path)
	}
	return ParseFile(path)
}

func isURL(spec string) bool {
	lower := strings.ToLower(spec)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}

// UnavailableError says that a bundle could not be had and how to supply
// it by hand.
type UnavailableError struct {
	URL       string // what was asked for
	CachePath string // where a downloaded copy is looked for; "" when there is no cache folder
	Offline   bool   // the network was off limits
	Err       error  // why the download or the cached copy failed; nil when offline with no copy
}

func (e *UnavailableError) Error() string {
	var b strings.Builder
	b.WriteString("ATT&CK bundle unavailable: ")
	switch {
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	case e.Offline:
		fmt.Fprintf(&b, "working offline and no cached copy of %s", e.URL)
	default:
		fmt.Fprintf(&b, "could not get %s", e.URL)
	}
	b.WriteString(".\nSupply it one of these ways:\n")
	b.WriteString("  - pass --attack FILE with a STIX 2.1 bundle (.json or .json.gz), such as enterprise-attack.json from https://github.com/mitre-attack/attack-stix-data;\n")
	if e.CachePath != "" {
		fmt.Fprintf(&b, "  - download %s by hand and save it as %s", e.URL, e.CachePath)
	} else {
		fmt.Fprintf(&b, "  - download %s by hand and pass it with --attack", e.URL)
	}
	if e.Offline {
		b.WriteString(";\n  - or run again with network access")
	}
	b.WriteString(".")
	return b.String()
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// cachePathFor names a URL's cached copy: the URL's file name, made
// unique by a hash of the whole URL (two releases may share a name).
func cachePathFor(dir, rawURL string) string {
	base := "bundle.json"
	if u, err := url.Parse(rawURL); err == nil {
		if b := strings.TrimLeft(path.Base(u.EscapedPath()), "."); b != "" && b != "/" {
			base = b
		}
	}
	base = strings.Map(func(r rune) rune {
		if r == '-' || r == '.' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, base)
	sum := sha256.Sum256([]byte(rawURL))
	tag := hex.EncodeToString(sum[:4])
	// enterprise-attack.json → enterprise-attack.1a2b3c4d.json; x.json.gz → x.1a2b3c4d.json.gz
	suffix := filepath.Ext(base)
	if suffix == ".gz" {
		suffix = filepath.Ext(strings.TrimSuffix(base, ".gz")) + ".gz"
	}
	return filepath.Join(dir, strings.TrimSuffix(base, suffix)+"."+tag+suffix)
}

func cacheDir(opt Options) string {
	if opt.CacheDir != "" {
		return opt.CacheDir
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "ruledex", "attack")
}

func openURL(ctx context.Context, rawURL string, opt Options) (*Matrix, error) {
	say := func(format string, args ...any) {
		if opt.Progress != nil {
			opt.Progress(fmt.Sprintf(format, args...))
		}
	}
	dir := cacheDir(opt)
	cachePath := ""
	if dir != "" {
		cachePath = cachePathFor(dir, rawURL)
	} else {
		say("no user cache folder (set CacheDir); the ATT&CK bundle is not cached")
	}
	unavailable := func(err error) error {
		return &UnavailableError{URL: rawURL, CachePath: cachePath, Offline: opt.Offline, Err: err}
	}

	// The cached copy, read now unless a refresh may make it unnecessary.
	var cached *Matrix
	var cacheErr error
	readCache := func() {
		if cachePath != "" {
			cached, cacheErr = parseCached(cachePath, rawURL)
			if errors.Is(cacheErr, os.ErrNotExist) {
				cacheErr = nil
			}
		}
	}
	if !opt.Refresh || opt.Offline {
		readCache()
		if cached != nil {
			say("using the cached ATT&CK bundle %s (%s)", cachePath, cached.Label())
			return cached, nil
		}
	}
	if opt.Offline {
		if cacheErr != nil {
			return nil, unavailable(fmt.Errorf("working offline and the cached copy is unreadable (delete it): %w", cacheErr))
		}
		return nil, unavailable(nil)
	}
	if cacheErr != nil {
		say("the cached ATT&CK bundle is unreadable (%v); downloading it again", cacheErr)
	}

	say("downloading the ATT&CK bundle %s", rawURL)
	data, err := download(ctx, client(opt), rawURL)
	var m *Matrix
	if err == nil {
		if m, err = parseBytes(data); err != nil {
			err = fmt.Errorf("%s did not hold a usable STIX bundle: %w", rawURL, err)
		}
	}
	if err != nil {
		if opt.Refresh {
			readCache()
		}
		if cached != nil {
			say("downloading the ATT&CK bundle failed (%v); using the cached copy %s (%s)", err, cachePath, cached.Label())
			return cached, nil
		}
		return nil, unavailable(err)
	}
	m.setSource(rawURL)
	if cachePath != "" {
		if err := writeAtomic(cachePath, data); err != nil {
			say("could not cache the ATT&CK bundle: %v", err)
		} else {
			m.CachePath = cachePath
			say("downloaded %s (%.1f MB) into %s", m.Label(), float64(len(data))/1e6, cachePath)
		}
	}
	return m, nil
}

// parseCached reads a cached copy; its Source is the URL it came from.
func parseCached(cachePath, rawURL string) (*Matrix, error) {
	data, err := readFile(cachePath)
	if err != nil {
		return nil, err
	}
	m, err := parseBytes(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cachePath, err)
	}
	m.setSource(rawURL)
	m.CachePath = cachePath
	return m, nil
}

// writeAtomic writes through a temporary file and a rename, so that a
// crash or a concurrent run never leaves half a bundle in the cache.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".download-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), path)
	}
	if werr != nil {
		os.Remove(f.Name())
	}
	return werr
}
