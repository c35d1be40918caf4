/** `GET /health` (the process is alive) and `GET /ready` (the store answers). */
import { Hono } from 'hono'
import type { PingResult } from '../store/index.js'
import { errorBody } from '../errors.js'

/** What readiness depends on. */
export interface HealthDeps {
  /** Null while the store is still being opened/migrated. */
  readonly ping: () => Promise<PingResult>
  readonly isShuttingDown: () => boolean
}

/** Health routes, mounted at `/`. */
export function healthRoutes(deps: HealthDeps): Hono {
  const app = new Hono()
  app.get('/health', (c) => c.json({ status: 'ok' }))
  app.get('/ready', async (c) => {
    if (deps.isShuttingDown()) return c.json(errorBody('shutting_down', 'the server is shutting down'), 503)
    const r = await deps.ping()
    if (!r.ok) return c.json(errorBody('store_unavailable', `the store does not answer: ${r.reason}`, { reason: r.reason }), 503)
    return c.json({ status: 'ready' })
  })
  return app
}
