package attack

import "strings"

// ATT&CK ids are a prefix and four digits; a sub-technique adds a dot and
// three. These checks run for every reference of every rule, so they are
// written out rather than left to regexp.

// isID reports whether s is prefix followed by exactly four digits.
func isID(s, prefix string) bool {
	return len(s) == len(prefix)+4 && strings.HasPrefix(s, prefix) && allDigits(s[len(prefix):])
}

// isTechniqueID reports whether s is T1234 or T1234.001.
func isTechniqueID(s string) bool {
	switch len(s) {
	case 5:
		return isID(s, "T")
	case 9:
		return isID(s[:5], "T") && s[5] == '.' && allDigits(s[6:])
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// idKind is the kind an upper-case id's shape implies, "" for none (a
// tactic written by name, say).
func idKind(id string) string {
	switch {
	case isID(id, "TA"):
		return "tactic"
	case isTechniqueID(id):
		return "technique"
	case isID(id, "G"):
		return "group"
	case isID(id, "S"):
		return "software"
	case isID(id, "C"):
		return "campaign"
	case isID(id, "DS"):
		return "data-source"
	}
	return ""
}

// normalizeID upper-cases and trims an id, without allocating when it is
// already clean (the readers normalise, so it usually is).
func normalizeID(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= 0x80 {
			return strings.ToUpper(s)
		}
	}
	return s
}
