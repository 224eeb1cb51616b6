// Package spl parses Splunk's Search Processing Language into ruledex's
// expression tree: one rule.Stage per pipe segment, with a rule.Expr for
// the stages that filter (search terms, tstats/mstats where, where, regex).
//
// A query goes through four steps:
//
//  1. expand.go: backtick macros are expanded textually, as Splunk does (a
//     macro may expand to half a token or to several pipe segments), and
//     ```comments``` are removed. An origin map (origin.go) remembers where
//     every expanded byte came from, so that stages keep their text as
//     written and problems name lines of the query.
//  2. scan.go: the expanded text is split into pipe segments, respecting
//     quotes and subsearch brackets, which are matched once for the whole
//     query so that nesting never makes the parser re-scan text.
//  3. lexer.go: each segment is tokenised by a state-function lexer in one
//     of two modes: search terms (where * belongs to words) or eval
//     expressions (where * multiplies).
//  4. pipeline.go dispatches each segment to its command (commands.go and
//     cmd_*.go). search.go parses search terms straight into the tree;
//     eval.go parses eval expressions into a small AST that filter.go
//     turns into predicates. Subsearches become Opaque leaves whose own
//     stages follow the stage that holds them.
//
// print.go renders an expression back as SPL.
package spl
