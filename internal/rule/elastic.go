package rule

// ElasticMeta is what an Elastic detection rule says beyond the common fields.
// (Filled in by the Elastic work; see internal/source/elastic.)
type ElasticMeta struct {
}
