package sigma

import (
	"strings"
	"testing"

	"ruledex/internal/lang"
)

func TestParseCondition(t *testing.T) {
	tests := []struct {
		in   string
		want string // FormatCond of the result, with [] around each top-level term
	}{
		{"selection", "selection"},
		{"selection and not filter", "selection and not filter"},
		{"a or b and c", "a or b and c"},
		{"(a or b) and c", "(a or b) and c"},
		{"not not a", "not not a"},
		{"1 of selection_* and not 1 of filter_*", "1 of selection_* and not 1 of filter_*"},
		{"all of them", "all of them"},
		{"1 of them", "1 of them"},
		{"selection_img and (selection_cmd or all of selection_cli_*)", "selection_img and (selection_cmd or all of selection_cli_*)"},
		{"  selection\n  and\n  (\n 1 of x*\n )\n", "selection and (1 of x*)"},
		{"selection | count() > 5", "selection | count() > 5"},
		{"selection and not filter | count(User) by Host >= 10", "selection and not filter | count(User) by Host >= 10"},
		{"selection1 | near selection2 and not exclusion", "selection1 | near selection2 and not exclusion"},
		{"sel-1.a and x", "sel-1.a and x"},
		{"all", "all"}, // an identifier that happens to be called all
	}
	for _, tt := range tests {
		c, err := ParseCondition(tt.in)
		if err != nil {
			t.Errorf("ParseCondition(%q): %v", tt.in, err)
			continue
		}
		if got := FormatCond(c); got != tt.want {
			t.Errorf("ParseCondition(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseConditionPrecedence(t *testing.T) {
	c, err := ParseCondition("a or not b and 1 of c*")
	if err != nil {
		t.Fatal(err)
	}
	or, ok := c.(*OrExpr)
	if !ok || len(or.Terms) != 2 {
		t.Fatalf("top is %T, want an OrExpr of 2 terms", c)
	}
	and, ok := or.Terms[1].(*AndExpr)
	if !ok || len(and.Terms) != 2 {
		t.Fatalf("second term is %T, want an AndExpr", or.Terms[1])
	}
	if _, ok := and.Terms[0].(*NotExpr); !ok {
		t.Errorf("not binds tighter than and: got %T", and.Terms[0])
	}
	if of, ok := and.Terms[1].(*OfExpr); !ok || of.All || of.Pattern != "c*" {
		t.Errorf("1 of c*: got %#v", and.Terms[1])
	}
}

func TestParseConditionSpans(t *testing.T) {
	in := "sel and (a or b)"
	c, err := ParseCondition(in)
	if err != nil {
		t.Fatal(err)
	}
	terms := c.(*AndExpr).Terms
	var got []string
	for _, term := range terms {
		s, e := term.Span()
		got = append(got, in[s:e])
	}
	if strings.Join(got, "|") != "sel|(a or b)" {
		t.Errorf("spans = %q", got)
	}
}

func TestParseConditionErrors(t *testing.T) {
	tests := []struct {
		in      string
		line    int
		col     int
		message string // substring
	}{
		{"", 1, 1, "empty"},
		{"selection and", 1, 14, "ends where a search identifier"},
		{"(a or b", 1, 8, "expected `)` to close the `(` at column 1"},
		{"a b", 1, 3, "join search identifiers with `and` or `or`"},
		{"a )", 1, 3, "without a matching `(`"},
		{"2 of sel*", 1, 1, "only `1 of` (any) and `all of` (every)"},
		{"1 of and", 1, 6, "expected `them` or a search identifier pattern"},
		{"a and or b", 1, 7, "found the keyword `or`"},
		{"a !b", 1, 3, "negation is the word `not`"},
		{"a\nand\n(", 3, 2, "ends where"},
		{"sel | count(", 1, 13, "expected `)`"},
		{"sel | max() > 3", 1, 7, "needs a field"},
		{"sel | count() by > 3", 1, 18, "expected a field after `by`"},
		{"sel | foo", 1, 7, "expected an aggregation"},
		{"sel | count() > 3 | count() > 4", 1, 19, "at most one"},
		{"count(x) per y > 3", 1, 6, "an aggregation goes after a `|`"},
		{"write x from sel to list %l%; then if y -> alert", 1, 7, "join search identifiers"},
	}
	for _, tt := range tests {
		_, err := ParseCondition(tt.in)
		le, ok := err.(*lang.Error)
		if !ok {
			t.Errorf("ParseCondition(%q) error = %v, want a *lang.Error", tt.in, err)
			continue
		}
		if le.Line != tt.line || le.Col != tt.col || !strings.Contains(le.Msg, tt.message) {
			t.Errorf("ParseCondition(%q) = %d:%d %q, want %d:%d containing %q", tt.in, le.Line, le.Col, le.Msg, tt.line, tt.col, tt.message)
		}
	}
}

func TestParseConditionDepth(t *testing.T) {
	deep := strings.Repeat("(", lang.MaxDepth+1) + "a" + strings.Repeat(")", lang.MaxDepth+1)
	if _, err := ParseCondition(deep); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("deep parentheses: err = %v, want a depth error", err)
	}
	nots := strings.Repeat("not ", lang.MaxDepth+1) + "a"
	if _, err := ParseCondition(nots); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("deep not chain: err = %v, want a depth error", err)
	}
	ok := strings.Repeat("(", 500) + "a" + strings.Repeat(")", 500)
	if _, err := ParseCondition(ok); err != nil {
		t.Errorf("500 parentheses: %v", err)
	}
}

func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{
		"selection", "selection and not 1 of filter_*", "(a or b) and not c", "all of them",
		"sel | count(x) by y > 3", "a | near b and not c", "((a)", "1 of", "not", "a\u2013b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(s)
		if err != nil {
			if _, ok := err.(*lang.Error); !ok {
				t.Fatalf("error %v is %T, want *lang.Error", err, err)
			}
			return
		}
		// Spans stay inside the input, and the canonical form parses again
		// to the same canonical form.
		if s0, e0 := c.Span(); s0 < 0 || e0 > len(s) || s0 > e0 {
			t.Fatalf("span %d..%d outside %d bytes", s0, e0, len(s))
		}
		out := FormatCond(c)
		c2, err := ParseCondition(out)
		if err != nil {
			t.Fatalf("FormatCond output %q does not parse: %v", out, err)
		}
		if out2 := FormatCond(c2); out2 != out {
			t.Fatalf("round trip: %q -> %q", out, out2)
		}
	})
}
