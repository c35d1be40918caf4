import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { composeService } from '../../src/server/compose.js'

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as { port: number }).port
  await new Promise((r) => srv.close(r))
  return port
}

describe('/health and /ready', () => {
  it('with the store unreachable: /health 200, /ready 503 with a JSON reason', async () => {
    const loaded = loadConfig({ CLICKHOUSE_URL: `http://127.0.0.1:${await deadPort()}`, LOG_LEVEL: 'silent' })
    if (!loaded.ok) throw new Error(loaded.problems.join())
    const svc = composeService(loaded.config, createLogger('silent'), 'admin-token-for-tests-000')
    expect((await svc.app.request('/health')).status).toBe(200)
    const r = await svc.app.request('/ready')
    expect(r.status).toBe(503)
    const body = (await r.json()) as { error: { code: string; reason: string } }
    expect(body.error.code).toBe('store_unavailable')
    expect(body.error.reason.length).toBeGreaterThan(0)
    svc.beginShutdown()
    await svc.store.close()
  })
})
