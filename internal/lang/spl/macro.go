package spl

import (
	"sort"
	"strconv"
	"strings"
)

// Macro is one macro definition from macros/<name>.yml (name, arguments,
// definition). Name may carry Splunk's arity suffix ("ctime(1)"); it is
// ignored in favour of len(Args).
type Macro struct {
	Name       string
	Args       []string
	Definition string
	File       string
	Line       int
}

// Macros is a macro table keyed by name and argument count (Splunk's
// name(N)): two macros may share a name with different arities.
type Macros struct {
	defs map[macroKey]*Macro
	// arities lists the argument counts defined per name, for messages.
	arities map[string][]int
}

type macroKey struct {
	name  string
	nargs int
}

// NewMacros builds a macro table. A later definition of the same name and
// arity replaces an earlier one.
func NewMacros(defs []Macro) *Macros {
	m := &Macros{defs: make(map[macroKey]*Macro, len(defs)), arities: map[string][]int{}}
	for i := range defs {
		d := defs[i]
		d.Name = baseName(d.Name)
		k := macroKey{d.Name, len(d.Args)}
		if _, dup := m.defs[k]; !dup {
			m.arities[d.Name] = append(m.arities[d.Name], len(d.Args))
		}
		m.defs[k] = &d
	}
	for _, a := range m.arities {
		sort.Ints(a)
	}
	return m
}

// Len is the number of definitions.
func (m *Macros) Len() int {
	if m == nil {
		return 0
	}
	return len(m.defs)
}

// lookup finds the definition of name with nargs arguments: the ruleset's
// own first, then the built-ins of Splunk's CIM and ES apps.
func (m *Macros) lookup(name string, nargs int) (def *Macro, builtin bool) {
	k := macroKey{name, nargs}
	if m != nil {
		if d, ok := m.defs[k]; ok {
			return d, false
		}
	}
	if d, ok := builtins[k]; ok {
		return d, true
	}
	return nil, false
}

// aritiesOf lists the argument counts name is defined with.
func (m *Macros) aritiesOf(name string) []int {
	var out []int
	if m != nil {
		out = append(out, m.arities[name]...)
	}
	for k := range builtins {
		if k.name == name {
			out = append(out, k.nargs)
		}
	}
	return out
}

// baseName strips Splunk's "(N)" arity suffix from a macro name.
func baseName(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.IndexByte(name, '('); i > 0 && strings.HasSuffix(name, ")") {
		if _, err := strconv.Atoi(name[i+1 : len(name)-1]); err == nil {
			return name[:i]
		}
	}
	return name
}

// builtins are macros ESCU detections call that ship with Splunk's Common
// Information Model app (Splunk_SA_CIM) or Enterprise Security rather than
// with ESCU's macros/ folder. Their definitions follow the apps' documented
// behaviour.
var builtins = func() map[macroKey]*Macro {
	defs := []Macro{
		// CIM: strips the data model object prefix from field names
		// (Processes.process_name → process_name).
		{Name: "drop_dm_object_name", Args: []string{"object"},
			Definition: `rename $object$.* AS *`},
		// CIM: a subsearch returning the corporate web domains (from the
		// cim_corporate_web_domain_lookup) as field=value terms on the
		// given field.
		{Name: "cim_corporate_web_domain_search", Args: []string{"field"},
			Definition: `[| inputlookup append=T cim_corporate_web_domain_lookup | rename domain AS $field$ | table $field$]`},
		// ES: enriches the field with the asset lookups, by string and by
		// CIDR, as $field$_* fields.
		{Name: "get_asset", Args: []string{"field"},
			Definition: `lookup asset_lookup_by_str asset AS $field$ OUTPUTNEW asset_id AS $field$_asset_id nt_host AS $field$_nt_host dns AS $field$_dns owner AS $field$_owner priority AS $field$_priority category AS $field$_category bunit AS $field$_bunit` +
				` | lookup asset_lookup_by_cidr asset AS $field$ OUTPUTNEW asset_id AS $field$_asset_id nt_host AS $field$_nt_host dns AS $field$_dns owner AS $field$_owner priority AS $field$_priority category AS $field$_category bunit AS $field$_bunit`},
	}
	m := make(map[macroKey]*Macro, len(defs))
	for i := range defs {
		m[macroKey{defs[i].Name, len(defs[i].Args)}] = &defs[i]
	}
	return m
}()
