package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ruledex/internal/match"
	"ruledex/internal/match/events"
	"ruledex/internal/match/synth"
)

// maxBadReports caps the invalid records reported one by one on stderr;
// the summary counts them all.
const maxBadReports = 50

func matchCmd() *cobra.Command {
	var (
		rules      []string
		asJSON     bool
		workers    int
		skipped    bool
		deprecated bool
		mappings   bool
		generate   int
		profile    string
	)
	cmd := &cobra.Command{
		Use:   "match [--json] [--rules KIND=PATH]... [EVENTS...]",
		Short: "Run rules against events: one line per (rule, event) hit",
		Long: `match loads rules (a folder or a single rule file per --rules KIND=PATH; with
none, the built-in examples), streams events from the files given (or from
standard input, also for "-") and prints one line per (rule, event) hit; with
--json one JSON object per line with rule (the rule's id), source, title,
file, event (its 1-based position in the file), line, via (the event's
channel and id, or how a rule read a non-Windows event) and fields (the
values the rule tested; of a multi-valued field, the value that matched).

Events are JSON Lines, a JSON array, or concatenated JSON objects, in the
Windows event shape EVTX dumpers write (Event.System, Event.EventData), flat
(Sysmon or Winlogbeat field names) or nested ECS. Sigma rules read the events
of their logsource (process_creation: Sysmon 1 and Security 4688); rules of
a logsource with no Windows channel (linux, zeek, cloud …) read the events
that name none and have at least one of the fields the rule tests.
Splunk and Elastic rules read Sysmon and Security events through the CIM and
ECS field mappings (see --mappings). Rules that aggregate, join or look up
external data are not evaluable on single events, and deprecated rules (and
SigmaHQ's unsupported/ ones) are skipped unless --include-deprecated:
--skipped lists them all with the reason. Invalid records are reported with
file and line and skipped; a binary EVTX file is reported and skipped.

A summary goes to standard error: events read, invalid records, rules loaded
and evaluable, hits, seconds, events/s. The exit status is 1 when no event
could be read and some records or files were invalid.`,
		Example: `  ruledex match --rules sigma=./sigma/rules --rules splunk=./security_content events.json
  evtx_dump -o jsonl Security.evtx | ruledex match --json --rules sigma=./sigma -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			out := bufio.NewWriterSize(cmd.OutOrStdout(), 1<<16)
			defer out.Flush()
			if mappings {
				_, err := io.WriteString(out, match.MappingTables())
				return err
			}
			if generate > 0 {
				return synth.Write(out, generate, 1)
			}
			if profile != "" {
				stop, err := startCPUProfile(profile)
				if err != nil {
					return err
				}
				defer stop()
			}
			start := time.Now()
			sets, cleanup, err := rulesets(rules)
			if err != nil {
				return err
			}
			defer cleanup()
			c, err := load(cmd.Context(), sets, loadFlags{attack: "none"})
			if err != nil {
				return err
			}
			eng := match.NewWithOptions(c.Rules, match.Options{IncludeDeprecated: deprecated})
			loaded := time.Since(start)
			stderr := cmd.ErrOrStderr()
			if skipped {
				for _, s := range eng.Skipped() {
					fmt.Fprintf(stderr, "skipped: %s %s (%s): %s\n", s.Rule.Source, s.Rule.ID, s.Rule.Path, s.Reason)
				}
			}

			inputs, closeAll, err := openInputs(args, cmd.InOrStdin())
			if err != nil {
				return err
			}
			defer closeAll()
			bad := 0
			opt := match.RunOptions{Workers: workers, Bad: func(re *events.RecordError) {
				bad++
				switch {
				case bad <= maxBadReports:
					fmt.Fprintf(stderr, "ruledex: invalid record: %v\n", re)
				case bad == maxBadReports+1:
					fmt.Fprintf(stderr, "ruledex: more invalid records; the summary counts them\n")
				}
			}, BadFile: func(fe *events.FileError) {
				fmt.Fprintf(stderr, "ruledex: %v\n", fe)
			}}
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			sum, runErr := eng.Run(cmd.Context(), inputs, opt, func(h match.Hit) error {
				if asJSON {
					return enc.Encode(h)
				}
				_, err := fmt.Fprintln(out, h.String())
				return err
			})
			if err := out.Flush(); err != nil && runErr == nil {
				runErr = err
			}
			rate := ""
			if sum.Events > 0 {
				rate = fmt.Sprintf(", %.0f events/s", sum.EventsPerSecond())
			}
			fmt.Fprintf(stderr, "ruledex match: %s, %s, %s, %.2f s (rules loaded in %.2f s)%s\n",
				eventsSummary(sum), rulesSummary(eng, skipped, deprecated), plural(sum.Hits, "hit", "hits"),
				sum.Duration.Seconds(), loaded.Seconds(), rate)
			if sum.NoTime > 0 {
				fmt.Fprintf(stderr, "ruledex match: %d hits had no timestamp and fed no correlation\n", sum.NoTime)
			}
			if runErr == nil && sum.Events == 0 && (sum.Bad > 0 || sum.BadFiles > 0) {
				runErr = fmt.Errorf("no event could be read: %s", badSummary(sum))
			}
			return runErr
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&rules, "rules", nil, "a ruleset as KIND=PATH (splunk, sigma, elastic); repeat for more; default: the built-in examples")
	f.BoolVar(&asJSON, "json", false, "print one JSON object per hit")
	f.IntVar(&workers, "workers", runtime.GOMAXPROCS(0), "goroutines matching events (1: decode and match on one)")
	f.BoolVar(&skipped, "skipped", false, "list the rules that are not run (not evaluable on single events, deprecated, unsupported), with the reason, on standard error")
	f.BoolVar(&deprecated, "include-deprecated", false, "run deprecated rules and SigmaHQ's unsupported/ rules too (skipped by default)")
	f.BoolVar(&mappings, "mappings", false, "print the CIM and ECS field mapping tables and exit")
	f.IntVar(&generate, "generate", 0, "write this many synthetic Sysmon events (JSON Lines) to standard output and exit (for benchmarks)")
	_ = f.MarkHidden("generate")
	f.StringVar(&profile, "cpuprofile", "", "write a CPU profile of the run to this file (for go tool pprof)")
	return cmd
}

// eventsSummary is the events part of the summary: "3 events read, 2
// invalid records", with the inputs skipped whole.
func eventsSummary(sum match.Summary) string {
	s := plural(sum.Events, "event", "events") + " read, " + plural(sum.Bad, "invalid record", "invalid records")
	if sum.BadFiles > 0 {
		s += ", " + plural(sum.BadFiles, "file", "files") + " skipped (binary EVTX)"
	}
	return s
}

// badSummary says what made a run read no event.
func badSummary(sum match.Summary) string {
	var parts []string
	if sum.Bad > 0 {
		parts = append(parts, plural(sum.Bad, "invalid record", "invalid records"))
	}
	if sum.BadFiles > 0 {
		parts = append(parts, plural(sum.BadFiles, "file", "files")+" skipped (binary EVTX)")
	}
	return strings.Join(parts, ", ")
}

// rulesSummary is the rules part of the summary: "8084 rules loaded, 6499
// evaluable (1585 not: --skipped lists them)".
func rulesSummary(eng *match.Engine, listed, deprecated bool) string {
	s := fmt.Sprintf("%s loaded, %d evaluable", plural(eng.Loaded(), "rule", "rules"), eng.Rules())
	if n := len(eng.Skipped()); n > 0 {
		s += fmt.Sprintf(" (%d not", n)
		if r := eng.Retired(); r > 0 && !deprecated {
			s += fmt.Sprintf(", %d of them deprecated or unsupported", r)
		}
		if listed {
			s += ": listed above)"
		} else {
			s += ": --skipped lists them)"
		}
	}
	if n := eng.Filters(); n > 0 {
		s += ", " + plural(n, "Sigma filter", "Sigma filters") + " applied"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// openInputs opens the event files; none or "-" is standard input.
func openInputs(args []string, stdin io.Reader) ([]match.Input, func(), error) {
	if len(args) == 0 {
		args = []string{"-"}
	}
	var inputs []match.Input
	var files []*os.File
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	for _, a := range args {
		if a == "-" {
			inputs = append(inputs, match.Input{Name: "-", R: stdin})
			continue
		}
		f, err := os.Open(a)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		files = append(files, f)
		inputs = append(inputs, match.Input{Name: a, R: f})
	}
	return inputs, closeAll, nil
}
