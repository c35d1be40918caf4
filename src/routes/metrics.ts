/**
 * `GET /metrics` (mounted at `/`): Prometheus text exposition of the process registry, after its
 * scrape hooks refreshed what takes I/O to read (the store's parts and merges).
 */
import { Hono } from 'hono'
import type { Registry } from '../metrics/index.js'

/** What the metrics route needs. */
export interface MetricsRouteDeps {
  readonly registry: Registry
}

/** The metrics route group. */
export function metricsRoutes(deps: MetricsRouteDeps): Hono {
  const app = new Hono()
  app.get('/metrics', async (c) => c.body(await deps.registry.scrape(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }))
  return app
}
