package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"ruledex/internal/attack"
	"ruledex/internal/catalog"
	"ruledex/internal/examples"
	"ruledex/internal/rule"
)

// loadFlags are the flags of every command that builds a catalog.
type loadFlags struct {
	attack   string
	offline  bool
	cacheDir string
	// slugged is catalog.Options.Slugged (not a flag: build sets it).
	slugged func([]*rule.Rule)
}

func (f *loadFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.attack, "attack", "", "ATT&CK STIX bundle: a file (.json or .json.gz), a URL, or \"none\"; default: MITRE's Enterprise bundle, downloaded once into the cache")
	cmd.Flags().BoolVar(&f.offline, "offline", false, "never download the ATT&CK bundle; use the cache or show bare technique ids")
	cmd.Flags().StringVar(&f.cacheDir, "cache-dir", "", "where downloaded ATT&CK bundles are kept (default: the user cache directory)")
}

// rulesets turns KIND=PATH arguments into rulesets; with none it extracts
// the built-in examples and returns a cleanup function.
func rulesets(args []string) ([]catalog.Ruleset, func(), error) {
	var sets []catalog.Ruleset
	for _, a := range args {
		rs, err := catalog.ParseRuleset(a)
		if err != nil {
			return nil, nil, err
		}
		if _, err := os.Stat(rs.Path); err != nil {
			return nil, nil, fmt.Errorf("ruleset %s: %w", a, err)
		}
		sets = append(sets, rs)
	}
	if len(sets) > 0 {
		return sets, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "ruledex-examples-")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	paths, err := examples.Extract(dir)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	for _, k := range examples.Kinds {
		sets = append(sets, catalog.Ruleset{Kind: k, Path: paths[k]})
	}
	return sets, cleanup, nil
}

// load builds the catalog, with a progress line on stderr when it is a
// terminal.
func load(ctx context.Context, sets []catalog.Ruleset, f loadFlags) (*catalog.Catalog, error) {
	p := newProgress()
	defer p.done()
	opt := catalog.Options{
		Attack: f.attack,
		AttackOptions: attack.Options{
			CacheDir: f.cacheDir,
			Offline:  f.offline,
			Progress: p.say,
		},
		Progress: p.say,
		Slugged:  f.slugged,
	}
	c, err := catalog.Build(ctx, sets, opt)
	p.done()
	if c != nil {
		for _, s := range c.Sources {
			if w := kindWarning(s); w != "" {
				fmt.Fprintln(os.Stderr, "ruledex: warning: "+w)
			}
		}
	}
	return c, err
}

// kindWarning says when a ruleset does not look like its KIND: no rule at
// all, or most of its files fail to load as that KIND (sigma=
// given an ESCU clone, say).
func kindWarning(s *catalog.Source) string {
	if s.Err != nil {
		return ""
	}
	if len(s.Rules) == 0 {
		return fmt.Sprintf("%s=%s holds no %s rules; is it the right KIND or folder?", s.Kind, s.Path, s.Kind)
	}
	failed := 0
	for _, r := range s.Rules {
		for _, p := range r.Problems {
			if p.Kind == "load" {
				failed++
				break
			}
		}
	}
	if 2*failed > len(s.Rules) {
		return fmt.Sprintf("%s=%s: %d of its %d rules do not load as %s rules; is it the right KIND or folder?", s.Kind, s.Path, failed, len(s.Rules), s.Kind)
	}
	return ""
}

// firstLine is the first line of a message (notes on how to supply the
// ATT&CK bundle run to several).
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// progress rewrites one status line on a terminal; elsewhere it is silent.
type progress struct {
	mu     sync.Mutex
	tty    bool
	start  time.Time
	last   string
	active bool
}

func newProgress() *progress {
	return &progress{tty: term.IsTerminal(int(os.Stderr.Fd())), start: time.Now()}
}

func (p *progress) say(msg string) {
	if !p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	line := fmt.Sprintf("%5.1fs %s", time.Since(p.start).Seconds(), msg)
	if w, _, err := term.GetSize(int(os.Stderr.Fd())); err == nil && w > 10 && len(line) > w-1 {
		line = line[:w-1]
	}
	pad := ""
	if n := len(p.last) - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprint(os.Stderr, "\r"+line+pad)
	p.last = line
	p.active = true
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.active {
		fmt.Fprint(os.Stderr, "\r"+strings.Repeat(" ", len(p.last))+"\r")
		p.active = false
	}
}
