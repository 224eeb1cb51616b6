// Package match evaluates the catalog's rules against events: the
// expression tree that drives the pages also decides whether a rule fires.
//
// # Pipeline
//
// New compiles rules into an Engine. Rules their authors retired
// (deprecated, SigmaHQ unsupported/) are skipped with that reason unless
// Options.IncludeDeprecated. Each rule is planned by its language
// (sigma.go, splunk.go, elastic.go): the stages that filter single events
// are kept, rules that aggregate, join or look up external data are listed
// by Skipped with the reason. A plan has bindings, one per kind of event
// the rule reads — a Sigma logsource's channels and event ids, the Sysmon
// and Security event kinds of the CIM and ECS mappings (mapping.go) — and
// each binding resolves the rule's field names to slots of the events
// schema. The tree is compiled per binding (compile.go): predicates bound
// to slots with their literals folded, regexes and CIDR networks prepared
// once, and parts the binding fixes (host.os.type is "windows" for every
// Sysmon event) folded to constants, so that a binding on which the rule
// cannot match is dropped.
//
// # Per event
//
// The events package decodes an event into a flat table of values filed
// by slot. The index (index.go) picks the buckets of the event's channel
// and event id; in each bucket the prefilter (prefilter.go) picks the
// variants whose guard — a value or substring the event must contain for
// the rule to match — occurs, with hash lookups and one literal scan per
// guarded field (litset.go); only those are evaluated. Matching is exact: the
// prefilter only spares work (a fuzz test checks that it never loses a
// hit).
//
// # Semantics
//
// Strings compare case-insensitively unless the predicate is cased, using
// Unicode simple case folding; wildcards are globs (* any run, ? one
// character, backslash escapes); regexes are Go RE2 (case-sensitive unless
// flagged i; a rule whose regex needs PCRE features is listed as not
// evaluable, naming the construct); cidr matches IPv4 and IPv6; gt/ge/lt/le
// compare numbers; exists means present and not null (Sigma |exists:
// present at all); keywords search every value of the event; fieldref
// compares two fields. A multi-valued field matches when any value does.
// Negated SPL comparisons (f!=x) need the field; other negations are plain.
//
// Events that name no Windows channel or provider carry no log source a
// rule could select them by, so a rule reading them (a Sigma logsource
// without a Windows channel, an Elastic query or a raw SPL search on such
// an event) needs the event to have at least one of the fields the rule
// tests, present even as null (keywords: any value): a condition like
// "not selection" does not fire on an event it has nothing to say about.
// Windows logsources keep their channel and event id conditions.
//
// A hit shows the value of each field a positive predicate tests; of a
// multi-valued field (an array, process.args) the value that matched.
//
// Sigma correlation rules (correlate.go) count the hits of the rules they
// name per group-by values within their timespan, in event order.
package match
