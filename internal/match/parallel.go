package match

import (
	"context"
	"errors"
	"io"
	"sync"

	"ruledex/internal/match/events"
)

// batchSize is how many events travel together between the goroutines of
// a parallel run.
const batchSize = 256

// batch is a run of decoded events and, once matched, their hits.
type batch struct {
	seq    int
	events []*events.Event
	n      int
	hits   []Hit
	bad    []error // *events.RecordError and *events.FileError, in input order
	err    error
}

// runParallel decodes on one goroutine and matches on opt.Workers, then
// reports batches in input order (correlations need event order).
func (e *Engine) runParallel(parent context.Context, inputs []Input, opt RunOptions, sum *Summary, report func([]Hit) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	workers := opt.Workers
	free := make(chan *batch, 2*workers+2)
	proto := events.NewEvent(e.schema)
	for i := 0; i < cap(free); i++ {
		b := &batch{events: make([]*events.Event, batchSize)}
		for j := range b.events {
			b.events[j] = events.NewEvent(e.schema)
			b.events[j].SharePaths(proto) // only the reader decodes
		}
		free <- b
	}
	todo := make(chan *batch, workers)
	done := make(chan *batch, cap(free))

	// The reader.
	go func() {
		defer close(todo)
		seq := 0
		var b *batch
		next := func() bool {
			select {
			case b = <-free:
			case <-ctx.Done():
				return false
			}
			b.seq, b.n, b.hits, b.bad, b.err = seq, 0, b.hits[:0], b.bad[:0], nil
			seq++
			return true
		}
		if !next() {
			return
		}
		send := func() bool {
			select {
			case todo <- b:
				return next()
			case <-ctx.Done():
				return false
			}
		}
		for _, in := range inputs {
			r := events.NewReader(in.R, in.Name)
			for {
				err := r.Next(b.events[b.n])
				if err == io.EOF {
					break
				}
				var re *events.RecordError
				var fe *events.FileError
				switch {
				case errors.As(err, &re):
					b.bad = append(b.bad, re)
					continue
				case errors.As(err, &fe):
					b.bad = append(b.bad, fe)
					continue
				case err != nil:
					b.err = err
					send()
					return
				}
				b.n++
				if b.n == batchSize && !send() {
					return
				}
			}
		}
		if b.n > 0 || len(b.bad) > 0 {
			send()
		} else {
			free <- b
		}
	}()

	// The matchers.
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := e.NewMatcher()
			for b := range todo {
				for _, ev := range b.events[:b.n] {
					own := m.ev
					m.ev = ev
					var err error
					b.hits, err = m.safeMatch(b.hits)
					m.ev = own
					if err != nil && b.err == nil {
						b.err = err
					}
				}
				done <- b
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()

	// The reporter: batches in sequence.
	pending := map[int]*batch{}
	want := 0
	var firstErr error
	for b := range done {
		pending[b.seq] = b
		for {
			nb, ok := pending[want]
			if !ok {
				break
			}
			delete(pending, want)
			want++
			if firstErr == nil {
				firstErr = e.finishBatch(nb, opt, sum, report)
				if firstErr != nil {
					cancel()
				}
			}
			free <- nb
		}
	}
	if firstErr == nil {
		firstErr = parent.Err()
	}
	return firstErr
}

// finishBatch reports one batch's bad records and hits.
func (e *Engine) finishBatch(b *batch, opt RunOptions, sum *Summary, report func([]Hit) error) error {
	sum.Events += b.n
	for _, err := range b.bad {
		reportBad(err, opt, sum)
	}
	if len(b.hits) > 0 {
		if err := report(b.hits); err != nil {
			return err
		}
	}
	return b.err
}
