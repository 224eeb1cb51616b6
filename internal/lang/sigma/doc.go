// Package sigma parses the detection section of Sigma rules into ruledex's
// expression tree.
//
// A detection is a set of search identifiers (YAML maps are AND, lists OR,
// value lists OR unless |all) and a condition that combines them. The
// condition has its own small grammar (and, or, not, parentheses, "1 of",
// "all of", the deprecated "| count() …" aggregations), lexed by state
// functions and parsed by recursive descent into an AST with byte offsets,
// in the manner of text/template/parse and Prometheus' promql/parser.
// Values go through the modifier chain of the Sigma specification (modifier
// appendix 2.1) and come out as rule.Value kinds; the condition is resolved
// against the identifiers into one rule.Expr per top-level AND term (a
// Stage).
package sigma
