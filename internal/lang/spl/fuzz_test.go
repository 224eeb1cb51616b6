package spl

import (
	"strings"
	"testing"

	"ruledex/internal/rule"
)

// fuzzSeeds are the fixtures of the table tests.
func fuzzSeeds() []string {
	seeds := append([]string{}, roundTripQueries...)
	seeds = append(seeds,
		"`sysmon` EventCode=1 | `two_stages` | `drop_dm_object_name(Processes)` | `ctime(firstTime)` | `x_filter`",
		"index=a [search index=b | fields user] | join type=inner dest [| tstats count where host=h by dest] | stats count",
		`a=1 | appendpipe [| map search="search b=\"x y\" `+"`sysmon`"+`" | fields - c]`,
		"a=1 ```comment | pipe``` b=2\n| where\n len(p) > 10",
		"x=1 `loop_a` | `self` | `nowhere(1,2)`",
		`| eval a=lower(b), 'c d'=if(x>1, "y", "z") | rename "Web".* AS * | foreach x* [eval a=1]`,
		`| rex field=process "(?<x>\d+)" | regex p!="^a" | lookup t f AS g OUTPUT o`,
		`x=1 | where searchmatch("p=*x*") AND cidrmatch("10.0.0.0/8", src) AND like(p, "%a_b%")`,
		"a=\"unterminated | b=(1 | c=[x | ]",
	)
	return seeds
}

// FuzzParse parses arbitrary queries with an arbitrary macro definition:
// Parse must never panic (it would report an internal error), stages must
// be numbered in order, and every printed filter must parse again.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, "a=1 OR `m2`")
	}
	f.Add("`m` `f(x)`", "`f($a$)` [search `m`]")
	f.Fuzz(func(t *testing.T, query, def string) {
		macros := NewMacros(append(testMacrosDefs(), Macro{Name: "m", Definition: def},
			Macro{Name: "f", Args: []string{"a"}, Definition: def + " $a$"}))
		res := Parse(query, macros)
		checkResult(t, query, res)
		for _, st := range res.Stages {
			if st.Expr == nil {
				continue
			}
			printed := Print(st.Expr)
			q := printed
			if needsEval(st.Expr) {
				q = "| where " + printed
			}
			again := Parse(q, nil)
			checkResult(t, q, again)
			if len(again.Problems) == 0 && len(again.Stages) > 0 && st.Command != "regex" && !sameTree(st.Expr, again.Stages[0].Expr) {
				t.Fatalf("%q stage %d printed as %q\n  first  %s\n  second %s", query, st.Index, printed, sexpr(st.Expr), sexpr(again.Stages[0].Expr))
			}
		}
	})
}

func checkResult(t *testing.T, query string, res *Result) {
	t.Helper()
	for _, pr := range res.Problems {
		if strings.Contains(pr.Message, "internal error") {
			t.Fatalf("%q: %s", query, pr.Message)
		}
		if pr.Kind == "" {
			t.Fatalf("%q: problem without kind: %+v", query, pr)
		}
	}
	for i, st := range res.Stages {
		if st.Index != i+1 {
			t.Fatalf("%q: stage %d has index %d", query, i+1, st.Index)
		}
		rule.Walk(st.Expr, func(e rule.Expr, _ int) bool {
			if p, ok := e.(*rule.Predicate); ok && len(p.Values) == 0 {
				t.Fatalf("%q: predicate without values: %+v", query, p)
			}
			return true
		})
	}
}

// FuzzLex lexes arbitrary text in both modes: tokens must lie in order
// inside the text, hold the text they cover, and end with EOF or an error.
func FuzzLex(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := scanStructure(text)
		for _, mode := range []lexMode{modeSearch, modeEval} {
			items := lex(s, 0, len(text), mode, nil)
			if len(items) == 0 {
				t.Fatalf("%q: no items", text)
			}
			last := items[len(items)-1]
			if last.typ != itemEOF && last.typ != itemError {
				t.Fatalf("%q: ends with %v", text, last)
			}
			prev := 0
			for _, it := range items {
				if it.pos < prev || it.end < it.pos || it.end > len(text) {
					t.Fatalf("%q: item %v at [%d,%d) after %d", text, it, it.pos, it.end, prev)
				}
				if it.typ != itemError && it.val != text[it.pos:it.end] {
					t.Fatalf("%q: item %q does not hold its text %q", text, it.val, text[it.pos:it.end])
				}
				if it.typ != itemEOF && it.typ != itemError && it.end == it.pos {
					t.Fatalf("%q: empty item %v at %d", text, it.typ, it.pos)
				}
				prev = it.end
			}
		}
		for _, seg := range s.segments(0, len(text), -1, -1) {
			if seg.lo > seg.hi || seg.hi > len(text) {
				t.Fatalf("%q: bad segment %+v", text, seg)
			}
		}
	})
}
