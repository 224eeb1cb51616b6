// Package eql parses Elastic's Event Query Language into ruledex stages and
// expression trees, and prints trees back as EQL conditions.
//
// It follows the Elasticsearch EQL syntax, function and pipe references and
// the EqlBase grammar: event queries ("process where …", "any where …"),
// sequence (by, with maxspan=, per-step by, with runs=, missing "![…]"
// steps, until), sample by, Endgame's join, pipes (head, tail, and the
// Endgame filter, unique, unique_count, count, sort); operators == != < <=
// > >= : like like~ regex regex~ in in~ not in, and or not, + - * / %;
// functions with their "~" forms; "?field" optional fields; backquoted
// names; "…" strings with \n \r \t \b \f \" \' \\ \u{…} escapes, raw
// """…""" strings and the deprecated '…' strings; // and /* */ comments.
//
// Stages. An event query is one stage: Command "<category> where" (as
// written, e.g. "process where"), Label the category, Role source, Expr its
// condition (nil for "where true"). A sequence (or sample, join) is a header
// stage first — Command "sequence", Role aggregate, Attrs "by" and
// "maxspan" — then one stage per step: Command "sequence step N", Label the
// step's category, Role source, Attrs "by" (the step's own keys), "runs",
// and "missing"="true" for a "![…]" step, whose Expr is the condition of the
// event that must not occur. "until [ … ]" is a stage with Command "until"
// and Role filter. Each pipe is a stage named after the pipe (Role output
// for head/tail/sort, aggregate for unique/count, filter with an Expr for
// filter) with Attrs "args". Stage.Line and Predicate.Line are lines within
// the query text; a reader adds the query's offset in its file.
//
// Predicates. "==" is eq with Cased set (EQL == is case-sensitive); "!=" is
// eq negated; ":" and the "~" forms are case-insensitive. ":", like and
// like~ patterns are classified like KQL: "*x*" contains, "x*" starts_with,
// "*x" ends_with, other patterns with "*" or "?" wildcard (a backslash of
// the pattern is doubled only before "*", "?" or "\"). regex is regex
// (regex~ adds Flags "i"). "in" gives one Predicate with one value per
// element (a field element is a fieldref value); "not in" is that negated.
// startsWith, endsWith, stringContains give starts_with, ends_with,
// contains (literal values), cidrMatch gives cidr values; a one-argument
// function of a field ("length(f) > 3", "startsWith(string(ip), …)") is a
// Predicate with Func set. "f == null" is exists negated, "f != null"
// exists. Comparing two fields with == or != is fieldref. Anything else —
// arithmetic, other functions, comparisons of computed values, lineage —
// is a rule.Opaque holding the text as written. Function names are matched
// case-insensitively (rules write cidrmatch and cidrMatch) and kept as
// written in Predicate.Op. The "?" of an optional field is dropped.
package eql
