// Package events knows the Windows event log events detection rules rely on
// and maps what each rule source says about its data onto them:
//
//   - a built-in catalog of events (provider, channel, id, Microsoft's title),
//     see catalog.go;
//   - ESCU data_source names ("Sysmon EventID 1", "Windows Event Log
//     Security 4688") to events, see ForDataSource;
//   - Sigma logsources (product/category/service) to events and to the
//     conditions an event must meet to be in a logsource, see ForLogsource,
//     ForSigmaRule and LogsourceConditions;
//   - Elastic index patterns, integrations and event.* values to events and
//     plain-language descriptions of non-Windows data, see ForElastic.
//
// Everything here is static data and pure functions over it: no I/O, safe for
// concurrent use, and no input can make it panic.
package events

import (
	"strconv"
	"strings"

	"ruledex/internal/rule"
)

// Event is one Windows event log event: an event id of a provider, written
// to a channel.
type Event struct {
	Provider string // full provider name: "Microsoft-Windows-Sysmon", "Microsoft-Windows-Security-Auditing"
	Short    string // display name: "Sysmon", "Security-Auditing", "PowerShell", "Service Control Manager", …
	Channel  string // "Microsoft-Windows-Sysmon/Operational", "Security", "System", …
	ID       int
	// Title is Microsoft's own title for the event (the documentation's
	// heading, else the first sentence of the provider's message with its
	// %n insertion strings). It is "" for an event the catalog does not
	// know: the mapping functions still return such events, with the
	// provider and channel they could tell, so that a rule page can name
	// the event even without a title.
	Title string
}

// Known reports whether the event is in the built-in catalog.
func (e Event) Known() bool { return e.Title != "" }

// Ref is the event as a rule refers to it. Provider is the short display
// name, as the rule pages show it; via names what implied the event (a data
// source name, a logsource, an index pattern).
func (e Event) Ref(via string) rule.EventRef {
	return rule.EventRef{
		Provider: e.Short,
		EventID:  strconv.Itoa(e.ID),
		Title:    e.Title,
		Channel:  e.Channel,
		Via:      via,
	}
}

// String is "Sysmon 1" / "Security-Auditing 4688", for messages and tests.
func (e Event) String() string { return e.Short + " " + strconv.Itoa(e.ID) }

// key identifies an event: the same id means different things for
// different providers, and one provider can write the same id to several
// channels (PowerShell 4104 to Operational and PowerShellCore).
type key struct {
	provider string // lower case
	channel  string // lower case
	id       int
}

func (e Event) key() key {
	return key{strings.ToLower(e.Provider), strings.ToLower(e.Channel), e.ID}
}

// Lookup finds a catalog event by id and by any of its names: the full
// provider name, the short name or the channel, compared without regard to
// case. A Splunk source prefix ("XmlWinEventLog:", "WinEventLog:") is
// ignored. When several providers share a name (the Security channel holds
// both Security-Auditing and Eventlog events) the id decides.
func Lookup(providerOrShortOrChannel string, id int) (Event, bool) {
	name := normalizeName(providerOrShortOrChannel)
	for _, i := range idx.byName[name] {
		if catalog[i].ID == id {
			return catalog[i], true
		}
	}
	return Event{}, false
}

// All returns the whole catalog, in catalog order (by provider, then id).
// The slice is a copy; callers may change it.
func All() []Event {
	out := make([]Event, len(catalog))
	copy(out, catalog)
	return out
}

// normalizeName lower-cases a provider, short or channel name and drops the
// Splunk source prefixes, so that "XmlWinEventLog:Security" is "security".
func normalizeName(s string) string {
	s = strings.TrimSpace(s)
	ls := strings.ToLower(s)
	for _, p := range []string{"xmlwineventlog:", "wineventlog:"} {
		if strings.HasPrefix(ls, p) {
			ls = ls[len(p):]
			break
		}
	}
	return strings.TrimSpace(ls)
}

// eventSet collects events once each, in the order first added.
type eventSet struct {
	list []Event
	seen map[key]bool
}

func (s *eventSet) add(evs ...Event) {
	for _, e := range evs {
		k := e.key()
		if s.seen == nil {
			s.seen = map[key]bool{}
		}
		if s.seen[k] {
			continue
		}
		s.seen[k] = true
		s.list = append(s.list, e)
	}
}
