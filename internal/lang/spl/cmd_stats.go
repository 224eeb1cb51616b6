package spl

import (
	"strings"

	"ruledex/internal/rule"
)

// Aggregating commands: stats and its family, tstats and mstats.

// runStats reads [options] aggregations [BY fields] (stats, eventstats,
// streamstats, chart, timechart, top, rare …).
func runStats(p *parser, st *rule.Stage) {
	var aggs, by []string
	for !p.atEOF() {
		it := p.peek()
		switch {
		case it.typ == itemComma:
			p.next()
		case isWord(it, "by") || isWord(it, "over"):
			p.next()
			by = append(by, p.fieldList()...)
		case p.isOption():
			p.attr(p.option())
		case it.typ == itemWord || it.typ == itemString:
			aggs = append(aggs, p.aggregation())
		default:
			p.errorf(it.pos, "unexpected %s in %s", it, st.Command)
		}
	}
	st.Attrs = appendList(st.Attrs, "aggregations", aggs)
	st.Attrs = appendList(st.Attrs, "by", by)
}

func appendList(attrs []rule.Attr, name string, list []string) []rule.Attr {
	if len(list) == 0 {
		return attrs
	}
	return append(attrs, rule.Attr{Name: name, Value: strings.Join(list, ", ")})
}

// runTstats reads tstats and mstats: [options] aggregations
// [FROM datamodel=X.Y] [WHERE search-terms] [BY fields].
func runTstats(p *parser, st *rule.Stage) {
	var aggs, by []string
	var model string
	for !p.atEOF() {
		it := p.peek()
		switch {
		case it.typ == itemComma:
			p.next()
		case isWord(it, "from"):
			p.next()
			model = p.tstatsFrom()
		case isWord(it, "where"):
			p.next()
			st.Expr = rule.NewAnd(st.Expr, p.parseSearch(stopAtBy))
		case isWord(it, "by"):
			p.next()
			by = append(by, p.fieldList()...)
		case p.isOption():
			p.attr(p.option())
		case it.typ == itemWord || it.typ == itemString:
			aggs = append(aggs, p.aggregation())
		case it.typ == itemSubsearch:
			p.next()
			p.subs = append(p.subs, it)
		default:
			p.errorf(it.pos, "unexpected %s in %s; expected an aggregation, FROM, WHERE or BY", it, st.Command)
		}
	}
	if model != "" {
		st.Attrs = append(st.Attrs, rule.Attr{Name: "datamodel", Value: model})
	}
	st.Attrs = appendList(st.Attrs, "aggregations", aggs)
	st.Attrs = appendList(st.Attrs, "by", by)
}

// tstatsFrom reads what follows FROM: datamodel=X.Y, datamodel X.Y or
// another namespace.
func (p *parser) tstatsFrom() string {
	it := p.peek()
	if isWord(it, "datamodel") {
		p.next()
		if isOp(p.peek(), "=") {
			p.next()
		}
		v := p.next()
		if v.typ != itemWord && v.typ != itemString {
			p.errorf(it.pos, "expected a data model name after FROM datamodel")
		}
		return value(v)
	}
	if it.typ == itemWord && strings.HasPrefix(strings.ToLower(it.val), "datamodel:") {
		p.next()
		return strings.Trim(it.val[len("datamodel:"):], `"`)
	}
	if p.isOption() {
		p.attr(p.option())
		return ""
	}
	if it.typ != itemWord && it.typ != itemString {
		p.errorf(it.pos, "expected datamodel=<name> after FROM")
	}
	v, _ := p.term()
	p.attr("from", v)
	return ""
}
