package spl

import (
	"reflect"
	"testing"

	"ruledex/internal/rule"
	"ruledex/internal/rule/ruletest"
)

// roundTripQueries are fixtures whose filters must print and parse back to
// the same tree.
var roundTripQueries = []string{
	`sourcetype=a OR source=b EventCode=1`,
	`(a=1 b=2) OR c=3`,
	`NOT a=1 OR NOT (b=2 c!=3)`,
	`p=*create* q=*.exe r=cmd* s=a*b t=*a?b*c u=* v!=*`,
	`p="C:\\Windows\\\"x\"" q="a b" r="*\\Temp\\*" "DNS.query"="*.arpa"`,
	`p IN (a, "b c", *x*, y*) NOT q IN (1, 2)`,
	`error "access denied" TERM(10.0.0.1) CASE(Admin)`,
	`c>5 d>=6 e<7 f<=8 g=AND`,
	"| tstats count from datamodel=Endpoint.Processes where `proc_cmd` Processes.process IN (*a*, *b*) by Processes.dest",
	`x=1 | where a=1 OR b=2 AND c=3`,
	`x=1 | where (a=1 OR b=2) AND NOT c=3`,
	`x=1 | where process_name="cmd.exe" AND count=5 AND p=="*x*" AND user!="root"`,
	`x=1 | where lower(process_name)="cmd.exe" AND upper(p)=="CMD"`,
	`x=1 | where len(user) > 5 AND mvcount(src) == 1 AND delta > -5 AND flag=true`,
	`x=1 | where a != b AND src_user=user AND 'odd field'="x"`,
	`x=1 | where like(process, "%-enc%") OR process LIKE "%a_b%" OR NOT like(lower(p), "c:\\windows%")`,
	`x=1 | where match(process, "(?i)\\\\temp\\\\") AND cidrmatch("10.0.0.0/8", src)`,
	`x=1 | where isnull(domain) OR isnotnull(other) OR NOT isnull(x)`,
	`x=1 | where in(user, "a", "b") OR user IN ("c", "d")`,
	`x=1 | where searchmatch("p=*x* OR q=1") AND count > avg + 3*stdev`,
}

func TestPrintRoundTrip(t *testing.T) {
	for _, q := range roundTripQueries {
		res := Parse(q, testMacros)
		if len(res.Problems) > 0 {
			t.Errorf("%q: %+v", q, res.Problems)
			continue
		}
		for _, st := range res.Stages {
			if st.Expr == nil {
				continue
			}
			printed := Print(st.Expr)
			again := reparse(t, printed, needsEval(st.Expr))
			if !sameTree(st.Expr, again) {
				t.Errorf("%q stage %d printed as %q\n  first  %s\n  second %s", q, st.Index, printed, sexpr(st.Expr), sexpr(again))
			}
			if st.Command == "where" {
				w := PrintWhere(st.Expr)
				if again := reparse(t, w, true); !sameTree(st.Expr, again) {
					t.Errorf("%q PrintWhere %q\n  first  %s\n  second %s", q, w, sexpr(st.Expr), sexpr(again))
				}
			} else {
				s := PrintSearch(st.Expr)
				if again := reparse(t, s, false); !sameTree(st.Expr, again) {
					t.Errorf("%q PrintSearch %q\n  first  %s\n  second %s", q, s, sexpr(st.Expr), sexpr(again))
				}
			}
		}
	}
}

// reparse parses printed filter text as search terms or as a where clause.
func reparse(t *testing.T, text string, where bool) rule.Expr {
	t.Helper()
	q := text
	if where {
		q = "| where " + text
	}
	res := Parse(q, nil)
	if len(res.Problems) > 0 || len(res.Stages) == 0 {
		t.Errorf("printed %q does not parse: %+v", text, res.Problems)
		return nil
	}
	return res.Stages[0].Expr
}

// sameTree compares two trees, ignoring lines.
func sameTree(a, b rule.Expr) bool {
	return reflect.DeepEqual(ruletest.WithoutLines(a), ruletest.WithoutLines(b))
}

func TestPrintExamples(t *testing.T) {
	tests := []struct {
		query, want string
	}{
		{`sourcetype=a OR source=b EventCode=1`, `(sourcetype=a OR source=b) EventCode=1`},
		{`p="*a b*" NOT q IN (x, *y)`, `p="*a b*" NOT q IN (x, *y)`},
		{`x=1 | where lower(p)="cmd.exe" AND len(u) > 5`, `lower(p)="cmd.exe" AND len(u)>5`},
		{`x=1 | where a=1 OR b="x" AND c=3`, `a=1 OR (b="x" AND c=3)`},
		{`x=1 | where like(p, "%x%")`, `like(p, "%x%")`},
	}
	for _, tt := range tests {
		res := Parse(tt.query, nil)
		st := res.Stages[len(res.Stages)-1]
		if got := Print(st.Expr); got != tt.want {
			t.Errorf("%q printed %q, want %q", tt.query, got, tt.want)
		}
	}
}
