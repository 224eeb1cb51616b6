package catalog

import (
	"sort"

	"ruledex/internal/source"
	"ruledex/internal/source/elastic"
	"ruledex/internal/source/escu"
	"ruledex/internal/source/sigma"
)

// readers maps a ruleset KIND to the reader of its layout.
var readers = map[string]source.Reader{
	"splunk":  escu.Reader{},
	"sigma":   sigma.Reader{},
	"elastic": elastic.Reader{},
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
