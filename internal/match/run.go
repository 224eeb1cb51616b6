package match

import (
	"context"
	"errors"
	"io"
	"time"

	"ruledex/internal/match/events"
)

// Input is one stream of events.
type Input struct {
	Name string // shown in hits and errors ("-" for standard input)
	R    io.Reader
}

// Summary is what a run did.
type Summary struct {
	Events   int           // valid events
	Bad      int           // records that were not valid JSON objects
	BadFiles int           // inputs skipped whole (binary EVTX files)
	Hits     int           // hits reported (correlations included)
	Silent   int           // hits that only fed correlations
	NoTime   int           // hits that could not feed a correlation (no timestamp)
	Duration time.Duration // wall time of the run
}

// EventsPerSecond is the throughput of the run.
func (s Summary) EventsPerSecond() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.Events) / s.Duration.Seconds()
}

// RunOptions tune a run.
type RunOptions struct {
	// Workers is the number of goroutines matching events (0: one).
	Workers int
	// Bad is called for each invalid record; nil ignores them (they are
	// still counted).
	Bad func(*events.RecordError)
	// BadFile is called for each input skipped whole (a binary EVTX
	// file); nil ignores them (they are still counted).
	BadFile func(*events.FileError)
}

// reportBad counts and reports an invalid record or a skipped input; it
// returns false for other errors.
func reportBad(err error, opt RunOptions, sum *Summary) bool {
	var re *events.RecordError
	var fe *events.FileError
	switch {
	case errors.As(err, &re):
		sum.Bad++
		if opt.Bad != nil {
			opt.Bad(re)
		}
	case errors.As(err, &fe):
		sum.BadFiles++
		if opt.BadFile != nil {
			opt.BadFile(fe)
		}
	default:
		return false
	}
	return true
}

// Run streams the inputs through the engine in order and calls emit with
// each reported hit in event order (silent hits feed correlations only).
// Invalid records are counted and passed to opt.Bad, inputs that are not
// JSON text (binary EVTX files) to opt.BadFile; the run goes on. It
// stops at the first error emit returns, a read error, or when ctx ends.
func (e *Engine) Run(ctx context.Context, inputs []Input, opt RunOptions, emit func(Hit) error) (Summary, error) {
	start := time.Now()
	var sum Summary
	corr := e.NewCorrelator()
	report := func(hits []Hit) error {
		for i := range hits {
			h := &hits[i]
			if len(h.corr) > 0 {
				for _, ch := range corr.Feed(h, nil) {
					sum.Hits++
					if err := emit(ch); err != nil {
						return err
					}
				}
			}
			if h.Silent {
				sum.Silent++
				continue
			}
			sum.Hits++
			if err := emit(*h); err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	if opt.Workers > 1 {
		err = e.runParallel(ctx, inputs, opt, &sum, report)
	} else {
		err = e.runSerial(ctx, inputs, opt, &sum, report)
	}
	if err == nil {
		err = report(corr.Flush(nil))
	}
	sum.NoTime = corr.NoTime
	sum.Duration = time.Since(start)
	return sum, err
}

func (e *Engine) runSerial(ctx context.Context, inputs []Input, opt RunOptions, sum *Summary, report func([]Hit) error) error {
	m := e.NewMatcher()
	var hits []Hit
	for _, in := range inputs {
		r := events.NewReader(in.R, in.Name)
		for n := 0; ; n++ {
			if n&1023 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			err := r.Next(m.Event())
			if err == io.EOF {
				break
			}
			if err != nil && reportBad(err, opt, sum) {
				continue
			}
			if err != nil {
				return err
			}
			sum.Events++
			hits, err = m.safeMatch(hits[:0])
			if err != nil {
				return err
			}
			if len(hits) > 0 {
				if err := report(hits); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
