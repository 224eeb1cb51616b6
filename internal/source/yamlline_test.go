package source

import (
	"errors"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestYAMLSyntaxError(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
	}{
		{"key indented wrongly", "title: x\nlogsource:\n  product: windows\n category: process_creation\ndetection: {}\n", 4},
		{"unclosed flow sequence", "title: x\nlogsource:\n  product: windows\n  category: [process_creation\ndetection:\n  a: b\n", 4},
		{"unclosed quote", "title: x\ndetection:\n  selection:\n    Image: \"cmd.exe\n  condition: selection\n", 4},
		{"tab indentation", "title: x\ndetection:\n\tselection: 1\n", 3},
		{"error on the first line", "title: [x\n", 1},
	} {
		var doc yaml.Node
		err := yaml.Unmarshal([]byte(tc.text), &doc)
		if err == nil {
			t.Fatalf("%s: the fixture parses", tc.name)
		}
		line, msg := YAMLSyntaxError([]byte(tc.text), err)
		if line != tc.line || msg == "" {
			t.Errorf("%s: line %d (%q), want %d (yaml.v3 said %v)", tc.name, line, msg, tc.line, err)
		}
	}
	if line, msg := YAMLSyntaxError([]byte("a: b\n"), errors.New("yaml: something")); line != 1 || msg != "something" {
		t.Errorf("an error without a line: %d %q", line, msg)
	}
}
