// Package sharedtest finds the shared corpus (../shared beside the
// repository) for tests and benchmarks, and skips them with a clear message
// when it is absent so that a fresh clone still passes.
package sharedtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the shared folder: $RULEDEX_SHARED, or ../shared beside the
// repository root. It returns "" when neither exists.
func Root() string {
	if d := os.Getenv("RULEDEX_SHARED"); d != "" {
		if isDir(d) {
			return d
		}
		return ""
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <repo>/internal/sharedtest/sharedtest.go
	repo := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	d := filepath.Join(filepath.Dir(repo), "shared")
	if isDir(d) {
		return d
	}
	return ""
}

// Path returns a path inside the shared folder, skipping the test when the
// shared folder or the path is absent.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	root := Root()
	if root == "" {
		tb.Skip("skipping: the shared corpus (../shared beside the repository, or $RULEDEX_SHARED) is absent")
	}
	p := filepath.Join(append([]string{root}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("skipping: %s is absent from the shared corpus", filepath.Join(elem...))
	}
	return p
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
