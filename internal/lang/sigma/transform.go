package sigma

// variant is one value on its way through the string transformations.
// After a utf16 modifier the pattern holds UTF-16 bytes, which only a
// following base64 modifier turns back into text; plain keeps the value as
// written for the case where no base64 follows.
type variant struct {
	pat     pattern
	plain   pattern
	encoded bool
}

// apply runs the chain's string transformations, in the order written (the
// specification applies modifiers in the given order), on one value. It
// returns the value's variants (several after windash or base64offset) and
// false when windash had to shorten its permutations.
func (c chain) apply(p pattern) ([]pattern, bool) {
	if len(c.transform) == 0 {
		return []pattern{p}, true
	}
	vs := []variant{{pat: p}}
	complete := true
	for _, t := range c.transform {
		switch t {
		case "contains", "startswith", "endswith":
			before, after := t != "startswith", t != "endswith"
			for i := range vs {
				vs[i].pat = vs[i].pat.wrap(before, after)
				if vs[i].encoded {
					vs[i].plain = vs[i].plain.wrap(before, after)
				}
			}
		case "windash":
			out := make([]variant, 0, len(vs)*len(windashChars))
			for _, v := range vs {
				if v.encoded {
					out = append(out, v)
					continue
				}
				pats, ok := windash(v.pat)
				complete = complete && ok
				for _, q := range pats {
					out = append(out, variant{pat: q})
				}
			}
			vs = out
		case "utf16le", "utf16be", "utf16", "wide":
			for i := range vs {
				if !vs[i].encoded {
					vs[i].plain = vs[i].pat
				}
				vs[i].pat = literalPattern(utf16Encode(vs[i].pat.text(), t))
				vs[i].encoded = true
			}
		case "base64":
			for i := range vs {
				vs[i] = variant{pat: literalPattern(base64Encode(vs[i].pat.text()))}
			}
		case "base64offset":
			out := make([]variant, 0, len(vs)*3)
			for _, v := range vs {
				for _, s := range base64Offsets(v.pat.text()) {
					out = append(out, variant{pat: literalPattern(s)})
				}
			}
			vs = out
		}
	}
	pats := make([]pattern, len(vs))
	for i, v := range vs {
		if v.encoded {
			// A utf16 encoding no base64 consumed: keep the value as written;
			// Predicate.Modifiers tells the matcher about the encoding.
			pats[i] = v.plain
		} else {
			pats[i] = v.pat
		}
	}
	return pats, complete
}

// applied lists the transformations the chain applied to its values that a
// reader of the predicate needs to know about (the kinds already say
// contains, startswith, endswith).
func (c chain) applied() []string {
	var out []string
	for _, t := range c.transform {
		switch t {
		case "contains", "startswith", "endswith":
		default:
			out = append(out, t)
		}
	}
	if c.expand {
		out = append(out, "expand")
	}
	return out
}
