package match

import (
	"bytes"
	"os"
	"sync"
	"testing"

	"ruledex/internal/match/events"
	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
	"ruledex/internal/source/sigma"
)

var (
	fuzzOnce   sync.Once
	fuzzEngine *Engine
)

func fuzzSetup(f *testing.F) *Engine {
	fuzzOnce.Do(func() {
		res, err := sigma.Reader{}.Read("testdata/fuzz_rules.yml")
		if err != nil {
			f.Fatal(err)
		}
		var rules []*rule.Rule
		rules = append(rules, res.Rules...)
		fuzzEngine = New(rules)
		if len(fuzzEngine.Skipped()) > 0 {
			f.Fatalf("skipped: %v", fuzzEngine.Skipped()[0].Reason)
		}
	})
	return fuzzEngine
}

// FuzzMatch decodes arbitrary events and matches them twice, with and
// without the prefilter: the prefilter may only spare work, never a hit.
func FuzzMatch(f *testing.F) {
	e := fuzzSetup(f)
	for _, s := range []string{
		sysmon1(`"CommandLine":"powershell -nop -w hidden","User":"bob"`),
		sysmon1(`"Image":"C:\\x\\CMD.EXE","ParentImage":"c:\\x\\cmd.exe"`),
		sysmon1(`"CommandLine":"powershell /enc SQBFAFgA"`),
		sysmon1(`"CommandLine":"curl http://10.0.0.1/x"`),
		sysmon3(`"DestinationIp":"10.1.1.1","DestinationPort":"55555"`),
		`{"Channel":"Security","EventID":4688,"NewProcessName":"C:\\cmd.exe","Msg":"sekurlsa::logonpasswords"}`,
		`{"a0":"curl","a1":"-sSL"}`,
	} {
		f.Add([]byte(s))
	}
	data, _ := os.ReadFile("testdata/bitsadmin_sysmon1.json")
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		m := e.NewMatcher()
		if err := events.Decode(data, m.Event()); err != nil {
			return
		}
		with := hitIDs(m.Match(nil))
		m.all = true
		without := hitIDs(m.Match(nil))
		if with != without {
			t.Fatalf("prefilter changes the hits of %q: %q, without it %q", data, with, without)
		}
	})
}

// TestPrefilterOnCorpus checks the same property over the regression
// events with the whole Sigma corpus.
func TestPrefilterOnCorpus(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "sigma-regression")
	e := New(loadSigma(t))
	cases := regressionCases(t, root)
	m := e.NewMatcher()
	n := 0
	for _, c := range cases {
		data, err := os.ReadFile(c.events)
		if err != nil {
			t.Fatal(err)
		}
		r := events.NewReader(bytes.NewReader(data), c.events)
		for r.Next(m.Event()) == nil {
			m.all = false
			with := hitIDs(m.Match(nil))
			m.all = true
			without := hitIDs(m.Match(nil))
			if with != without {
				t.Errorf("%s event %d: prefilter hits %q, without %q", c.events, m.Event().Index, with, without)
			}
			n++
		}
	}
	t.Logf("%d events compared", n)
}
