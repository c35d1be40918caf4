/**
 * The batching writer on the embedded store: group commit, insert caps, the queue bound, store
 * failure and recovery (a real ClickHouse error: the table detached), the committed-rows hook and
 * close() flushing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventRow } from '../../src/model/index.js'
import { createIngestMetrics, createWriter, IngestError, type IngestConfig } from '../../src/ingest/index.js'
import { createLogger } from '../../src/logger.js'
import { Registry } from '../../src/metrics/index.js'
import { logplexBody, openHarness, postDrain, type Harness } from './harness.js'

let h: Harness
beforeAll(async () => { h = await openHarness({ storeRetryAfterSeconds: 1 }) })
afterAll(async () => { await h.close() })

let seq = 0
const rows = (n: number, tag: string, attrs: EventRow['attrs'] = {}, eventType: EventRow['eventType'] = 'app'): EventRow[] =>
  Array.from({ length: n }, () => ({
    projectId: 'w', environment: 'test', app: tag, drain: '', frameId: '', id: crypto.randomUUID(),
    receivedMicros: Date.now() * 1000, retentionDays: 30, tsMicros: Date.now() * 1000 + seq++, source: 'app', proc: 'web.1',
    procType: 'web', eventType, level: null, errorCode: null, requestId: null, message: `m${seq}`, size: 3, attrs,
  }))
const stored = async (tag: string) => Number((await h.rows<{ n: string }>(`SELECT count() AS n FROM events WHERE project_id = 'w' AND app = {t:String}`, { t: tag }))[0]!.n)
const writer = (config: Partial<IngestConfig>) => {
  const metrics = createIngestMetrics(new Registry())
  return { metrics, w: createWriter({ inserters: [h.store.nativeInserter()], logger: createLogger('silent'), metrics, config }) }
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof IngestError ? `${e.status} ${e.code} retry=${e.retryAfterSeconds}` : String(e)))

describe('concurrent inserts', () => {
  it('runs at most one INSERT per client at a time, and uses each', async () => {
    const metrics = createIngestMetrics(new Registry())
    const config = { batchRows: 1, batchAgeMs: 0, minInsertIntervalMs: 0, maxInflightInserts: 8 }
    // Two distinct embedded connections: the ingest one and the query one.
    const two = createWriter({ inserters: [h.store.nativeInserter(), h.store.nativeInserter(h.store.client)], logger: createLogger('silent'), metrics, config })
    const done = [two.write(rows(1, 'par2')), two.write(rows(1, 'par2')), two.write(rows(1, 'par2'))]
    expect(two.insertsInFlight).toBe(2)
    await Promise.all(done)
    const one = createWriter({ inserters: [h.store.nativeInserter()], logger: createLogger('silent'), metrics, config })
    const done1 = [one.write(rows(1, 'par1')), one.write(rows(1, 'par1'))]
    expect(one.insertsInFlight).toBe(1)
    await Promise.all(done1)
    expect([await stored('par2'), await stored('par1')]).toEqual([3, 2])
  })
})

describe('group commit', () => {
  it('three requests within the batch age → one INSERT, each answered after it', async () => {
    const { w, metrics } = writer({ batchAgeMs: 50 })
    await Promise.all([w.write(rows(3, 'g1')), w.write(rows(4, 'g1')), w.write(rows(5, 'g1'))])
    expect(metrics.inserts.get()).toBe(1)
    expect(await stored('g1')).toBe(12)
    await w.close()
  })

  it('maxRowsPerInsert 100, requests of 100 + 100 + 50 rows → three INSERTs', async () => {
    const { w, metrics } = writer({ batchAgeMs: 20, maxRowsPerInsert: 100, minInsertIntervalMs: 0 })
    await Promise.all([w.write(rows(100, 'g2')), w.write(rows(100, 'g2')), w.write(rows(50, 'g2'))])
    expect(metrics.inserts.get()).toBe(3)
    expect(await stored('g2')).toBe(250)
    await w.close()
  })

  it('batchRows 10 reached → flushed without waiting for a 10 s batch age', async () => {
    const { w } = writer({ batchAgeMs: 10_000, batchRows: 10 })
    const t0 = Date.now()
    await w.write(rows(10, 'g3'))
    expect(Date.now() - t0).toBeLessThan(5_000)
    await w.close()
  })
})

describe('bounds', () => {
  it('maxQueueRows 10: 8 rows queued, then 5 more → 503 queue_full with Retry-After; the queue stays ≤ 10', async () => {
    const { w } = writer({ batchAgeMs: 200, maxQueueRows: 10, queueFullRetryAfterSeconds: 2 })
    const first = w.write(rows(8, 'q1'))
    expect(await codeOf(w.write(rows(5, 'q1')))).toBe('503 queue_full retry=2')
    expect(w.queuedRows).toBe(8)
    await first
    expect(w.queuedRows).toBe(0)
    expect(await stored('q1')).toBe(8)
    await w.close()
  })

  it('a request whose rows the engine rejects fails alone; the request batched with it commits', async () => {
    const { w } = writer({ batchAgeMs: 50 })
    // attrs are flat by contract; a nested object whose path repeats a dotted key is what the
    // engine's JSON column rejects ("Duplicate path found"), so it stands in for any bad row.
    const rejected = { 'a.b': 1, a: { b: 2 } } as unknown as EventRow['attrs']
    const [good, bad] = await Promise.all([codeOf(w.write(rows(3, 'd1'))), codeOf(w.write(rows(1, 'd1', rejected)))])
    expect(good).toBe('ok')
    // A permanent error (no Retry-After): the routes store such a request again with its attrs as JSON text (quarantine.test.ts).
    expect(bad).toMatch(/^422 rejected_by_store/)
    expect(await stored('d1')).toBe(3)
    expect(w.storeRetryAfter()).toBe(0)
    await w.close()
  })
})

describe('store failure (events table detached: a real ClickHouse error)', () => {
  it('→ 503 + Retry-After, no crash; table back → the next request after Retry-After is stored', async () => {
    const body = logplexBody([`<190>1 ${new Date().toISOString()} host app web.1 - store down test`])
    await h.store.client.command({ query: 'DETACH TABLE events' })
    try {
      const down = await postDrain(h.app, body, { 'logplex-frame-id': 'DOWN1' })
      expect(down.status).toBe(503)
      expect(down.headers.get('retry-after')).toBe('1')
      expect(((await down.json()) as { error: { code: string } }).error.code).toBe('store_unavailable')
      // While the back-off runs, requests are turned away at once.
      const fast = await postDrain(h.app, body, { 'logplex-frame-id': 'DOWN1' })
      expect(fast.status).toBe(503)
      expect(Number(fast.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    } finally {
      await h.store.client.command({ query: 'ATTACH TABLE events' })
    }
    await new Promise((r) => setTimeout(r, 1100))
    expect((await postDrain(h.app, body, { 'logplex-frame-id': 'DOWN1' })).status).toBe(204)
    expect(Number((await h.rows<{ n: string }>(`SELECT count() AS n FROM events WHERE frame_id = 'DOWN1'`))[0]!.n)).toBe(1)
    const metrics = await (await h.app.request('/metrics')).text()
    expect(metrics).toMatch(/^sluice_ingest_insert_failures_total [1-9]/m)
    expect(metrics).toMatch(/^sluice_http_responses_total\{route="events",status="503"\} 2$/m)
  })
})

describe('hooks and shutdown', () => {
  it('onCommitted listener → receives exactly the committed rows', async () => {
    const { w } = writer({ batchAgeMs: 5 })
    const seen: string[] = []
    const off = w.onCommitted((rs) => { for (const r of rs) seen.push(r.id) })
    const batch = rows(4, 'l1')
    await w.write(batch)
    off()
    await w.write(rows(2, 'l1'))
    expect(seen).toEqual(batch.map((r) => r.id))
    await w.close()
  })

  it('close() with rows queued behind a 10 s batch age → flushed, then new writes get 503 shutting_down', async () => {
    const { w } = writer({ batchAgeMs: 10_000 })
    const pending = w.write(rows(6, 'c1'))
    await w.close()
    await pending
    expect(await stored('c1')).toBe(6)
    expect(await codeOf(w.write(rows(1, 'c1')))).toBe('503 shutting_down retry=1')
  })
})
