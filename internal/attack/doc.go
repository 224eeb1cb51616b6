// Package attack loads MITRE ATT&CK from a STIX 2.1 bundle (the
// enterprise-attack.json that MITRE publishes, or the Mobile and ICS ones)
// and resolves rules' ATT&CK references against it: technique names and
// tactics in matrix order, sub-technique parents, revoked techniques
// followed to their replacements, deprecated ones flagged, groups and
// software named. Ids the bundle does not know are kept as written with a
// note, never dropped.
//
// Parse reads a bundle (plain JSON or gzip); Open also downloads one from a
// URL into a cache. A Matrix is read-only once built and safe for concurrent
// use.
package attack
