package rule

// SigmaMeta is what a Sigma rule says beyond the common fields.
// (Filled in by the Sigma work; see internal/source/sigma.)
type SigmaMeta struct {
}
