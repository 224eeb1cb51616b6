package esql

import (
	"strconv"
	"strings"

	"ruledex/internal/rule"
)

// commandSpec describes one ES|QL command: its stage name and role, and
// the function that parses its body into the stage.
type commandSpec struct {
	name   string // as the stage's Command
	role   rule.Role
	source bool // a source command: only first
	inFork bool // allowed inside FORK ( … )
	alias  bool // a second spelling, left out of the list in errors
	parse  func(p *parser, st *rule.Stage, cmd item)
}

var commands map[string]commandSpec

func init() {
	// Assigned in init: the parse functions refer back to the table (FORK).
	commands = map[string]commandSpec{
		"from":         {name: "FROM", role: rule.RoleSource, source: true, parse: (*parser).fromCmd},
		"ts":           {name: "TS", role: rule.RoleSource, source: true, parse: (*parser).fromCmd},
		"row":          {name: "ROW", role: rule.RoleSource, source: true, parse: (*parser).rowCmd},
		"show":         {name: "SHOW", role: rule.RoleSource, source: true, parse: (*parser).showCmd},
		"where":        {name: "WHERE", role: rule.RoleFilter, inFork: true, parse: (*parser).whereCmd},
		"eval":         {name: "EVAL", role: rule.RoleTransform, inFork: true, parse: (*parser).evalCmd},
		"stats":        {name: "STATS", role: rule.RoleAggregate, inFork: true, parse: (*parser).statsCmd},
		"inline":       {name: "INLINE STATS", role: rule.RoleAggregate, parse: (*parser).inlineCmd},
		"inlinestats":  {name: "INLINE STATS", role: rule.RoleAggregate, alias: true, parse: (*parser).statsCmd},
		"keep":         {name: "KEEP", role: rule.RoleTransform, inFork: true, parse: (*parser).keepCmd},
		"drop":         {name: "DROP", role: rule.RoleTransform, inFork: true, parse: (*parser).keepCmd},
		"rename":       {name: "RENAME", role: rule.RoleTransform, inFork: true, parse: (*parser).renameCmd},
		"sort":         {name: "SORT", role: rule.RoleOutput, inFork: true, parse: (*parser).sortCmd},
		"limit":        {name: "LIMIT", role: rule.RoleOutput, inFork: true, parse: (*parser).limitCmd},
		"mv_expand":    {name: "MV_EXPAND", role: rule.RoleTransform, inFork: true, parse: (*parser).mvExpandCmd},
		"dissect":      {name: "DISSECT", role: rule.RoleTransform, inFork: true, parse: (*parser).dissectCmd},
		"grok":         {name: "GROK", role: rule.RoleTransform, inFork: true, parse: (*parser).grokCmd},
		"enrich":       {name: "ENRICH", role: rule.RoleLookup, inFork: true, parse: (*parser).enrichCmd},
		"lookup":       {name: "LOOKUP JOIN", role: rule.RoleLookup, inFork: true, parse: (*parser).lookupJoinCmd},
		"change_point": {name: "CHANGE_POINT", role: rule.RoleAggregate, inFork: true, parse: (*parser).changePointCmd},
		"completion":   {name: "COMPLETION", role: rule.RoleTransform, inFork: true, parse: (*parser).completionCmd},
		"sample":       {name: "SAMPLE", role: rule.RoleOther, inFork: true, parse: (*parser).sampleCmd},
		"rerank":       {name: "RERANK", role: rule.RoleOutput, inFork: true, parse: (*parser).rerankCmd},
		"fork":         {name: "FORK", role: rule.RoleJoin, parse: (*parser).forkCmd},
		"fuse":         {name: "FUSE", role: rule.RoleAggregate, parse: (*parser).fuseCmd},
	}
}

func attr(name, value string) rule.Attr { return rule.Attr{Name: name, Value: value} }

// fromCmd: FROM index [, index]… [METADATA field, …]. An index is a
// pattern, "quoted", cluster:pattern or pattern::selector.
func (p *parser) fromCmd(st *rule.Stage, cmd item) {
	var indexes []string
	for {
		indexes = append(indexes, p.indexPattern("after "+strings.ToUpper(cmd.val)))
		if !p.accept(modeSource, itemComma) {
			break
		}
	}
	st.Attrs = append(st.Attrs, attr("index", strings.Join(indexes, ", ")))
	if p.acceptWordSource("metadata") {
		var fields []string
		for {
			it := p.next(modeSource)
			if it.typ != itemSource {
				p.errorf(it.pos, "expected a metadata field such as _id after METADATA, found %s", it.describe())
			}
			fields = append(fields, it.val)
			if !p.accept(modeSource, itemComma) {
				break
			}
		}
		st.Attrs = append(st.Attrs, attr("metadata", strings.Join(fields, ", ")))
	}
}

