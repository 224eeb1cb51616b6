package match

import (
	"strings"
	"unicode/utf8"
)

// glob is a compiled wildcard pattern: * any run of characters, ? exactly
// one character; \*, \? and \\ are literal, any other backslash is itself
// (rule.Wildcard). It matches whole strings.
type glob struct {
	// parts alternate literal text and wildcards: each token is either a
	// literal (lit != "") or a wildcard (star or one).
	toks []globTok
	// simple is set when the pattern has no ?: then it is prefix, middle
	// pieces and suffix, matched with strings functions.
	simple         bool
	prefix, suffix string
	middle         []string
	hasStar        bool
	minLen         int
}

type globTok struct {
	lit  string
	star bool // *
	one  bool // ?
}

// compileGlob parses a pattern; fold folds its literal parts for matching
// against folded text.
func compileGlob(pat string, fold func(string) string) *glob {
	g := &glob{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			g.toks = append(g.toks, globTok{lit: fold(lit.String())})
			lit.Reset()
		}
	}
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch {
		case c == '\\' && i+1 < len(pat) && (pat[i+1] == '*' || pat[i+1] == '?' || pat[i+1] == '\\'):
			lit.WriteByte(pat[i+1])
			i++
		case c == '*':
			flush()
			if n := len(g.toks); n == 0 || !g.toks[n-1].star {
				g.toks = append(g.toks, globTok{star: true})
			}
			g.hasStar = true
		case c == '?':
			flush()
			g.toks = append(g.toks, globTok{one: true})
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	g.simple = true
	for _, t := range g.toks {
		if t.one {
			g.simple = false
		}
		g.minLen += len(t.lit)
	}
	if g.simple {
		toks := g.toks
		if len(toks) > 0 && !toks[0].star {
			g.prefix = toks[0].lit
			toks = toks[1:]
		}
		if len(toks) > 0 && !toks[len(toks)-1].star {
			g.suffix = toks[len(toks)-1].lit
			toks = toks[:len(toks)-1]
		}
		for _, t := range toks {
			if !t.star {
				g.middle = append(g.middle, t.lit)
			}
		}
	}
	return g
}

// match reports whether s matches the whole pattern.
func (g *glob) match(s string) bool {
	if len(s) < g.minLen {
		return false
	}
	if g.simple {
		if !g.hasStar {
			return s == g.prefix
		}
		if !strings.HasPrefix(s, g.prefix) || !strings.HasSuffix(s[len(g.prefix):], g.suffix) {
			return false
		}
		s = s[len(g.prefix) : len(s)-len(g.suffix)]
		for _, m := range g.middle {
			i := strings.Index(s, m)
			if i < 0 {
				return false
			}
			s = s[i+len(m):]
		}
		return true
	}
	return matchToks(g.toks, s)
}

// matchToks is the classic iterative wildcard match with backtracking to
// the last star: O(len(s)·len(toks)) at worst, no recursion.
func matchToks(toks []globTok, s string) bool {
	ti, si := 0, 0
	starT, starS := -1, 0
	for {
		if ti < len(toks) {
			t := toks[ti]
			switch {
			case t.star:
				starT, starS = ti, si
				ti++
				continue
			case t.one:
				if si < len(s) {
					_, n := utf8.DecodeRuneInString(s[si:])
					si += n
					ti++
					continue
				}
			default:
				if strings.HasPrefix(s[si:], t.lit) {
					si += len(t.lit)
					ti++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		// Mismatch: let the last star take one more character.
		if starT < 0 || starS >= len(s) {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starS:])
		starS += n
		ti, si = starT+1, starS
	}
}

// literals returns the literal parts of the pattern (already folded when
// the glob was compiled folded).
func (g *glob) literals() []string {
	var out []string
	for _, t := range g.toks {
		if t.lit != "" {
			out = append(out, t.lit)
		}
	}
	return out
}
