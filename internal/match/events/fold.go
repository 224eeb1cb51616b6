package events

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// Case-insensitive matching compares folded strings. Fold maps every rune
// to one representative of its Unicode simple case-folding orbit (the lower
// case of the orbit's smallest rune), so two strings are equal under simple folding exactly when their
// folds are equal, and a string contains another under folding when its
// fold contains the other's fold. strings.ToLower does not give that (the
// Kelvin sign K folds with k, ſ with s), and the prefilter depends on it.

// Fold returns s folded; it returns s itself when s is already folded.
func Fold(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return string(AppendFold(make([]byte, 0, len(s)), s))
		}
	}
	return s
}

// AppendFold appends the fold of s to dst.
func AppendFold(dst []byte, s string) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(s))[:n+len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return appendFoldSlow(dst[:n+i], s[i:])
		}
		dst[n+i] = asciiFold[c]
	}
	return dst
}

// asciiFold lowers ASCII letters.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return
}()

// appendFoldSlow folds text with non-ASCII runes.
func appendFoldSlow(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, asciiFold[c])
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			// Invalid UTF-8 stays as its byte: it folds only to itself.
			dst = append(dst, s[i])
			i++
			continue
		}
		dst = utf8.AppendRune(dst, foldRune(r))
		i += n
	}
	return dst
}

// foldRune is the orbit representative of r: the lower case of the
// orbit's smallest rune (a function of the orbit, so the same for all its
// members).
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < least {
			least = f
		}
	}
	return unicode.ToLower(least)
}

// isFolded reports whether s is its own fold (ASCII fast path).
func isFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