// acceptWordSource takes the next source item if it is the word w: in
// source mode METADATA or ON lex as index names.
func (p *parser) acceptWordSource(w string) bool {
	if it := p.peek(modeSource); it.typ == itemSource && strings.EqualFold(it.val, w) {
		p.next(modeSource)
		return true
	}
	return false
}

func (p *parser) indexPattern(context string) string {
	it := p.next(modeSource)
	var name string
	switch it.typ {
	case itemSource:
		name = it.val
		if strings.EqualFold(name, "metadata") || strings.EqualFold(name, "on") {
			p.errorf(it.pos, "expected an index pattern %s, found %s", context, strings.ToUpper(name))
		}
	case itemString:
		name = it.val
	default:
		p.errorf(it.pos, "expected an index pattern %s, found %s", context, it.describe())
	}
	switch p.peek(modeSource).typ {
	case itemColon: // cluster:index
		p.next(modeSource)
		idx := p.next(modeSource)
		if idx.typ != itemSource {
			p.errorf(idx.pos, "expected an index after %s:, found %s", name, idx.describe())
		}
		name += ":" + idx.val
	case itemCast: // index::selector
		p.next(modeSource)
		sel := p.next(modeSource)
		if sel.typ != itemSource {
			p.errorf(sel.pos, "expected a selector such as ::failures, found %s", sel.describe())
		}
		name += "::" + sel.val
	}
	return name
}

// fields parses [name =] expression, … for ROW, EVAL and STATS; with
// aggregates true each may end in WHERE condition.
func (p *parser) fields(aggregates bool) []rule.Attr {
	var out []rule.Attr
	for {
		start := p.peek(modeExpr)
		var target string
		if start.typ == itemWord || start.typ == itemQuotedIdent {
			// name = … : look past a qualified name for "=".
			save := p.cursor
			if !isKeyword(start.val) || start.typ == itemQuotedIdent {
				n := p.qualifiedName().(*identNode)
				if p.peek(modeExpr).typ == itemAssign {
					p.next(modeExpr)
					target = n.name
				} else {
					p.cursor, p.peekOK = save, false
				}
			}
		}
		x := p.boolExpr()
		value := p.text(x)
		if aggregates && p.acceptWord(modeExpr, "where") {
			cond := p.boolExpr()
			value += " WHERE " + p.text(cond)
		}
		name := target
		if name == "" {
			name = value
		}
		out = append(out, attr(name, value))
		if !p.accept(modeExpr, itemComma) {
			return out
		}
	}
}

func (p *parser) rowCmd(st *rule.Stage, _ item) { st.Attrs = p.fields(false) }

func (p *parser) evalCmd(st *rule.Stage, _ item) { st.Attrs = p.fields(false) }

func (p *parser) showCmd(st *rule.Stage, _ item) {
	it := p.next(modeExpr)
	if !it.isWord("info") {
		p.errorf(it.pos, "expected INFO after SHOW, found %s", it.describe())
	}
	st.Attrs = []rule.Attr{attr("show", "INFO")}
}

func (p *parser) whereCmd(st *rule.Stage, _ item) {
	x := p.boolExpr()
	st.Expr = p.convert(x)
}

// statsCmd: STATS [aggregates] [BY groupings].
func (p *parser) statsCmd(st *rule.Stage, cmd item) {
	it := p.peek(modeExpr)
	if !it.isWord("by") && it.typ != itemPipe && it.typ != itemEOF && it.typ != itemRParen {
		st.Attrs = p.fields(true)
	}
	if p.acceptWord(modeExpr, "by") {
		var by []string
		for _, a := range p.fields(false) {
			by = append(by, a.Name)
		}
		st.Attrs = append(st.Attrs, attr("by", strings.Join(by, ", ")))
	}
	if len(st.Attrs) == 0 {
		p.errorf(cmd.end, "%s needs aggregations or BY fields", strings.ToUpper(cmd.val))
	}
}

