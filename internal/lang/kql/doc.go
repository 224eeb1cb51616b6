// Package kql parses the Kibana Query Language (KQL, "kuery") into ruledex's
// expression tree and prints the tree back as KQL.
//
// The grammar follows Kibana's kuery grammar (packages/kbn-es-query, the
// "Kibana Query Language" reference):
//
//	query      = [or] EOF
//	or         = and { "or" and }
//	and        = not { "and" not }
//	not        = "not" not | sub
//	sub        = "(" or ")" | field ":" "{" or "}" | expression
//	expression = field ":" values | field range literal | literal
//	values     = "(" vor ")" | literal          (vor/vand/vnot: the same boolean
//	                                              grammar over values)
//
// Decisions worth knowing:
//
//   - and/or/not are case-insensitive keywords only where Kibana treats them
//     as keywords: "and"/"or" between whitespace, "not" at the start of a
//     term. Elsewhere they are words ("f:not" matches the value "not").
//     Unlike Kibana, "not(" and "or(" are accepted without the space.
//   - An unquoted literal may span several words ("f: a b" is the value
//     "a b"), as in Kibana; it ends before a keyword or a special character.
//   - Quoted strings resolve \", \\, \t, \r, \n and \uXXXX; any other
//     backslash is literal (so "C:\Windows" keeps its backslash, but
//     "C:\temp" holds a tab, exactly as Kibana reads it). Inside quotes "*"
//     is literal. Unquoted values resolve \t \r \n \uXXXX, an escaped special
//     character (\\ \( \) \: \< \> \" \* \{ \}) and an escaped keyword (\and);
//     any other backslash is an error.
//   - Values become rule.Values per DESIGN.md: an unquoted "*x*" is contains
//     x, "x*" starts_with, "*x" ends_with, any other pattern with "*" a
//     wildcard holding the whole pattern, where "\*", "\?" and "\\" are
//     literal (a backslash is doubled only before "*", "?" or "\"; KQL has
//     no "?" wildcard, so a "?" in a KQL pattern is always written "\?").
//     "f:*" is exists. A value that is an IP prefix ("10.0.0.0/8") is cidr,
//     as KQL matches it on ip fields. Numbers, true, false, null are eq with
//     the text as written. A range ("f >= 10") is gt/ge/lt/le.
//   - Free text (no field) is a Predicate with Field "" and kind keyword; its
//     value is a pattern in the same notation as a wildcard value (a quoted
//     "*" is written "\*"), so quoted and unquoted free text stay distinct.
//   - A value list "f:(a or b)" is one Predicate with two values; "f:(a and
//     b)" one Predicate with All set; negations inside the list stay Not
//     nodes. Predicate.Op is ":" or the range operator.
//   - Nested field queries "f:{ g: x }" test the nested document's field, so
//     the inner fields get the "f." prefix (Kibana's nested query names the
//     full path f.g); free text inside stays field "". Print writes the
//     flattened form, which parses to the same tree.
//   - Cased is false on every predicate. KQL itself is case-sensitive on
//     keyword fields (and analyzed on text fields), but ruledex's matcher
//     compares KQL values case-insensitively because the field mappings are
//     not known; the Predicate says so by leaving Cased unset.
//   - Predicate.Line is the line within the query text (1-based); a reader
//     that knows where the query starts in its file adds that offset.
package kql
