// Package ops is what an operator runs newsdesk with: the health and
// readiness endpoints, the access log and the Prometheus metrics. It knows
// no adapter; cmd/newsdesk hands it the checks and counters it reports.
package ops