// inlineCmd: INLINE STATS, the newer spelling of INLINESTATS.
func (p *parser) inlineCmd(st *rule.Stage, cmd item) {
	it := p.next(modeExpr)
	if !it.isWord("stats") {
		p.errorf(it.pos, "expected STATS after INLINE, found %s", it.describe())
	}
	p.statsCmd(st, it)
}

// keepCmd: KEEP or DROP pattern, ….
func (p *parser) keepCmd(st *rule.Stage, _ item) {
	var names []string
	for {
		names = append(names, p.namePattern())
		if !p.accept(modePattern, itemComma) {
			break
		}
	}
	st.Attrs = []rule.Attr{attr("fields", strings.Join(names, ", "))}
}

// namePattern parses a dotted field pattern: process.*, `odd name`.x.
func (p *parser) namePattern() string {
	var parts []string
	for {
		it := p.next(modePattern)
		if it.typ != itemPattern && it.typ != itemParam {
			p.errorf(it.pos, "expected a field name, found %s", it.describe())
		}
		parts = append(parts, it.val)
		if !p.accept(modePattern, itemDot) {
			return strings.Join(parts, ".")
		}
	}
}

// renameCmd: RENAME old AS new, … or RENAME new = old, ….
func (p *parser) renameCmd(st *rule.Stage, _ item) {
	for {
		a := p.namePattern()
		var old, new string
		switch it := p.next(modePattern); {
		case it.typ == itemPattern && strings.EqualFold(it.val, "as"):
			old, new = a, p.namePattern()
		case it.typ == itemAssign:
			new, old = a, p.namePattern()
		default:
			p.errorf(it.pos, "expected AS after %s in RENAME (RENAME old AS new), found %s", a, it.describe())
		}
		st.Attrs = append(st.Attrs, attr(old, new))
		if !p.accept(modePattern, itemComma) {
			return
		}
	}
}

// sortCmd: SORT expression [ASC|DESC] [NULLS FIRST|LAST], ….
func (p *parser) sortCmd(st *rule.Stage, _ item) {
	var keys []string
	for {
		x := p.boolExpr()
		key := p.text(x)
		if it := p.peek(modeExpr); it.isWord("asc") || it.isWord("desc") {
			p.next(modeExpr)
			key += " " + strings.ToUpper(it.val)
		}
		if p.acceptWord(modeExpr, "nulls") {
			it := p.next(modeExpr)
			if !it.isWord("first") && !it.isWord("last") {
				p.errorf(it.pos, "expected FIRST or LAST after NULLS, found %s", it.describe())
			}
			key += " NULLS " + strings.ToUpper(it.val)
		}
		keys = append(keys, key)
		if !p.accept(modeExpr, itemComma) {
			break
		}
	}
	st.Attrs = []rule.Attr{attr("sort", strings.Join(keys, ", "))}
}

func (p *parser) limitCmd(st *rule.Stage, _ item) {
	it := p.peek(modeExpr)
	if it.typ != itemInt && it.typ != itemParam {
		p.errorf(it.pos, "expected a number of rows after LIMIT, found %s", it.describe())
	}
	st.Attrs = []rule.Attr{attr("limit", p.text(p.constant()))}
}

func (p *parser) mvExpandCmd(st *rule.Stage, _ item) {
	st.Attrs = []rule.Attr{attr("field", p.identifier("after MV_EXPAND"))}
}

// dissectCmd: DISSECT field "pattern" [option = constant, …].
func (p *parser) dissectCmd(st *rule.Stage, _ item) {
	field := p.primary()
	pat := p.expect(modeExpr, itemString, "as the DISSECT pattern")
	st.Attrs = []rule.Attr{attr("field", p.text(field)), attr("pattern", pat.val)}
	for p.peek(modeExpr).typ == itemWord {
		name := p.next(modeExpr)
		p.expect(modeExpr, itemAssign, "after the DISSECT option "+name.val)
		st.Attrs = append(st.Attrs, attr(name.val, p.text(p.constant())))
		if !p.accept(modeExpr, itemComma) {
			break
		}
	}
}

// grokCmd: GROK field "pattern" [, "pattern"]….
func (p *parser) grokCmd(st *rule.Stage, _ item) {
	field := p.primary()
	st.Attrs = []rule.Attr{attr("field", p.text(field))}
	for {
		pat := p.expect(modeExpr, itemString, "as the GROK pattern")
		st.Attrs = append(st.Attrs, attr("pattern", pat.val))
		if !p.accept(modeExpr, itemComma) {
			return
		}
	}
}

