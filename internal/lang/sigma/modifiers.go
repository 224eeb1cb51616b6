package sigma

import (
	"fmt"
	"strings"
)

// modClass groups the modifiers of the Sigma modifiers appendix by what
// they do to a value.
type modClass int

const (
	modWrap      modClass = iota + 1 // contains, startswith, endswith: wildcards around the value
	modAll                           // all: values AND instead of OR
	modCased                         // cased: case-sensitive comparison
	modBase64                        // base64, base64offset: encode the value
	modUTF16                         // utf16le, utf16be, utf16, wide: re-encode before base64
	modWindash                       // windash: dash variants
	modRegex                         // re: regular expression
	modRegexFlag                     // i, m, s after re
	modCIDR                          // cidr: network
	modCompare                       // gt, gte, lt, lte
	modNeq                           // neq: not equal
	modExists                        // exists: true/false
	modFieldRef                      // fieldref: value names another field
	modExpand                        // expand: value holds %placeholders%
	modTimePart                      // minute … year: compare a part of a date
)

// modifiers maps each modifier name of the specification to its class.
var modifiers = map[string]modClass{
	"contains": modWrap, "startswith": modWrap, "endswith": modWrap,
	"all": modAll, "cased": modCased,
	"base64": modBase64, "base64offset": modBase64,
	"utf16le": modUTF16, "utf16be": modUTF16, "utf16": modUTF16, "wide": modUTF16,
	"windash": modWindash,
	"re":      modRegex, "i": modRegexFlag, "m": modRegexFlag, "s": modRegexFlag,
	"cidr": modCIDR,
	"gt":   modCompare, "gte": modCompare, "lt": modCompare, "lte": modCompare,
	"neq":      modNeq,
	"exists":   modExists,
	"fieldref": modFieldRef,
	"expand":   modExpand,
	"minute":   modTimePart, "hour": modTimePart, "day": modTimePart,
	"week": modTimePart, "month": modTimePart, "year": modTimePart,
}

// valueType is what a modifier chain makes of its values.
type valueType int

const (
	typeString   valueType = iota // wildcard string (the default)
	typeRegex                     // re
	typeCIDR                      // cidr
	typeCompare                   // gt/gte/lt/lte
	typeExists                    // exists
	typeFieldRef                  // fieldref
)

// chain is a validated modifier chain.
type chain struct {
	written   []string // as written, for Predicate.Op
	typ       valueType
	compare   string // gt, gte, lt, lte
	all       bool
	cased     bool
	neq       bool
	expand    bool
	timePart  string
	flags     string   // regex flags in the order written
	transform []string // string transformations in order: windash, utf16*, base64*, contains/startswith/endswith
}

// errUnknownModifier is a modifier the specification does not define.
type errUnknownModifier struct{ name string }

func (e errUnknownModifier) Error() string {
	if e.name == "" {
		return "empty modifier (two | in a row, or a trailing |); remove the extra |"
	}
	msg := fmt.Sprintf("unknown modifier `%s`", e.name)
	if lower := strings.ToLower(e.name); lower != e.name && modifiers[lower] != 0 {
		return msg + fmt.Sprintf("; modifiers are lowercase: write `%s`", lower)
	}
	if near := closestModifier(e.name); near != "" {
		return msg + fmt.Sprintf("; did you mean `%s`?", near)
	}
	return msg + "; the Sigma modifiers are contains, startswith, endswith, all, cased, exists, neq, windash, re (with i, m, s), base64, base64offset, utf16le, utf16be, utf16, wide, cidr, gt, gte, lt, lte, fieldref, expand, minute, hour, day, week, month, year"
}

// parseChain checks a modifier chain against the specification. It returns
// errUnknownModifier for names it does not know and a plain error for
// combinations that make no sense; the chain is still usable after a plain
// error (the offending modifier is ignored).
func parseChain(mods []string) (chain, []error) {
	c := chain{written: mods}
	var errs []error
	wrapped := ""
	encoded := false
	for _, m := range mods {
		class, ok := modifiers[m]
		if !ok {
			return c, []error{errUnknownModifier{m}}
		}
		switch class {
		case modWrap:
			if wrapped != "" {
				errs = append(errs, fmt.Errorf("`%s` after `%s`: a value takes one of contains, startswith, endswith", m, wrapped))
				continue
			}
			wrapped = m
			c.transform = append(c.transform, m)
		case modAll:
			c.all = true
		case modCased:
			c.cased = true
		case modBase64:
			if wrapped != "" {
				errs = append(errs, fmt.Errorf("`%s` after `%s` would encode the wildcards; put it first, as in `|%s|%s`", m, wrapped, m, wrapped))
				continue
			}
			encoded = true
			c.transform = append(c.transform, m)
		case modUTF16:
			if encoded {
				errs = append(errs, fmt.Errorf("`%s` after base64 has no effect; it goes before, as in `|%s|base64offset|contains`", m, m))
				continue
			}
			c.transform = append(c.transform, m)
		case modWindash:
			c.transform = append(c.transform, m)
		case modRegex:
			c.typ = setType(c.typ, typeRegex, m, &errs)
		case modRegexFlag:
			if c.typ != typeRegex {
				errs = append(errs, fmt.Errorf("regex flag `%s` without `re` before it; write `|re|%s`", m, m))
				continue
			}
			if !strings.Contains(c.flags, m) {
				c.flags += m
			}
		case modCIDR:
			c.typ = setType(c.typ, typeCIDR, m, &errs)
		case modCompare:
			c.typ = setType(c.typ, typeCompare, m, &errs)
			c.compare = m
		case modNeq:
			c.neq = true
		case modExists:
			c.typ = setType(c.typ, typeExists, m, &errs)
		case modFieldRef:
			c.typ = setType(c.typ, typeFieldRef, m, &errs)
		case modExpand:
			c.expand = true
		case modTimePart:
			if c.timePart != "" {
				errs = append(errs, fmt.Errorf("`%s` after `%s`: a value takes one time part", m, c.timePart))
				continue
			}
			c.timePart = m
		}
	}
	if c.typ != typeString && c.typ != typeFieldRef && len(c.transform) > 0 {
		errs = append(errs, fmt.Errorf("`%s` does not apply to %s values; it is ignored", c.transform[0], typeName(c.typ)))
		c.transform = nil
	}
	return c, errs
}

// setType records the value type a modifier sets, refusing a second one.
func setType(cur, t valueType, m string, errs *[]error) valueType {
	if cur != typeString && cur != t {
		*errs = append(*errs, fmt.Errorf("`%s` conflicts with the %s modifier before it; split the test into two fields of one selection", m, typeName(cur)))
		return cur
	}
	return t
}

func typeName(t valueType) string {
	switch t {
	case typeRegex:
		return "re"
	case typeCIDR:
		return "cidr"
	case typeCompare:
		return "comparison"
	case typeExists:
		return "exists"
	case typeFieldRef:
		return "fieldref"
	}
	return "string"
}

// op is the chain as written, for Predicate.Op: "|contains|all", "" for none.
func (c chain) op() string {
	if len(c.written) == 0 {
		return ""
	}
	return "|" + strings.Join(c.written, "|")
}

// closestModifier returns the known modifier within two edits of name
// (for typos such as "contians"), or "".
func closestModifier(name string) string {
	if len(name) < 4 || len(name) > 32 {
		return ""
	}
	best, bestD := "", 3
	for m := range modifiers {
		if len(m) < 4 {
			continue
		}
		if d := editDistance(name, m); d < bestD || (d == bestD && m < best) {
			best, bestD = m, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (with adjacent
// transpositions) of two short strings.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
