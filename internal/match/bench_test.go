package match

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ruledex/internal/match/synth"
	"ruledex/internal/rule"
)

var (
	benchOnce   sync.Once
	benchEngine *Engine
)

// benchSetup compiles SigmaHQ's rules/ folder once.
func benchSetup(b *testing.B) *Engine {
	all := loadSigma(b)
	benchOnce.Do(func() {
		var rules []*rule.Rule
		for _, r := range all {
			if strings.HasPrefix(r.Path, "rules/") {
				rules = append(rules, r)
			}
		}
		benchEngine = New(rules)
	})
	return benchEngine
}

// benchRun decodes and matches b.N synthetic Sysmon events (a mix of
// process, network, image load, file, registry and DNS events) with the
// SigmaHQ rules/ set and reports events per second of wall clock and of
// the process's CPU time.
func benchRun(b *testing.B, workers int) {
	e := benchSetup(b)
	var buf bytes.Buffer
	if err := synth.Write(&buf, b.N, 1); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	sum, err := e.Run(context.Background(), []Input{{Name: "synthetic", R: &buf}}, RunOptions{Workers: workers}, func(Hit) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(sum.Events)/b.Elapsed().Seconds(), "events/s")
	// On a shared machine the process's CPU time says more than the wall
	// clock: it does not count the time other processes had the cores.
	b.ReportMetric(float64(sum.Events)/(cpuTime()-cpu).Seconds(), "events/cpu-s")
}

// BenchmarkMatch decodes and matches on one goroutine (one core).
func BenchmarkMatch(b *testing.B) { benchRun(b, 1) }

// BenchmarkParallel decodes on one goroutine and matches on two.
func BenchmarkParallel(b *testing.B) { benchRun(b, 2) }

// cpuTime is the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