// enrichCmd: ENRICH policy [ON field] [WITH [new =] field, …].
func (p *parser) enrichCmd(st *rule.Stage, _ item) {
	pol := p.next(modePolicy)
	if pol.typ != itemSource && pol.typ != itemString {
		p.errorf(pol.pos, "expected an enrich policy name after ENRICH, found %s", pol.describe())
	}
	name := pol.val
	if p.accept(modePolicy, itemColon) { // mode:policy
		rest := p.next(modePolicy)
		if rest.typ != itemSource {
			p.errorf(rest.pos, "expected a policy name after %s:, found %s", name, rest.describe())
		}
		name += ":" + rest.val
	}
	st.Attrs = []rule.Attr{attr("policy", name)}
	if it := p.peek(modePattern); it.typ == itemPattern && strings.EqualFold(it.val, "on") {
		p.next(modePattern)
		st.Attrs = append(st.Attrs, attr("on", p.namePattern()))
	}
	if it := p.peek(modePattern); it.typ == itemPattern && strings.EqualFold(it.val, "with") {
		p.next(modePattern)
		var with []string
		for {
			f := p.namePattern()
			if p.accept(modePattern, itemAssign) {
				f += " = " + p.namePattern()
			}
			with = append(with, f)
			if !p.accept(modePattern, itemComma) {
				break
			}
		}
		st.Attrs = append(st.Attrs, attr("with", strings.Join(with, ", ")))
	}
}

// lookupJoinCmd: LOOKUP JOIN index ON field, … (or ON condition).
func (p *parser) lookupJoinCmd(st *rule.Stage, _ item) {
	it := p.next(modeExpr)
	if !it.isWord("join") {
		p.errorf(it.pos, "expected JOIN after LOOKUP (LOOKUP JOIN index ON field), found %s", it.describe())
	}
	st.Attrs = []rule.Attr{attr("index", p.indexPattern("after LOOKUP JOIN"))}
	if !p.acceptWordSource("on") {
		it := p.peek(modeSource)
		p.errorf(it.pos, "expected ON after the LOOKUP JOIN index, found %s", it.describe())
	}
	var on []string
	for {
		on = append(on, p.text(p.valueExpr()))
		if !p.accept(modeExpr, itemComma) {
			break
		}
	}
	st.Attrs = append(st.Attrs, attr("on", strings.Join(on, ", ")))
}

// changePointCmd: CHANGE_POINT value [ON key] [AS type, pvalue].
func (p *parser) changePointCmd(st *rule.Stage, _ item) {
	st.Attrs = []rule.Attr{attr("value", p.identifier("after CHANGE_POINT"))}
	if p.acceptWord(modeExpr, "on") {
		st.Attrs = append(st.Attrs, attr("on", p.identifier("after ON")))
	}
	if p.acceptWord(modeExpr, "as") {
		a := p.identifier("after AS")
		p.expect(modeExpr, itemComma, "between the CHANGE_POINT type and p-value names")
		st.Attrs = append(st.Attrs, attr("as", a+", "+p.identifier("after ,")))
	}
}

// completionCmd: COMPLETION [target =] prompt [WITH {options}].
func (p *parser) completionCmd(st *rule.Stage, _ item) {
	if it := p.peek(modeExpr); it.typ == itemWord || it.typ == itemQuotedIdent {
		save := p.cursor
		n := p.qualifiedName().(*identNode)
		if p.accept(modeExpr, itemAssign) {
			st.Attrs = append(st.Attrs, attr("target", n.name))
		} else {
			p.cursor, p.peekOK = save, false
		}
	}
	st.Attrs = append(st.Attrs, attr("prompt", p.text(p.primary())))
	p.withOptions(st)
}

func (p *parser) withOptions(st *rule.Stage) {
	if p.acceptWord(modeExpr, "with") {
		st.Attrs = append(st.Attrs, attr("with", p.text(p.mapExpr())))
	}
}

func (p *parser) sampleCmd(st *rule.Stage, _ item) {
	st.Attrs = []rule.Attr{attr("probability", p.text(p.constant()))}
}

