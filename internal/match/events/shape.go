package events

// Event shapes and the short names of their fields.
//
// Every scalar of an event is filed under its dotted path, folded
// ("event.eventdata.image", "process.name"), so nested ECS JSON and flat
// JSON (Sysmon or Winlogbeat names at the top level, or dotted keys) need
// nothing more. Two shapes also give each value the short name Sigma rules
// use:
//
//	shape                         path                                   short name
//	Windows event (EVTX dumpers)  Event.System.<X>                       X (EventID, Channel, Computer, Level …)
//	                              Event.System.<X>.#text                 X (EventID with Qualifiers)
//	                              Event.System.<X>.#attributes.<Y>       X_Y (Provider_Name, TimeCreated_SystemTime,
//	                                                                     Execution_ProcessID, Security_UserID …)
//	                              Event.EventData.<X>                    X (Image, CommandLine, TargetObject …)
//	                              Event.EventData.Data[{"#attributes":{"Name":X},"#text":v}]   X
//	                              Event.UserData.<…>.<X>                 X
//	Winlogbeat                    winlog.event_data.<X>, winlog.user_data.<X>   X
//	                              winlog.event_id, winlog.channel        EventID, Channel
//	                              winlog.provider_name, winlog.computer_name, winlog.record_id
//	                                                                     Provider_Name, Computer, EventRecordID
//
// Short names are matched case-insensitively like every field name. When a
// System field and a data field share a short name (event 104 names the
// cleared log in UserData Channel), the short name means the data field;
// the System field stays reachable by its path, and Event.Channel,
// Event.EventID and Event.Provider (which pick the rules to test) read the
// System fields.

// winlogNames are the short names of winlog.<x> fields.
var winlogNames = map[string]string{
	"event_id":      "eventid",
	"channel":       "channel",
	"provider_name": "provider_name",
	"provider_guid": "provider_guid",
	"computer_name": "computer",
	"record_id":     "eventrecordid",
	"task":          "task",
	"opcode":        "opcode",
	"version":       "version",
}

// aliasOf returns the folded short name of a path given by its folded
// components, or "", and whether it is a System (header) field.
func aliasOf(c []string) (string, bool) {
	n := len(c)
	if n < 2 {
		return "", false
	}
	switch c[0] {
	case "event":
		switch c[1] {
		case "system":
			switch {
			case n == 3:
				return c[2], true
			case n == 4 && c[3] == "#text":
				return c[2], true
			case n == 5 && c[3] == "#attributes":
				return c[2] + "_" + c[4], true
			}
		case "eventdata", "userdata":
			if n < 3 {
				return "", false
			}
			last := n - 1
			if c[last] == "#text" {
				last--
			}
			if last < 2 {
				return "", false
			}
			for i := 2; i <= last; i++ {
				if c[i] == "#attributes" {
					return "", false
				}
			}
			return c[last], false
		}
	case "winlog":
		switch c[1] {
		case "event_data", "user_data":
			if n >= 3 {
				return c[n-1], false
			}
		default:
			if n == 2 {
				if a, ok := winlogNames[c[1]]; ok {
					return a, true
				}
			}
		}
	}
	return "", false
}
