package rule

import (
	"encoding/json"
	"reflect"
	"testing"
)

func pred(field string, neg bool, vals ...Value) *Predicate {
	return &Predicate{Field: field, Op: "=", Values: vals, Negated: neg}
}

func TestExprIndicatorsNegationParity(t *testing.T) {
	tests := []struct {
		name string
		expr Expr
		want []Indicator
	}{
		{"plain", pred("a", false, Value{Eq, "x"}), []Indicator{{Field: "a", Kind: Eq, Value: "x"}}},
		{"leaf negated", pred("a", true, Value{Eq, "x"}), []Indicator{{Field: "a", Kind: Eq, Value: "x", Negated: true}}},
		{"not over negated leaf", NewNot(pred("a", true, Value{Exists, ""})), []Indicator{{Field: "a", Kind: Exists}}},
		{"double not", NewNot(NewNot(pred("a", false, Value{Eq, "x"}))), []Indicator{{Field: "a", Kind: Eq, Value: "x"}}},
		{"list and dedupe", NewOr(pred("a", false, Value{Contains, "x"}, Value{EndsWith, ".exe"}), pred("a", false, Value{Contains, "x"})),
			[]Indicator{{Field: "a", Kind: Contains, Value: "x"}, {Field: "a", Kind: EndsWith, Value: ".exe"}}},
		{"func field", &Predicate{Field: "f", Func: "len", Values: []Value{{Gt, "10"}}}, []Indicator{{Field: "len(f)", Kind: Gt, Value: "10"}}},
		{"opaque gives none", NewAnd(&Opaque{Text: "a+b>1"}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExprIndicators(tt.expr)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNewAndFlattens(t *testing.T) {
	a, b, c := pred("a", false, Value{Eq, "1"}), pred("b", false, Value{Eq, "2"}), pred("c", false, Value{Eq, "3"})
	got := NewAnd(a, nil, NewAnd(b, c))
	if and, ok := got.(*And); !ok || len(and.Args) != 3 {
		t.Fatalf("NewAnd did not flatten: %#v", got)
	}
	if NewAnd() != nil || NewOr(nil) != nil {
		t.Fatal("empty conjunction/disjunction should be nil")
	}
	if NewAnd(a) != a {
		t.Fatal("single term should be returned as is")
	}
}

func TestStageJSONRoundTrip(t *testing.T) {
	s := Stage{Index: 1, Command: "where", Text: "where a=1", Role: RoleFilter,
		Expr: NewAnd(pred("a", false, Value{Eq, "1"}), NewNot(NewOr(pred("", false, Value{Keyword, "x"}), &Opaque{Text: "t", Reason: "r"})))}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Stage
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, back) {
		t.Errorf("round trip changed the stage:\n%s\n%+v", b, back)
	}
	var none Stage
	b, _ = json.Marshal(Stage{Index: 2, Command: "eval"})
	if err := json.Unmarshal(b, &none); err != nil || none.Expr != nil {
		t.Errorf("nil expr round trip: %v %#v (%s)", err, none.Expr, b)
	}
}

func TestFormat(t *testing.T) {
	e := NewAnd(
		NewOr(pred("Image", false, Value{EndsWith, `\bitsadmin.exe`}), pred("OriginalFileName", false, Value{Eq, "bitsadmin.exe"})),
		NewNot(pred("CommandLine", false, Value{Contains, "x"}, Value{Contains, "y"})),
		pred("a", true, Value{Exists, ""}),
	)
	want := `(Image ends_with "\\bitsadmin.exe" or OriginalFileName eq "bitsadmin.exe") and not (CommandLine contains "x" or CommandLine contains "y") and not a exists`
	if got := Format(e); got != want {
		t.Errorf("Format:\n got %s\nwant %s", got, want)
	}
}

func TestGlobLiteral(t *testing.T) {
	tests := []struct {
		lit  string
		next byte
		want string
	}{
		{`C:\Windows\`, 0, `C:\Windows\`},
		{`C:\Windows\`, '*', `C:\Windows\\`},
		{`a*b?c`, 0, `a\*b\?c`},
		{`\\server`, 0, `\\\server`},
		{`x\*`, 0, `x\\\*`},
	}
	for _, tt := range tests {
		if got := string(AppendGlobLiteral(nil, tt.lit, tt.next)); got != tt.want {
			t.Errorf("AppendGlobLiteral(%q, %q) = %q, want %q", tt.lit, tt.next, got, tt.want)
		}
	}
}

func TestKeywordPattern(t *testing.T) {
	for in, want := range map[string]string{
		"*echo binary >>*": "echo binary >>", "*>>/etc/rc.local": ">>/etc/rc.local",
		"import pty; pty.spawn*": "import pty; pty.spawn", `a\*`: `a\*`, `a\\*`: `a\`, `\\*`: `\`, "**": "*", "x": "x", "": "",
		"*a*b*": "a*b",
	} {
		if got := KeywordPattern(in); got != want {
			t.Errorf("KeywordPattern(%q) = %q, want %q", in, got, want)
		}
	}
}
