/**
 * The engine fuzz test (engine-fuzz.test.ts) over data as ingest really stores it: the real
 * Logplex bodies of test/fixtures/logplex-bodies.txt through the drain route, and custom events
 * whose fields change type from row to row (a number, a string, an array, an object, null).
 * Every random query that compiles runs.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileQuery } from '../../src/query/index.js'
import { openHarness, postDrain, type Harness } from '../ingest/harness.js'
import { ctxFor } from './fixture.js'
import { ingestedData, query } from './fuzz-grammar.js'

let h: Harness
const now = Date.now()
beforeAll(async () => {
  h = await openHarness({})
  const { bodies, events } = ingestedData(now - 60_000)
  for (const [i, body] of bodies.entries()) await postDrain(h.app, body, { 'logplex-frame-id': `FUZZ${String(i).padStart(28, '0')}` })
  await h.app.request('/v1/events?env=production', { method: 'POST', headers: { 'x-api-key': 'key-alpha', 'content-type': 'application/x-ndjson' }, body: events })
})
afterAll(async () => { await h.close() })

describe('compiled queries run on ingested data', () => {
  it('every random query that compiles runs over real drain bodies and type-changing custom events', async () => {
    let compiled = 0
    await fc.assert(fc.asyncProperty(query, async (q) => {
      const r = compileQuery(q, ctxFor({ projectId: 'alpha', params: { p: 'v' }, range: { fromMicros: (now - 3_600_000) * 1000, toMicros: (now + 60_000) * 1000 } }))
      if (!r.ok) return
      compiled++
      const rs = await h.store.client.query({ query: r.query.sql, query_params: r.query.params, clickhouse_settings: r.query.settings as never, format: 'JSONEachRow' })
        .catch((e: unknown) => { throw new Error(`${q}\n→ ${String((e as Error).message).split('\n')[0]}`) })
      await rs.json()
    }), { numRuns: 1500, seed: Number(process.env.FUZZ_SEED ?? 20261203) })
    expect(compiled).toBeGreaterThan(300)
    const stored = await h.rows<{ n: number }>("SELECT count() AS n FROM events WHERE project_id = 'alpha'")
    expect(stored[0]!.n).toBeGreaterThan(40)
  }, 120_000)
})
