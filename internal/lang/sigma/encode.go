package sigma

import (
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Encode returns s encoded as UTF-16 bytes: "utf16le"/"wide" little
// endian, "utf16be" big endian, "utf16" little endian after a byte order
// mark (modifiers appendix, "Encoding").
func utf16Encode(s, enc string) string {
	units := utf16.Encode([]rune(s))
	var b strings.Builder
	b.Grow(2*len(units) + 2)
	if enc == "utf16" {
		b.WriteString("\xff\xfe")
	}
	for _, u := range units {
		if enc == "utf16be" {
			b.WriteByte(byte(u >> 8))
			b.WriteByte(byte(u))
		} else {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
	}
	return b.String()
}

// base64Encode is the base64 modifier: standard alphabet with padding.
func base64Encode(s string) string {
	return base64.StdEncoding.EncodeToString([]byte(s))
}

// base64Offsets is the base64offset modifier: the value can sit at any of
// three byte offsets inside a longer base64-encoded string, and each offset
// encodes it differently. For each offset, encode the value shifted by that
// many filler bytes and keep only the characters that depend on the value
// alone: the first 0, 2 or 3 characters mix in the bytes before it, and the
// last one or two characters of an incomplete group mix in the bytes after.
func base64Offsets(s string) []string {
	startCut := [3]int{0, 2, 3}
	endCut := [3]int{0, 3, 2} // by (len+shift) % 3: characters that depend on what follows
	out := make([]string, 0, 3)
	for shift := 0; shift < 3; shift++ {
		enc := base64Encode(strings.Repeat(" ", shift) + s)
		end := len(enc) - endCut[(len(s)+shift)%3]
		start := startCut[shift]
		if end < start {
			end = start
		}
		out = append(out, enc[start:end])
	}
	return out
}

// windashChars are the characters windash makes interchangeable: hyphen,
// slash, en dash, em dash, horizontal bar.
var windashChars = []string{"-", "/", "\u2013", "\u2014", "\u2015"}

// maxWindashSpots limits the permutations of one value (5^4 = 625); a value
// with more flag dashes gets each variant with all its dashes alike.
const maxWindashSpots = 4

// windash expands a pattern into its dash variants. A character counts as a
// flag dash when it is one of windashChars, starts a word (the character
// before it is not a letter, digit or underscore) and is followed by a
// word character: " -nop" and "/c" vary, "S-1-5-18" and "ftp://" do not.
// The original spelling is one of the variants. It reports false when the
// value had too many dashes for all permutations.
func windash(p pattern) ([]pattern, bool) {
	type spot struct{ piece, at, width int }
	var spots []spot
	prevWord := false // start of value: not a word character
	for i, pc := range p {
		if pc.wild != 0 {
			prevWord = false
			continue
		}
		s := pc.lit
		for j := 0; j < len(s); {
			r, w := utf8.DecodeRuneInString(s[j:])
			if isDash(r) && !prevWord {
				if nr, ok := runeAfter(p, i, j+w); ok && isWordRune(nr) {
					spots = append(spots, spot{i, j, w})
				}
			}
			prevWord = isWordRune(r)
			j += w
		}
	}
	if len(spots) == 0 {
		return []pattern{p}, true
	}
	complete := len(spots) <= maxWindashSpots
	var choices [][]int // index into windashChars per spot
	if complete {
		n := 1
		for range spots {
			n *= len(windashChars)
		}
		for k := 0; k < n; k++ {
			c := make([]int, len(spots))
			for s, x := len(spots)-1, k; s >= 0; s-- {
				c[s] = x % len(windashChars)
				x /= len(windashChars)
			}
			choices = append(choices, c)
		}
	} else {
		for d := range windashChars {
			c := make([]int, len(spots))
			for s := range c {
				c[s] = d
			}
			choices = append(choices, c)
		}
	}
	out := make([]pattern, 0, len(choices))
	for _, c := range choices {
		q := make(pattern, len(p))
		copy(q, p)
		// Rebuild each affected literal from its spots, right to left so
		// that byte offsets stay valid.
		for s := len(spots) - 1; s >= 0; s-- {
			sp := spots[s]
			lit := q[sp.piece].lit
			q[sp.piece].lit = lit[:sp.at] + windashChars[c[s]] + lit[sp.at+sp.width:]
		}
		out = append(out, q)
	}
	return out, complete
}

// runeAfter returns the character after byte j of piece i, looking into the
// next piece; a wildcard or the end of the value is no character.
func runeAfter(p pattern, i, j int) (rune, bool) {
	if j < len(p[i].lit) {
		r, _ := utf8.DecodeRuneInString(p[i].lit[j:])
		return r, true
	}
	if i+1 < len(p) && p[i+1].wild == 0 && p[i+1].lit != "" {
		r, _ := utf8.DecodeRuneInString(p[i+1].lit)
		return r, true
	}
	return 0, false
}

func isDash(r rune) bool {
	switch r {
	case '-', '/', '\u2013', '\u2014', '\u2015':
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
