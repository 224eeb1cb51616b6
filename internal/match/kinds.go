package match

import "strconv"

// eventKind is a kind of Windows event the field mappings know: one event
// id of one channel.
type eventKind struct {
	name     string // "sysmon-1", "security-4688"
	channel  string
	provider string
	id       int
	title    string
}

// keys are the index keys of events of this kind: its channel and event
// id, and for Sysmon the id alone (flat Sysmon JSON often names no channel).
func (k *eventKind) keys() []bkey {
	keys := []bkey{keyExact(k.channel, k.id)}
	if k.channel == sysmonChannel {
		keys = append(keys, keyExact("", k.id))
	}
	return keys
}

// binding is a new binding to events of this kind, without its resolver.
func (k *eventKind) binding() *binding {
	return &binding{keys: k.keys(), provider: k.provider, label: k.name, channel: k.channel}
}

const (
	sysmonChannel  = "Microsoft-Windows-Sysmon/Operational"
	sysmonProvider = "Microsoft-Windows-Sysmon"
)

func sysmonKind(id int, title string) *eventKind {
	return &eventKind{name: "sysmon-" + strconv.Itoa(id), channel: sysmonChannel, provider: sysmonProvider, id: id, title: title}
}

// kinds are the event kinds of the mapping tables (mapping.go).
var kinds = []*eventKind{
	sysmonKind(1, "Process creation"),
	sysmonKind(3, "Network connection"),
	sysmonKind(5, "Process terminated"),
	sysmonKind(7, "Image loaded"),
	sysmonKind(8, "CreateRemoteThread"),
	sysmonKind(10, "Process accessed"),
	sysmonKind(11, "File created"),
	sysmonKind(12, "Registry object added or deleted"),
	sysmonKind(13, "Registry value set"),
	sysmonKind(14, "Registry object renamed"),
	sysmonKind(22, "DNS query"),
	sysmonKind(23, "File delete archived"),
	sysmonKind(26, "File delete logged"),
	{name: "security-4688", channel: "Security", provider: "Microsoft-Windows-Security-Auditing", id: 4688, title: "A new process has been created"},
}

var kindByName = func() map[string]*eventKind {
	m := map[string]*eventKind{}
	for _, k := range kinds {
		m[k.name] = k
	}
	return m
}()
