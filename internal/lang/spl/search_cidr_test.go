package spl

import (
	"testing"

	"ruledex/internal/rule"
)

func TestSearchCIDRAndFieldLists(t *testing.T) {
	tests := []struct {
		query string
		want  []rule.Indicator
	}{
		{`search NOT dest_ip=10.0.0.0/8 src=192.168.1.0/24`, []rule.Indicator{
			{Field: "dest_ip", Kind: rule.CIDR, Value: "10.0.0.0/8", Negated: true},
			{Field: "src", Kind: rule.CIDR, Value: "192.168.1.0/24"}}},
		{`search path=a/b user=10.0.0.*`, []rule.Indicator{
			{Field: "path", Kind: rule.Eq, Value: "a/b"},
			{Field: "user", Kind: rule.StartsWith, Value: "10.0.0."}}},
		{`| where NOT new IN (old, "{0}", guid)`, []rule.Indicator{
			{Field: "new", Kind: rule.FieldRef, Value: "old", Negated: true},
			{Field: "new", Kind: rule.Eq, Value: "{0}", Negated: true},
			{Field: "new", Kind: rule.FieldRef, Value: "guid", Negated: true}}},
	}
	for _, tt := range tests {
		res := Parse(tt.query, nil)
		if len(res.Problems) > 0 {
			t.Fatalf("%s: %v", tt.query, res.Problems)
		}
		var got []rule.Indicator
		for _, st := range res.Stages {
			got = append(got, rule.ExprIndicators(st.Expr)...)
		}
		if len(got) != len(tt.want) {
			t.Fatalf("%s: got %+v, want %+v", tt.query, got, tt.want)
		}
		for i := range got {
			if got[i].Key() != tt.want[i].Key() || got[i].Value != tt.want[i].Value {
				t.Errorf("%s: indicator %d = %+v, want %+v", tt.query, i, got[i], tt.want[i])
			}
		}
		for _, st := range res.Stages {
			if st.Expr == nil {
				continue
			}
			printed := Print(st.Expr)
			again := Parse("search "+printed, nil)
			if st.Command == "where" {
				again = Parse("| where "+printed, nil)
			}
			if len(again.Problems) > 0 || rule.Format(again.Stages[0].Expr) != rule.Format(st.Expr) {
				t.Errorf("%s: printed %q reads back as %v", tt.query, printed, again.Stages[0].Expr)
			}
		}
	}
}
