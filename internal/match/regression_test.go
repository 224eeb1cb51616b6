package match

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"ruledex/internal/rule"
	"ruledex/internal/sharedtest"
	"ruledex/internal/source/sigma"
)

// regressionInfo is the part of a SigmaHQ regression info.yml the test reads.
type regressionInfo struct {
	RuleMetadata []struct {
		ID    string `yaml:"id"`
		Title string `yaml:"title"`
	} `yaml:"rule_metadata"`
	Tests []struct {
		Name       string `yaml:"name"`
		Type       string `yaml:"type"`
		Path       string `yaml:"path"`
		MatchCount *int   `yaml:"match_count"`
	} `yaml:"regression_tests_info"`
}

// regressionCase is one test of one info.yml.
type regressionCase struct {
	dir    string
	ruleID string
	title  string
	events string // the .json beside info.yml
	want   *int   // nil: at least one (SigmaHQ's rule when match_count is absent)
}

func regressionCases(t testing.TB, root string) []regressionCase {
	var cases []regressionCase
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.Name() != "info.yml" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var info regressionInfo
		if err := yaml.Unmarshal(data, &info); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if len(info.RuleMetadata) == 0 {
			return nil
		}
		for _, tc := range info.Tests {
			if tc.Type != "evtx" && tc.Type != "json" {
				continue
			}
			base := strings.TrimSuffix(filepath.Base(tc.Path), filepath.Ext(tc.Path))
			cases = append(cases, regressionCase{dir: filepath.Dir(p), ruleID: info.RuleMetadata[0].ID,
				title: info.RuleMetadata[0].Title, events: filepath.Join(filepath.Dir(p), base+".json"), want: tc.MatchCount})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].dir < cases[j].dir })
	return cases
}

var (
	sigmaOnce   sync.Once
	corpusSigma []*rule.Rule
	sigmaErr    error
)

// loadSigma reads the whole shared Sigma corpus once per test binary.
func loadSigma(t testing.TB) []*rule.Rule {
	root := sharedtest.Path(t, "corpus", "sigma")
	sigmaOnce.Do(func() {
		res, err := sigma.Reader{}.Read(root)
		if err != nil {
			sigmaErr = err
			return
		}
		for _, r := range res.Rules {
			r.Source = "sigma"
		}
		corpusSigma = res.Rules
	})
	if sigmaErr != nil {
		t.Fatal(sigmaErr)
	}
	return corpusSigma
}

// TestSigmaRegression runs the whole Sigma corpus over every SigmaHQ
// regression case and compares the count of the case's own rule with
// match_count (exact), or requires a hit when the case gives none.
func TestSigmaRegression(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "sigma-regression")
	rules := loadSigma(t)
	// Each case counts its own rule, whatever its status: SigmaHQ keeps
	// regression data for rules it later deprecates, so the engine loads
	// the retired rules too (they only add hits of other rules).
	e := NewWithOptions(rules, Options{IncludeDeprecated: true})
	cases := regressionCases(t, root)
	if len(cases) == 0 {
		t.Fatal("no regression cases found")
	}
	pass := 0
	for _, c := range cases {
		f, err := os.Open(c.events)
		if err != nil {
			t.Errorf("%s: %v", c.dir, err)
			continue
		}
		got := 0
		_, err = e.Run(context.Background(), []Input{{Name: c.events, R: f}}, RunOptions{Workers: 1 + len(c.events)%2}, func(h Hit) error {
			if h.Rule.ID == c.ruleID {
				got++
			}
			return nil
		})
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", c.dir, err)
			continue
		}
		ok := got > 0
		want := "≥1"
		if c.want != nil {
			ok = got == *c.want
			want = itoa(*c.want)
		}
		if ok {
			pass++
			continue
		}
		reason := ""
		for _, s := range e.Skipped() {
			if s.Rule.ID == c.ruleID {
				reason = " (skipped: " + s.Reason + ")"
			}
		}
		if c.want != nil && got > *c.want {
			reason += " (SigmaHQ's runner accepts more hits: there match_count is a minimum)"
		}
		rel, _ := filepath.Rel(root, c.dir)
		t.Logf("mismatch %s %s: got %d, want %s%s", rel, c.ruleID, got, want, reason)
	}
	rate := float64(pass) / float64(len(cases))
	t.Logf("Sigma regression: %d/%d cases give the expected count (%.1f%%); %d rules loaded, %d skipped", pass, len(cases), 100*rate, len(rules), len(e.Skipped()))
	if rate < 0.98 {
		t.Errorf("pass rate %.1f%% is below 98%%", 100*rate)
	}
}
