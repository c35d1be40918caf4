/** `GET /metrics` (mounted at `/`): Prometheus text exposition of the process registry. */
import { Hono } from 'hono'
import type { Registry } from '../metrics/index.js'

/** What the metrics route needs. */
export interface MetricsRouteDeps {
  readonly registry: Registry
}

/** The metrics route group. */
export function metricsRoutes(deps: MetricsRouteDeps): Hono {
  const app = new Hono()
  app.get('/metrics', (c) => c.body(deps.registry.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }))
  return app
}
