/**
 * A query whose client goes away is stopped: one running is killed in the engine, one still waiting
 * for a connection never starts. Real HTTP server (the client's disconnect is what stops it) and the
 * embedded store, with one query connection so that "waiting" can be arranged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serve, type ServerType } from '@hono/node-server'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { composeService, type Service } from '../../src/server/compose.js'
import { tempDataDir } from '../helpers/spawn-server.js'

const TOKEN = 'cancel-test-read-token-0001'
let svc: Service
let server: ServerType
let url: string

/** A query that takes seconds here: a GROUP BY over 3M distinct messages. */
const SLOW = { query: 'stats count() by message | sort count() desc | limit 1', ts: 'PT6H' }

const running = async (): Promise<number> => {
  const rs = await svc.store.client.query({ query: "SELECT count() AS n FROM system.processes WHERE startsWith(Settings['log_comment'], 'sluice-q-')", format: 'JSONEachRow' })
  return Number((await rs.json<{ n: string }>())[0]!.n)
}
const cancelledTotal = async (): Promise<number> => {
  const text = await (await fetch(`${url}/metrics`)).text()
  return Number(/^sluice_queries_total\{outcome="cancelled"\} (\d+)$/m.exec(text)?.[1] ?? 0)
}
async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; ;) {
    if (await check()) return
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
/** POST the slow query, then abort it when `when` resolves; resolves once the fetch has failed. */
async function abandon(when: () => Promise<void>): Promise<void> {
  const ac = new AbortController()
  const req = fetch(`${url}/v1/query`, { method: 'POST', signal: ac.signal, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(SLOW) })
  await when()
  ac.abort()
  await expect(req).rejects.toThrow(/abort/i)
}

beforeAll(async () => {
  const loaded = loadConfig({ DATA_DIR: tempDataDir('sluice-cancel-'), LOG_LEVEL: 'silent', SLUICE_READ_TOKEN: TOKEN, STORE_QUERY_CONNECTIONS: '1' })
  if (!loaded.ok) throw new Error(loaded.problems.join())
  svc = composeService(loaded.config, createLogger('silent'), 'admin-token-for-cancel-tests')
  await svc.ready
  const project = (await svc.projects.listProjects()).find((p) => p.name === 'default')!
  await svc.store.client.command({
    query: `INSERT INTO events (project_id, ts, received_ts, id, environment, app, source, proc, proc_type, event_type, message, size, drain, frame_id, retention_days)
      SELECT {p:String}, now64(6) - toIntervalSecond(number % 3600), now64(6), generateUUIDv4(), 'production', 'app', 'app', 'web.1', 'web', 'app',
             concat('line ', toString(number), ' ', hex(cityHash64(number))), 40, '', '', 30
      FROM numbers(3000000)`,
    query_params: { p: project.id },
  })
  server = serve({ fetch: svc.app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((r) => server.once('listening', r))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
}, 120_000)

afterAll(async () => {
  await new Promise((r) => server?.close(r))
  svc?.beginShutdown()
  await svc?.store.close()
})

describe('a query whose client goes away', () => {
  it('is killed while it runs', async () => {
    const before = await cancelledTotal()
    await abandon(() => until('the query to run', async () => (await running()) === 1))
    await until('the query to stop', async () => (await running()) === 0 && (await cancelledTotal()) === before + 1)
    // The connection is free again: the same query answers when its client waits.
    const r = await fetch(`${url}/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'stats count()', ts: 'PT6H' }) })
    expect(((await r.json()) as { results: unknown[] }).results).toEqual([{ 'count()': 3_000_000 }])
  })

  it('a second query waits for the one slot (shown in /metrics), and leaves the queue when its client goes away', async () => {
    const gauge = async (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1])
    const before = await cancelledTotal()
    await abandon(async () => {
      await until('the first query to run', async () => (await running()) === 1)
      await abandon(() => until('the second query to wait', async () => (await gauge('sluice_queries_waiting')) === 1))
      expect(await gauge('sluice_queries_running')).toBe(1)
    })
    await until('both to end', async () => (await gauge('sluice_queries_waiting')) === 0 && (await gauge('sluice_queries_running')) === 0 && (await running()) === 0)
    await until('both to be counted', async () => (await cancelledTotal()) === before + 2)
  })

  it('never starts if it was still waiting for a connection', async () => {
    const before = await cancelledTotal()
    // Another statement holds the one query connection.
    const blocker = svc.store.queryClient.query({ query: "SELECT sum(cityHash64(number)) AS s FROM numbers(100000000000) SETTINGS log_comment = 'blocker-of-the-test'", format: 'JSONEachRow' })
      .then((r) => r.json(), (e: unknown) => e)
    await abandon(() => new Promise((r) => setTimeout(r, 300)))
    await svc.store.cancelQueries('blocker-of-the-test')
    expect(String(await blocker)).toMatch(/cancelled/i)
    await until('the abandoned query to be counted', async () => (await cancelledTotal()) === before + 1)
    // It did not run afterwards either.
    for (let i = 0; i < 10; i++) {
      expect(await running()).toBe(0)
      await new Promise((r) => setTimeout(r, 50))
    }
  })
})
