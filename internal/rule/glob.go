package rule

// AppendGlobLiteral appends literal text to a Wildcard or Keyword value in
// the wildcard notation: * and ? become \* and \?, and a backslash is
// doubled only where the next character would otherwise read as an escape
// (*, ? or \). next is the first byte that will follow lit in the value
// (a wildcard or the next literal), 0 at the end. Every parser writes
// patterns through this one function, so that the same pattern has the
// same value in every language and the corpus counts agree.
func AppendGlobLiteral(dst []byte, lit string, next byte) []byte {
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		switch c {
		case '*', '?':
			dst = append(dst, '\\', c)
		case '\\':
			after := next
			if i+1 < len(lit) {
				after = lit[i+1]
			}
			dst = append(dst, '\\')
			if after == '*' || after == '?' || after == '\\' {
				dst = append(dst, '\\')
			}
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// GlobLiteral is a literal string as a pattern that matches only itself.
func GlobLiteral(lit string) string {
	return string(AppendGlobLiteral(nil, lit, 0))
}
