package highlight

import (
	"bytes"
	"os"
	"path/filepath"

	"ruledex/internal/sharedtest"
	"ruledex/internal/source"
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	tests := []struct {
		name, lang, src string
		want            []string // substrings of the output
	}{
		{"yaml key and plain string", "yaml", "name: BITS Job",
			[]string{`<span class="k">name</span>`, `<span class="s">BITS Job</span>`}},
		{"yaml number and comment", "yaml", "version: 5 # bump",
			[]string{`<span class="n">5</span>`, `<span class="c"># bump</span>`}},
		{"yaml list of quoted", "yaml", "refs:\n- 'a&b'\n",
			[]string{`<span class="p">-</span> <span class="s">&#39;a&amp;b&#39;</span>`}},
		{"yaml block scalar", "yaml", "search: |-\n  | tstats <x>\nname: y",
			[]string{`<span class="p">|-</span>`, `<span class="s">  | tstats &lt;x&gt;</span>`, `<span class="k">name</span>`}},
		{"yaml multi-line single quote", "yaml", "search: '| a\n  b ''c''\n  d'\nnext: 1",
			[]string{`<span class="s">  b &#39;&#39;c&#39;&#39;</span>`, `<span class="s">  d&#39;</span>`, `<span class="k">next</span>`}},
		{"yaml escapes script", "yaml", "d: <script>alert(1)</script>",
			[]string{`&lt;script&gt;alert(1)&lt;/script&gt;`}},
		{"toml header and key", "toml", "[rule]\nname = \"x\"\n",
			[]string{`<span class="h">[rule]</span>`, `<span class="k">name</span> <span class="p">=</span> <span class="s">&#34;x&#34;</span>`}},
		{"toml multi-line string", "toml", "query = '''\nprocess where a == \"b\"\n'''\nx = 1",
			[]string{"<span class=\"s\">&#39;&#39;&#39;\nprocess where a == &#34;b&#34;\n&#39;&#39;&#39;</span>", `<span class="k">x</span>`}},
		{"toml array spanning lines", "toml", "index = [\n  \"a-*\",\n  \"b\",\n]\nk = true",
			[]string{`<span class="s">&#34;a-*&#34;</span>`, `<span class="k">k</span>`, `<span class="n">true</span>`}},
		{"toml array of tables", "toml", "[[rule.threat]]\nframework = \"MITRE ATT&CK\"",
			[]string{`<span class="h">[[rule.threat]]</span>`, `MITRE ATT&amp;CK`}},
		{"unknown language only escapes", "text", "<b>", []string{"&lt;b&gt;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HTML(tt.lang, tt.src)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			if strings.Contains(strings.NewReplacer(`<span class="`, "", `">`, "", `</span>`, "").Replace(got), "<") {
				t.Errorf("unescaped < in output:\n%s", got)
			}
		})
	}
}

// FuzzHTML checks that nothing panics and that every byte of the input
// comes out escaped: removing the markup gives back the input.
func FuzzHTML(f *testing.F) {
	for _, s := range []string{"a: 'b\n c'\n", "x = \"\"\"\n\"\"\"", "- - k: |\n  v", "[[a]]\nb = [{c = 1}, 2]"} {
		f.Add("yaml", s)
		f.Add("toml", s)
	}
	strip := strings.NewReplacer(`</span>`, "")
	unescape := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&")
	f.Fuzz(func(t *testing.T, lang, src string) {
		out := HTML(lang, src)
		for _, cls := range []string{"k", "s", "n", "c", "h", "p"} {
			out = strings.ReplaceAll(out, `<span class="`+cls+`">`, "")
		}
		out = strip.Replace(out)
		if strings.ContainsAny(out, "<>") {
			t.Fatalf("unescaped markup for %q", src)
		}
		if got := unescape.Replace(out); got != src {
			t.Fatalf("text changed:\n in: %q\nout: %q", src, got)
		}
	})
}

func BenchmarkHTMLCorpus(b *testing.B) {
	for _, tc := range []struct{ lang, dir, ext string }{
		{"yaml", "splunk", ".yml"}, {"yaml", "sigma", ".yml"}, {"toml", "elastic", ".toml"},
	} {
		b.Run(tc.dir, func(b *testing.B) {
			root := sharedtest.Path(b, "corpus", tc.dir)
			files, err := source.Files(root, tc.ext)
			if err != nil {
				b.Fatal(err)
			}
			var data []string
			total := 0
			for _, f := range files {
				d, _ := os.ReadFile(filepath.Join(root, f))
				data = append(data, string(d))
				total += len(d)
			}
			b.SetBytes(int64(total))
			for i := 0; i < b.N; i++ {
				for _, d := range data {
					HTML(tc.lang, d)
				}
			}
		})
	}
}

// TestWriteLineStarts checks that every line, including those inside
// multi-line strings, gets exactly one line start, and a final newline none.
func TestWriteLineStarts(t *testing.T) {
	for _, tc := range []struct{ lang, src string }{
		{"yaml", "a: 1\nb: 'x\n  y'\nc: |\n  z\n"},
		{"toml", "q = '''\none\ntwo\n'''\nx = [\n 1,\n]"},
		{"text", "one\ntwo"},
	} {
		var b bytes.Buffer
		n := 0
		Write(&b, tc.lang, tc.src, func(dst *bytes.Buffer) { n++; dst.WriteString("<L>") })
		want := strings.Count(strings.TrimSuffix(tc.src, "\n"), "\n") + 1
		if n != want {
			t.Errorf("%s: %d line starts, want %d:\n%s", tc.lang, n, want, b.String())
		}
	}
}
