package match

import (
	"strings"
	"testing"
)

// TestMappingFunctions checks that every function the tables name exists.
func TestMappingFunctions(t *testing.T) {
	for _, table := range []map[string]map[string]derive{cimTable, ecsTable} {
		for kind, fields := range table {
			if kindByName[kind] == nil {
				t.Errorf("table names unknown kind %s", kind)
			}
			for name, d := range fields {
				if d.fn != "" && deriveFuncs[d.fn] == nil && !strings.HasPrefix(d.fn, "hash:") {
					t.Errorf("%s %s: unknown function %s", kind, name, d.fn)
				}
				if len(d.from) == 0 && len(d.value) == 0 {
					t.Errorf("%s %s: neither source nor value", kind, name)
				}
			}
		}
	}
	for dm, d := range dataModels {
		for _, k := range d.kinds {
			if cimTable[k] == nil {
				t.Errorf("data model %s reads %s, which has no CIM table", dm, k)
			}
		}
	}
}

func TestDeriveFuncs(t *testing.T) {
	tests := []struct{ fn, in, want string }{
		{"basename", `C:\Windows\System32\cmd.exe`, "cmd.exe"},
		{"basename", `cmd.exe`, "cmd.exe"},
		{"dirname", `C:\Windows\cmd.exe`, `C:\Windows`},
		{"user_name", `CORP\alice`, "alice"},
		{"user_domain", `CORP\alice`, "CORP"},
		{"extension", `C:\a\b.tar.GZ`, "GZ"},
		{"hive_long", `HKLM\Software\x`, `HKLM\Software\x|HKEY_LOCAL_MACHINE\Software\x`},
		{"reg_key", `HKLM\Software\x`, `Software\x`},
		{"reg_key_of_value", `HKLM\Software\Run\v`, `Software\Run`},
		{"egress", "true", "egress"},
		{"reg_action", "DeleteValue", "deleted"},
		{"argc", `"C:\Program Files\a.exe" -x "y z"`, "3"},
		{"argv", `"C:\Program Files\a.exe" -x "y z"`, `C:\Program Files\a.exe|-x|y z`},
		{"argv", `a\\\"b c\\d "e""f"`, `a\"b|c\\d|e"f`},
		{"splunk_source", "Security", "XmlWinEventLog:Security|WinEventLog:Security"},
		{"hash:SHA256", "SHA1=AB,SHA256=CDEF,IMPHASH=01", "cdef"},
	}
	for _, tc := range tests {
		f := deriveFuncs[tc.fn]
		if strings.HasPrefix(tc.fn, "hash:") {
			f = hashFunc(strings.TrimPrefix(tc.fn, "hash:"))
		}
		var got []string
		f(tc.in, func(s string) { got = append(got, s) })
		if strings.Join(got, "|") != tc.want {
			t.Errorf("%s(%q) = %q, want %q", tc.fn, tc.in, got, tc.want)
		}
	}
}

func TestMappingTables(t *testing.T) {
	out := MappingTables()
	for _, want := range []string{"logsource process_creation", "Image→NewProcessName", "cim  sysmon-1", "process_name", "basename(Image)", "ecs  sysmon-1", "argv(CommandLine)"} {
		if !strings.Contains(out, want) {
			t.Errorf("MappingTables lacks %q", want)
		}
	}
}
