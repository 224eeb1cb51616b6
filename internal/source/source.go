// Package source holds what the per-layout readers (escu, sigma, elastic)
// share: the Reader interface, file discovery and a parallel file parser.
// A reader turns the files of one ruleset into rule.Rule values; it reads
// each file once and never fails on a bad file: that file's rule (or a
// placeholder rule named after the file) carries the problem.
package source

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"ruledex/internal/rule"
)

// Reader loads one ruleset.
type Reader interface {
	// Read loads every rule under root (a folder or a single rule file).
	// It returns an error only when root cannot be read at all.
	Read(root string) (*Result, error)
}

// Result is what a reader found in a ruleset.
type Result struct {
	Rules []*rule.Rule
	// Problems are problems of files that are not rules (a broken macro
	// or data source file), with the file named in the message.
	Problems []FileProblem
	// Stories are the ruleset's named groups of rules (ESCU analytic
	// stories), which rules refer to by name.
	Stories []Story
	// Notes are facts about the ruleset worth showing on the source page
	// ("189 macros, 205 data sources").
	Notes []string
}

// Story is a named group of rules with a description.
type Story struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Narrative   string `json:"narrative,omitempty"`
	File        string `json:"file"`
}

// FileProblem is a problem of a file that is not itself a rule.
type FileProblem struct {
	File string `json:"file"` // relative to the ruleset root
	rule.Problem
}

// Files lists the regular files under root whose names end in one of exts
// (".yml"), sorted, as paths relative to root with forward slashes. When
// root is itself a file it is returned as its base name. Hidden folders
// (".git") are skipped.
func Files(root string, exts ...string) ([]string, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{filepath.Base(root)}, nil
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		name := strings.ToLower(d.Name())
		for _, e := range exts {
			if strings.HasSuffix(name, e) {
				rel, err := filepath.Rel(root, p)
				if err != nil {
					return err
				}
				out = append(out, filepath.ToSlash(rel))
				break
			}
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// RootDir is the folder paths from Files are relative to.
func RootDir(root string) string {
	if st, err := os.Stat(root); err == nil && !st.IsDir() {
		return filepath.Dir(root)
	}
	return root
}

// Parallel calls fn(i) for i in [0, n) on GOMAXPROCS workers and returns
// when all calls are done. fn must only write to its own index's slot.
func Parallel(n int, fn func(i int)) {
	ParallelN(n, runtime.GOMAXPROCS(0), fn)
}

// ParallelN is Parallel on the given number of workers (for work that
// waits on the kernel more than on the CPU, such as creating files).
func ParallelN(n, workers int, fn func(i int)) {
	if workers > n {
		workers = n
	}
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// MaxFileSize is the largest rule file a reader parses; larger files get a
// problem instead (community files are untrusted input).
const MaxFileSize = 4 << 20

// ReadFile reads a rule file, refusing files over MaxFileSize.
func ReadFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, &TooLargeError{Path: path, Size: st.Size()}
	}
	return os.ReadFile(path)
}

// TooLargeError is returned by ReadFile for files over MaxFileSize.
type TooLargeError struct {
	Path string
	Size int64
}

func (e *TooLargeError) Error() string {
	return "file is " + humanSize(e.Size) + ", over the " + humanSize(MaxFileSize) + " limit for a rule file; split it or check that it is a rule"
}

func humanSize(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
