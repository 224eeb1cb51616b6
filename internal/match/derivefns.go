package match

import (
	"strconv"
	"strings"

	"ruledex/internal/match/events"
)

// deriveFuncs are the functions of the mapping tables (see mapping.go).
var deriveFuncs = map[string]events.DeriveFunc{
	"basename": func(v string, emit func(string)) {
		emit(v[strings.LastIndexAny(v, `\/`)+1:])
	},
	"dirname": func(v string, emit func(string)) {
		if i := strings.LastIndexAny(v, `\/`); i >= 0 {
			emit(v[:i])
		}
	},
	"argv": func(v string, emit func(string)) {
		for _, a := range splitArgs(v) {
			emit(a)
		}
	},
	"argc": func(v string, emit func(string)) {
		emit(strconv.Itoa(len(splitArgs(v))))
	},
	"user_name": func(v string, emit func(string)) {
		emit(v[strings.LastIndexByte(v, '\\')+1:])
	},
	"user_domain": func(v string, emit func(string)) {
		if i := strings.LastIndexByte(v, '\\'); i >= 0 {
			emit(v[:i])
		}
	},
	"extension": func(v string, emit func(string)) {
		base := v[strings.LastIndexAny(v, `\/`)+1:]
		if i := strings.LastIndexByte(base, '.'); i >= 0 && i+1 < len(base) {
			emit(base[i+1:])
		}
	},
	"egress": func(v string, emit func(string)) {
		if strings.EqualFold(strings.TrimSpace(v), "true") {
			emit("egress")
		} else {
			emit("ingress")
		}
	},
	"direction": func(v string, emit func(string)) {
		if strings.EqualFold(strings.TrimSpace(v), "true") {
			emit("outbound")
		} else {
			emit("inbound")
		}
	},
	"trusted": func(v string, emit func(string)) {
		emit(strconv.FormatBool(strings.EqualFold(strings.TrimSpace(v), "Valid")))
	},
	"reg_action": func(v string, emit func(string)) {
		switch {
		case strings.EqualFold(v, "CreateKey"):
			emit("created")
		case strings.HasPrefix(strings.ToLower(v), "delete"):
			emit("deleted")
		default:
			emit("modified")
		}
	},
	"reg_type": func(v string, emit func(string)) {
		switch {
		case strings.EqualFold(v, "CreateKey"):
			emit("creation")
		case strings.HasPrefix(strings.ToLower(v), "delete"):
			emit("deletion")
		default:
			emit("change")
		}
	},
	"hive": func(v string, emit func(string)) {
		if i := strings.IndexByte(v, '\\'); i > 0 {
			emit(v[:i])
		}
	},
	"hive_long": func(v string, emit func(string)) {
		emit(v)
		i := strings.IndexByte(v, '\\')
		if i < 0 {
			i = len(v)
		}
		if long, ok := hiveNames[strings.ToUpper(v[:i])]; ok {
			emit(long + v[i:])
		}
	},
	"reg_key": func(v string, emit func(string)) {
		if i := strings.IndexByte(v, '\\'); i >= 0 {
			emit(v[i+1:])
		}
	},
	"reg_key_of_value": func(v string, emit func(string)) {
		i, j := strings.IndexByte(v, '\\'), strings.LastIndexByte(v, '\\')
		if i >= 0 && j > i {
			emit(v[i+1 : j])
		}
	},
	"splunk_source": func(v string, emit func(string)) {
		emit("XmlWinEventLog:" + v)
		emit("WinEventLog:" + v)
	},
	"splunk_sourcetype": func(v string, emit func(string)) {
		emit("XmlWinEventLog")
		emit("WinEventLog")
		emit("XmlWinEventLog:" + v)
		emit("WinEventLog:" + v)
	},
}

var hiveNames = map[string]string{
	"HKLM": "HKEY_LOCAL_MACHINE",
	"HKU":  "HKEY_USERS",
	"HKCU": "HKEY_CURRENT_USER",
	"HKCR": "HKEY_CLASSES_ROOT",
	"HKCC": "HKEY_CURRENT_CONFIG",
}

// hashFunc returns the hash:X function: the X= entry of Sysmon's Hashes.
func hashFunc(name string) events.DeriveFunc {
	prefix := strings.ToLower(name) + "="
	return func(v string, emit func(string)) {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if len(part) > len(prefix) && strings.EqualFold(part[:len(prefix)], prefix) {
				emit(strings.ToLower(part[len(prefix):]))
			}
		}
	}
}

// splitArgs splits a Windows command line as CommandLineToArgvW does:
// white space separates arguments, double quotes group, 2n backslashes
// before a quote give n and the quote delimits, 2n+1 give n and a literal
// quote; other backslashes are literal.
func splitArgs(s string) []string {
	var args []string
	var cur []byte
	inArg, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case (c == ' ' || c == '\t') && !quoted:
			if inArg {
				args = append(args, string(cur))
				cur, inArg = cur[:0], false
			}
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			inArg = true
			if i < len(s) && s[i] == '"' {
				for j := 0; j < n/2; j++ {
					cur = append(cur, '\\')
				}
				if n%2 == 1 {
					cur = append(cur, '"')
				} else {
					quoted = !quoted
				}
			} else {
				for j := 0; j < n; j++ {
					cur = append(cur, '\\')
				}
				i--
			}
		case c == '"':
			inArg = true
			if quoted && i+1 < len(s) && s[i+1] == '"' {
				// "" inside quotes is a literal quote.
				cur = append(cur, '"')
				i++
				continue
			}
			quoted = !quoted
		default:
			inArg = true
			cur = append(cur, c)
		}
	}
	if inArg {
		args = append(args, string(cur))
	}
	return args
}
