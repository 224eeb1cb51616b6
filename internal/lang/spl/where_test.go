package spl

import (
	"reflect"
	"testing"

	"ruledex/internal/rule"
)

func TestWhere(t *testing.T) {
	w := func(name, cond, want string) exprCase {
		return exprCase{name, "index=x | where " + cond, 2, want}
	}
	runExprCases(t, []exprCase{
		w("and binds tighter than or", `a=1 OR b=2 AND c=3`, `(or a eq:1 (and b eq:2 c eq:3))`),
		w("parentheses", `(a=1 OR b=2) AND c=3`, `(and (or a eq:1 b eq:2) c eq:3)`),
		w("not", `NOT a=1 AND b=2`, `(and (not a eq:1) b eq:2)`),
		w("lowercase operators", `a=1 and b=2 or c=3`, `(or (and a eq:1 b eq:2) c eq:3)`),
		w("string equality is cased", `process_name="cmd.exe"`, `process_name eq:cmd.exe cased`),
		w("double equals", `process_name=="cmd.exe"`, `process_name eq:cmd.exe cased`),
		w("no wildcard in eval equality", `p="*x*"`, `p eq:*x* cased`),
		w("numbers are not cased", `count=5`, `count eq:5`),
		w("literal first", `5 < count`, `count gt:5`),
		w("negative number", `delta > -5`, `delta gt:-5`),
		w("booleans", `isOutlier=true`, `isOutlier eq:true`),
		w("not equal", `user!="root"`, `!user eq:root cased`),
		w("lower folds case", `lower(process_name)="cmd.exe"`, `process_name eq:cmd.exe`),
		w("upper folds case", `upper(p)=="CMD"`, `p eq:CMD`),
		w("len", `len(user) > 5`, `len(user) gt:5`),
		w("mvcount", `mvcount(src) == 1`, `mvcount(src) eq:1`),
		w("field comparison", `a != b`, `!a fieldref:b cased`),
		w("field equality", `src_user=user`, `src_user fieldref:user cased`),
		w("quoted field names", `'Processes.process_name'="x" AND Processes.dest="y"`,
			`(and Processes.process_name eq:x cased Processes.dest eq:y cased)`),
		w("like contains", `like(process, "%-enc%")`, `process contains:-enc cased`),
		w("like operator", `process LIKE "%a_b%"`, `process wildcard:*a?b* cased`),
		w("like uppercase function", `LIKE (process_exec, "%useradd%")`, `process_exec contains:useradd cased`),
		w("like on lower", `like(lower(p), "c:\\windows%")`, `p starts_with:c:\windows`),
		w("not like", `NOT like(p, "%x")`, `(not p ends_with:x cased)`),
		w("match", `match(process, "(?i)\\\\temp\\\\")`, `process regex:(?i)\\temp\\ cased`),
		w("cidrmatch", `cidrmatch("10.0.0.0/8", src)`, `src cidr:10.0.0.0/8`),
		w("isnull", `isnull(domain)`, `!domain exists:`),
		w("isnotnull", `isnotnull(domain)`, `domain exists:`),
		w("not isnull", `NOT isnull(domain)`, `(not !domain exists:)`),
		w("in function", `in(user, "a", "b")`, `user eq:a|eq:b cased`),
		w("in operator", `user IN ("a", "b")`, `user eq:a|eq:b cased`),
		w("not in operator", `user NOT IN ("a")`, `(not user eq:a cased)`),
		w("searchmatch", `searchmatch("p=*x* OR q=1")`, `(or p contains:x q eq:1)`),
		w("arithmetic is opaque", `count > avg + 3*stdev`, `(opaque expression "count > avg + 3*stdev")`),
		w("other function is opaque", `_time > relative_time(now(), "-1d")`, `(opaque expression "_time > relative_time(now(), \"-1d\")")`),
		w("unknown function", `isOutlier(x)`, `(opaque function isoutlier "isOutlier(x)")`),
		w("field greater than field", `a > b`, `(opaque field comparison "a > b")`),
		w("concatenation", `p = a . "x"`, `(opaque expression "p = a . \"x\"")`),
		w("dotted field name", `Processes.process_name="x"`, `Processes.process_name eq:x cased`),
	})
}

// TestNegationParity checks the negated flag of indicators through NOT,
// !=, NOT IN and isnull, as DESIGN.md defines it.
func TestNegationParity(t *testing.T) {
	tests := []struct {
		query string
		want  []rule.Indicator
	}{
		{`NOT a=1`, []rule.Indicator{{Field: "a", Kind: rule.Eq, Value: "1", Negated: true}}},
		{`NOT a!=1`, []rule.Indicator{{Field: "a", Kind: rule.Eq, Value: "1"}}},
		{`NOT NOT a=1`, []rule.Indicator{{Field: "a", Kind: rule.Eq, Value: "1"}}},
		{`NOT (a=1 OR NOT b=2)`, []rule.Indicator{{Field: "a", Kind: rule.Eq, Value: "1", Negated: true},
			{Field: "b", Kind: rule.Eq, Value: "2"}}},
		{`x=1 | where NOT isnull(f)`, []rule.Indicator{{Field: "f", Kind: rule.Exists}}},
		{`x=1 | where isnull(f)`, []rule.Indicator{{Field: "f", Kind: rule.Exists, Negated: true}}},
		{`NOT p IN (a, *b*)`, []rule.Indicator{{Field: "p", Kind: rule.Eq, Value: "a", Negated: true},
			{Field: "p", Kind: rule.Contains, Value: "b", Negated: true}}},
	}
	for _, tt := range tests {
		res := Parse(tt.query, nil)
		st := res.Stages[len(res.Stages)-1]
		if got := rule.ExprIndicators(st.Expr); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tt.query, got, tt.want)
		}
	}
}
