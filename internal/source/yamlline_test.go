package source

import (
	"errors"
	"fmt"
	"strings"
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

// TestYAMLSyntaxErrorHugeFile checks that the search for the line gives up
// on a huge file (keeping yaml.v3's line) instead of parsing megabytes
// hundreds of times: here the fault is on line 42, after 40 lines of 100 KB.
func TestYAMLSyntaxErrorHugeFile(t *testing.T) {
	long := strings.Repeat("v", 100<<10)
	b := []byte("a:\n")
	for i := 0; i < 40; i++ {
		b = append(b, fmt.Sprintf("  k%d: %s\n", i, long)...)
	}
	b = append(b, " c: 2\n"...)
	var doc yaml.Node
	err := yaml.Unmarshal(b, &doc)
	if err == nil {
		t.Fatal("the fixture parses")
	}
	small := []byte("a:\n  k: v\n c: 2\n")
	var sdoc yaml.Node
	if line, _ := YAMLSyntaxError(small, yaml.Unmarshal(small, &sdoc)); line != 3 {
		t.Fatalf("the small twin: line %d, want 3", line)
	}
	if line, _ := YAMLSyntaxError(b, err); line == 42 {
		t.Errorf("line 42: the search parsed far more than its budget")
	}
}
