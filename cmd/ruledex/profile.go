package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
)

// setMemoryLimit sets the runtime's soft memory limit from a size such as
// "350MiB", "1GiB" or "off", unless GOMEMLIMIT is set. A soft limit never
// fails an allocation: the collector runs more often near it, which keeps a
// full corpus build's peak memory near the limit for little extra time.
func setMemoryLimit(size string) error {
	if os.Getenv("GOMEMLIMIT") != "" || size == "" || size == "off" {
		return nil
	}
	units := []struct {
		suffix string
		scale  int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(size, u.suffix); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
			if err != nil || n <= 0 {
				break
			}
			debug.SetMemoryLimit(n * u.scale)
			return nil
		}
	}
	return fmt.Errorf("--memory-limit %q: give a size such as 350MiB or 1GiB, or off", size)
}

// startCPUProfile profiles until the returned function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
