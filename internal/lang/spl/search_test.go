package spl

import "testing"

// exprCase is a query, the stage whose expression is checked and the
// expected tree in sexpr form.
type exprCase struct {
	name  string
	query string
	stage int
	want  string
}

func runExprCases(t *testing.T, cases []exprCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Parse(tc.query, testMacros)
			for _, pr := range res.Problems {
				t.Errorf("problem: %s (%s)", pr.Message, pr.Kind)
			}
			st := tc.stage
			if st == 0 {
				st = 1
			}
			if len(res.Stages) < st {
				t.Fatalf("got %d stages, want at least %d", len(res.Stages), st)
			}
			if got := sexpr(res.Stages[st-1].Expr); got != tc.want {
				t.Errorf("query %q\n got %s\nwant %s", tc.query, got, tc.want)
			}
		})
	}
}

func TestSearchTerms(t *testing.T) {
	runExprCases(t, []exprCase{
		{"implicit and", `a=1 b=2`, 1, `(and a eq:1 b eq:2)`},
		{"explicit and", `a=1 AND b=2`, 1, `(and a eq:1 b eq:2)`},
		{"or binds tighter than and", `sourcetype=a OR source=b EventCode=1`, 1,
			`(and (or sourcetype eq:a source eq:b) EventCode eq:1)`},
		{"or binds tighter than explicit and", `x=1 AND y=2 OR z=3`, 1, `(and x eq:1 (or y eq:2 z eq:3))`},
		{"macro relies on or precedence", "`sysmon` EventCode=1", 1,
			`(and (or sourcetype eq:xmlsysmon source eq:sysmon) EventCode eq:1)`},
		{"parentheses", `(a=1 b=2) OR c=3`, 1, `(or (and a eq:1 b eq:2) c eq:3)`},
		{"not binds tightest", `NOT a=1 b=2`, 1, `(and (not a eq:1) b eq:2)`},
		{"not before or", `NOT a=1 OR b=2`, 1, `(or (not a eq:1) b eq:2)`},
		{"not group", `NOT (a=1 OR b=2)`, 1, `(not (or a eq:1 b eq:2))`},
		{"double not", `NOT NOT a=1`, 1, `(not (not a eq:1))`},
		{"not equal", `a!=1`, 1, `!a eq:1`},
		{"not of not equal", `NOT a!=x`, 1, `(not !a eq:x)`},
		{"comparisons", `c>5 d>=6 e<7 f<=8`, 1, `(and c gt:5 d ge:6 e lt:7 f le:8)`},
		{"spaces around operator", `query = www* AND count > 10`, 1, `(and query starts_with:www count gt:10)`},
		{"contains", `p=*create*`, 1, `p contains:create`},
		{"ends with", `p=*.exe`, 1, `p ends_with:.exe`},
		{"starts with", `p=cmd*`, 1, `p starts_with:cmd`},
		{"other wildcard", `p=a*b`, 1, `p wildcard:a*b`},
		{"inner wildcard", `p=*a*b*`, 1, `p wildcard:*a*b*`},
		{"question mark is literal", `p=*a?b*c`, 1, `p wildcard:*a\?b*c`},
		{"quotes keep wildcards", `p="* -enc *"`, 1, `p contains: -enc `},
		{"collapsed stars", `p=**x**`, 1, `p contains:x`},
		{"exists", `p=*`, 1, `p exists:`},
		{"not exists", `p!=*`, 1, `!p exists:`},
		{"quoted escapes", `p="C:\\Windows\\\"x\""`, 1, `p eq:C:\Windows\"x"`},
		{"unquoted escapes", `p=C:\\Windows\\*`, 1, `p starts_with:C:\Windows\`},
		{"other backslashes stay", `p="*\Temp\*"`, 1, `p contains:\Temp\`},
		{"escaped quote in bare term", `p=*\"x\":true*`, 1, `p contains:"x":true`},
		{"value holding equals", `CommandLine=*--key=value*`, 1, `CommandLine contains:--key=value`},
		{"quoted field", `"DNS.query"="*.arpa"`, 1, `DNS.query ends_with:.arpa`},
		{"in list", `p IN (a, "b c", *x*, y*)`, 1, `p eq:a|eq:b c|contains:x|starts_with:y`},
		{"in list without commas", `p IN ("a" "b")`, 1, `p eq:a|eq:b`},
		{"lowercase in", `p in (a,b)`, 1, `p eq:a|eq:b`},
		{"not in", `NOT p IN (a, b)`, 1, `(not p eq:a|eq:b)`},
		{"keywords", `error "access denied"`, 1, `(and  keyword:error  keyword:access denied)`},
		{"lowercase operators are keywords", `a or b`, 1, `(and  keyword:a  keyword:or  keyword:b)`},
		{"term", `TERM(10.0.0.1)`, 1, ` keyword:10.0.0.1`},
		{"case", `CASE(Admin)`, 1, ` keyword:Admin cased`},
		{"numbers as written", `EventCode=0x10 n=1.50`, 1, `(and EventCode eq:0x10 n eq:1.50)`},
		{"time modifiers are no predicates", `index=main earliest=-24h latest=now`, 1, `index eq:main`},
		{"star keyword matches all", `search *`, 1, `nil`},
		{"token value is opaque", `user=$user$ dest="x"`, 1, `(and (opaque token "user=$user$") dest eq:x)`},
		{"tstats where", "| tstats count from datamodel=Endpoint.Processes where `proc_cmd` Processes.process IN (*a*, *b*) by Processes.dest", 1,
			`(and (or Processes.process_name eq:cmd.exe Processes.original_file_name eq:Cmd.Exe) Processes.process contains:a|contains:b)`},
		{"tstats where stops at by", `| tstats count where index=x by host`, 1, `index eq:x`},
		{"tstats without where", `| tstats count from datamodel=Endpoint.Processes by Processes.dest`, 1, `nil`},
		{"search command later", `index=x | search user=admin`, 2, `user eq:admin`},
		{"regex", `index=x | regex process="\\d+\.exe"`, 2, `process regex:\d+\.exe cased`},
		{"regex negated", `index=x | regex process!="^a"`, 2, `!process regex:^a cased`},
		{"regex on raw", `index=x | regex "abc"`, 2, `_raw regex:abc cased`},
		{"comma breaker", `a=1, b=2`, 1, `(and a eq:1 b eq:2)`},
	})
}
