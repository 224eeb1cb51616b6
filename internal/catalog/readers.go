package catalog

import (
	"sort"

	"ruledex/internal/source"
	"ruledex/internal/source/escu"
)

// readers maps a ruleset KIND to the reader of its layout.
var readers = map[string]source.Reader{
	"splunk": escu.Reader{},
}

// Kinds lists the ruleset kinds Build accepts.
func Kinds() []string {
	var ks []string
	for k := range readers {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
