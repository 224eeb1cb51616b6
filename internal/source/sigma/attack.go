package sigma

import (
	"strings"

	"ruledex/internal/rule"
)

// attackRefs reads the ATT&CK references of Sigma tags (tags appendix):
// attack.t1234 and attack.t1234.001 are techniques, attack.ta0003 and
// attack.<tactic-name> tactics (both defense_evasion and defense-evasion
// spellings occur; the id uses ATT&CK's hyphenated short name),
// attack.g0016 groups and attack.s0190 software. Other attack.* tags (data
// sources, mitigations) stay tags only.
func attackRefs(tags []string) []rule.AttackRef {
	var out []rule.AttackRef
	seen := map[string]bool{}
	for _, tag := range tags {
		rest, ok := cutPrefixFold(tag, "attack.")
		if !ok || rest == "" {
			continue
		}
		lower := strings.ToLower(rest)
		var ref rule.AttackRef
		switch {
		case isCode(lower, "ta"):
			ref = rule.AttackRef{ID: strings.ToUpper(lower), Kind: "tactic"}
		case isTechnique(lower):
			ref = rule.AttackRef{ID: strings.ToUpper(lower), Kind: "technique"}
		case isCode(lower, "g"):
			ref = rule.AttackRef{ID: strings.ToUpper(lower), Kind: "group"}
		case isCode(lower, "s"):
			ref = rule.AttackRef{ID: strings.ToUpper(lower), Kind: "software"}
		case isTacticName(lower):
			ref = rule.AttackRef{ID: strings.ReplaceAll(lower, "_", "-"), Kind: "tactic"}
		default:
			continue
		}
		ref.Written = tag
		if seen[ref.Kind+ref.ID] {
			continue
		}
		seen[ref.Kind+ref.ID] = true
		out = append(out, ref)
	}
	return out
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// isCode reports whether s is letter prefix p followed by four digits.
func isCode(s, p string) bool {
	rest, ok := strings.CutPrefix(s, p)
	return ok && len(rest) == 4 && allDigits(rest)
}

// isTechnique reports whether s is t1234 or t1234.001.
func isTechnique(s string) bool {
	rest, ok := strings.CutPrefix(s, "t")
	if !ok || len(rest) < 4 || !allDigits(rest[:4]) {
		return false
	}
	rest = rest[4:]
	return rest == "" || (len(rest) == 4 && rest[0] == '.' && allDigits(rest[1:]))
}

// isTacticName reports whether s looks like a tactic short name:
// lowercase words joined by - or _.
func isTacticName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z') && c != '-' && c != '_' {
			return false
		}
	}
	return s != "" && s[0] != '-' && s[0] != '_'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
