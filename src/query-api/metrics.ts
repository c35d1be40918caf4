/**
 * The query side's Prometheus metrics (DESIGN.md "GET /metrics": query latency): every
 * `POST /v1/query` and `POST /v1/queries/:id/run` is counted by outcome, and the latency of those
 * that answered is observed. For streamed exports (ndjson, CSV) the latency is until the rows
 * start to flow.
 */
import { Counter, Gauge, Histogram, type Registry } from '../metrics/index.js'
import type { QueryGate } from './gate.js'

/** How a query ended: answered, failed, or stopped because its client went away. */
export type QueryOutcome = 'ok' | 'error' | 'cancelled'

/** Register the query metrics on `registry`; returns the `onQuery` hook of the query routes. */
export function registerQueryMetrics(registry: Registry, gate?: QueryGate): (ms: number, outcome: QueryOutcome) => void {
  if (gate) {
    registry.add(new Gauge('sluice_queries_running', 'queries holding a query slot', () => gate.running))
    registry.add(new Gauge('sluice_queries_waiting', 'queries waiting for a query slot', () => gate.waiting))
  }
  const total = registry.add(new Counter('sluice_queries_total', 'queries run (POST /v1/query, saved query runs), by outcome (ok, error, cancelled: the client went away first)'))
  const seconds = registry.add(new Histogram('sluice_query_duration_seconds', 'latency of queries that answered',
    [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]))
  return (ms, outcome) => {
    total.inc(1, { outcome })
    if (outcome === 'ok') seconds.observe(ms / 1000)
  }
}