// rerankCmd: RERANK [target =] "query" ON field [= expr], … [WITH {options}].
func (p *parser) rerankCmd(st *rule.Stage, _ item) {
	if it := p.peek(modeExpr); it.typ == itemWord || it.typ == itemQuotedIdent {
		st.Attrs = append(st.Attrs, attr("target", p.identifier("")))
		p.expect(modeExpr, itemAssign, "after the RERANK target field")
	}
	st.Attrs = append(st.Attrs, attr("query", p.text(p.constant())))
	if !p.acceptWord(modeExpr, "on") {
		it := p.peek(modeExpr)
		p.errorf(it.pos, "expected ON after the RERANK query, found %s", it.describe())
	}
	var on []string
	for {
		f := p.identifier("after ON")
		if p.accept(modeExpr, itemAssign) {
			f += " = " + p.text(p.boolExpr())
		}
		on = append(on, f)
		if !p.accept(modeExpr, itemComma) {
			break
		}
	}
	st.Attrs = append(st.Attrs, attr("on", strings.Join(on, ", ")))
	p.withOptions(st)
}

// forkCmd: FORK ( commands ) ( commands ) …; each branch's text is an
// attribute and its WHERE conditions are OR-ed into the stage's Expr
// (a row of any branch comes out of FORK).
func (p *parser) forkCmd(st *rule.Stage, cmd item) {
	var branches []rule.Expr
	n := 0
	for p.peek(modeExpr).typ == itemLParen {
		open := p.next(modeExpr)
		p.enter(open.pos)
		saved := p.stages
		p.stages = nil
		var conds []rule.Expr
		for {
			before := len(p.stages)
			p.forkBranchCommand()
			for _, s := range p.stages[before:] {
				conds = append(conds, s.Expr)
			}
			if !p.accept(modeExpr, itemPipe) {
				break
			}
		}
		p.stages = saved
		p.expect(modeExpr, itemRParen, "to close the FORK branch")
		p.leave()
		n++
		st.Attrs = append(st.Attrs, attr("branch "+strconv.Itoa(n), compact(p.src[open.pos+1:p.last-1])))
		branches = append(branches, rule.NewAnd(conds...))
	}
	if n < 2 {
		p.errorf(p.peek(modeExpr).pos, "FORK needs at least two branches in parentheses: FORK (WHERE a) (WHERE b)")
	}
	for _, b := range branches {
		if b == nil {
			return // a branch without a filter lets every row through
		}
	}
	st.Expr = rule.NewOr(branches...)
}

// forkBranchCommand parses one command inside a FORK branch, keeping its
// stage in p.stages for forkCmd to read.
func (p *parser) forkBranchCommand() {
	it := p.peek(modeExpr)
	name := strings.ToLower(it.val)
	spec, ok := commands[name]
	if it.typ != itemWord || !ok || !spec.inFork {
		p.errorf(it.pos, "expected a processing command such as WHERE, EVAL or SORT inside FORK ( … ), found %s", it.describe())
	}
	p.next(modeExpr)
	st := rule.Stage{Command: spec.name, Role: spec.role}
	spec.parse(p, &st, it)
	p.stages = append(p.stages, st)
}

// fuseCmd: FUSE [method] [SCORE BY f] [KEY BY f, …] [GROUP BY f] [WITH {…}].
func (p *parser) fuseCmd(st *rule.Stage, _ item) {
	if it := p.peek(modeExpr); it.typ == itemWord && !isFuseClause(it.val) {
		p.next(modeExpr)
		st.Attrs = append(st.Attrs, attr("method", it.val))
	}
	for {
		it := p.peek(modeExpr)
		if it.typ != itemWord || !isFuseClause(it.val) {
			return
		}
		p.next(modeExpr)
		clause := strings.ToLower(it.val)
		if clause == "with" {
			st.Attrs = append(st.Attrs, attr("with", p.text(p.mapExpr())))
			continue
		}
		if b := p.next(modeExpr); !b.isWord("by") {
			p.errorf(b.pos, "expected BY after %s, found %s", strings.ToUpper(clause), b.describe())
		}
		var fields []string
		for {
			fields = append(fields, p.identifier("after BY"))
			if clause != "key" || !p.accept(modeExpr, itemComma) {
				break
			}
		}
		st.Attrs = append(st.Attrs, attr(clause+" by", strings.Join(fields, ", ")))
	}
}

func isFuseClause(w string) bool {
	switch strings.ToLower(w) {
	case "score", "key", "group", "with":
		return true
	}
	return false
}
