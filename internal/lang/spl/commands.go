package spl

import (
	"ruledex/internal/rule"
)

// command is how one SPL command is parsed: its role in the pipeline, the
// lexer mode of its arguments and the function that reads them.
type command struct {
	role rule.Role
	mode lexMode
	run  func(p *parser, st *rule.Stage)
}

// commands lists the commands ruledex knows, built in init to keep the
// table readable. Unknown commands are parsed generically (Role other).
var commands map[string]command

func init() {
	commands = map[string]command{
		"search":      {rule.RoleFilter, modeSearch, runSearch},
		"where":       {rule.RoleFilter, modeEval, runWhere},
		"regex":       {rule.RoleFilter, modeSearch, runRegex},
		"eval":        {rule.RoleTransform, modeEval, runEval},
		"tstats":      {rule.RoleSource, modeSearch, runTstats},
		"mstats":      {rule.RoleSource, modeSearch, runTstats},
		"rename":      {rule.RoleTransform, modeSearch, runRename},
		"lookup":      {rule.RoleLookup, modeSearch, runLookup},
		"join":        {rule.RoleJoin, modeSearch, runJoin},
		"map":         {rule.RoleJoin, modeSearch, runMap},
		"foreach":     {rule.RoleTransform, modeSearch, runForeach},
		"inputlookup": {rule.RoleLookup, modeSearch, runInputlookup},
	}
	for _, name := range []string{"stats", "eventstats", "streamstats", "chart", "timechart", "sistats",
		"sitimechart", "sichart", "geostats", "top", "rare", "tstats_summary"} {
		commands[name] = command{rule.RoleAggregate, modeSearch, runStats}
	}
	generic := func(role rule.Role, names ...string) {
		for _, n := range names {
			commands[n] = command{role, modeSearch, runGeneric}
		}
	}
	generic(rule.RoleSource, "from", "datamodel", "rest", "makeresults", "metadata", "metasearch",
		"dbinspect", "loadjob", "savedsearch", "pivot", "gentimes", "eventcount", "multisearch")
	generic(rule.RoleTransform, "rex", "spath", "fillnull", "convert", "mvexpand", "makemv", "xmlkv",
		"fields", "bin", "bucket", "strcat", "fieldformat", "replace", "extract", "kv", "nomv",
		"fromjson", "tojson", "addinfo", "addtotals", "autoregress", "delta", "accum", "reltime",
		"makecontinuous", "untable", "xmlunescape", "rangemap", "setfields", "typer", "fit", "apply",
		"filldown", "kvform", "multikv", "trendline", "predict", "outlier", "anomalydetection",
		"anomalies", "return", "format", "eventstats_fill", "mvcombine", "iplocation_fill", "score",
		"fieldsummary", "analyzefields", "cluster", "kmeans", "bucketdir", "concurrency", "erex",
		"xpath", "x11", "timewrap", "addcoltotals", "transpose", "xyseries", "summary")
	generic(rule.RoleAggregate, "transaction", "contingency", "associate", "correlate", "mcollect", "mcatalog")
	generic(rule.RoleLookup, "iplocation", "outputlookup")
	generic(rule.RoleJoin, "append", "appendcols", "appendpipe", "union", "set", "selfjoin")
	generic(rule.RoleOutput, "table", "sort", "head", "tail", "dedup", "reverse", "collect", "sendemail",
		"sendalert", "outputcsv", "uniq", "localize", "outputtext", "tscollect")
}
