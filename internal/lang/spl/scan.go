package spl

// structure is what one linear pass over the expanded text learns about its
// nesting: where each subsearch bracket closes, and which brackets and quotes
// are unbalanced. Segments and subsearches at every depth reuse it, so deep
// nesting never makes the parser re-scan text.
type structure struct {
	text  string
	close map[int]int // offset of '[' → offset of its ']'
	// Unbalanced delimiters, by offset, in order.
	unclosed   []int // '[' without ']'
	unopened   []int // ']' without '['
	unfinished int   // offset of an unterminated '"', -1 if none
}

func scanStructure(text string) *structure {
	s := &structure{text: text, unfinished: -1}
	var stack []int
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++ // an escaped character outside quotes (\" in a bare term)
		case '"':
			j := skipQuoted(text, i)
			if j == len(text) && (j-i < 2 || text[j-1] != '"' || escapedAt(text, j-1)) {
				s.unfinished = i
			}
			i = j - 1
		case '[':
			stack = append(stack, i)
		case ']':
			if len(stack) == 0 {
				s.unopened = append(s.unopened, i)
				continue
			}
			if s.close == nil {
				s.close = map[int]int{}
			}
			s.close[stack[len(stack)-1]] = i
			stack = stack[:len(stack)-1]
		}
	}
	s.unclosed = stack
	return s
}

// matching returns the ']' closing the '[' at i, or -1.
func (s *structure) matching(i int) int {
	if j, ok := s.close[i]; ok {
		return j
	}
	return -1
}

// segment is a pipe segment [lo, hi) of the expanded text; delimLo and
// delimHi are the offsets of the delimiters around it ('|', '[' or ']'),
// -1 when the segment starts or ends the text.
type segment struct {
	lo, hi           int
	delimLo, delimHi int
}

// segments splits [lo, hi) at the pipes that are not inside quotes or
// subsearch brackets.
func (s *structure) segments(lo, hi, delimLo, delimHi int) []segment {
	var out []segment
	start, dl := lo, delimLo
	for i := lo; i < hi; i++ {
		switch s.text[i] {
		case '\\':
			i++
		case '"':
			i = skipQuoted(s.text[:hi], i) - 1
		case '[':
			if j := s.matching(i); j >= 0 && j < hi {
				i = j
			}
		case '|':
			out = append(out, segment{lo: start, hi: i, delimLo: dl, delimHi: i})
			start, dl = i+1, i
		}
	}
	return append(out, segment{lo: start, hi: hi, delimLo: dl, delimHi: delimHi})
}
