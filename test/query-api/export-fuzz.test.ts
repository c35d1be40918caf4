/**
 * Every random query that compiles answers over HTTP on the real process, in each format a user
 * can ask for: JSON parses, every NDJSON line is one JSON object, CSV carries no engine error and
 * no other output. Data: the real Logplex bodies through the drain and custom events whose
 * fields change type row to row, with a number past 2^64. Found before the fixes: a number past
 * 2^64 failed the default view (and so every query over its time range), and the rows of a query
 * that failed mid-output came out at the start of the NEXT query's answer (chDB's connection
 * buffer; src/store/chdb-lanes.ts) — another project's rows in an export. Also: random queries
 * fired together on the side-by-side query connections, some abandoned by their clients at random
 * moments (src/query-api/gate.ts, cancellation in src/routes/query.ts).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileQuery } from '../../src/query/index.js'
import { spawnServer, type RunningServer } from '../helpers/spawn-server.js'
import { ctxFor } from '../query/fixture.js'
import { ingestedData, query } from '../query/fuzz-grammar.js'

const KEY = 'export-fuzz-ingest-key-000001'
const TOKEN = 'export-fuzz-read-token-000001'
let s: RunningServer
const now = Date.now()
beforeAll(async () => {
  s = await spawnServer({ SLUICE_INGEST_KEY: KEY, SLUICE_READ_TOKEN: TOKEN })
  await s.ready()
  const { bodies, events } = ingestedData(now - 60_000)
  for (const [i, body] of bodies.entries()) {
    await fetch(`${s.url}/v1/events?api_key=${KEY}&env=production`, { method: 'POST', headers: { 'content-type': 'application/logplex-1', 'logplex-frame-id': `EXPORTFUZZ${String(i).padStart(22, '0')}` }, body })
  }
  await fetch(`${s.url}/v1/events?env=production`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/x-ndjson' }, body: events })
}, 60_000)
afterAll(async () => { await s?.stop() })

describe('exports of random queries', () => {
  it('every query that compiles answers 200 in JSON, NDJSON and CSV, with only its own output', async () => {
    let ran = 0
    await fc.assert(fc.asyncProperty(query, fc.constantFrom('application/json', 'application/x-ndjson', 'text/csv'), async (q, accept) => {
      if (!compileQuery(q, ctxFor({ params: { p: 'v' } })).ok) return
      ran++
      const res = await fetch(`${s.url}/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept }, body: JSON.stringify({ query: q, ts: 'PT1H', params: { p: 'v' } }) })
      const text = await res.text()
      const label = `${accept} ${q}: ${text.slice(0, 300)}`
      expect(res.status, label).toBe(200)
      if (accept === 'application/json') expect(Array.isArray((JSON.parse(text) as { results: unknown }).results), label).toBe(true)
      else if (accept === 'application/x-ndjson') for (const l of text.split('\n').filter(Boolean)) expect(l.startsWith('{') && typeof JSON.parse(l) === 'object', label).toBe(true)
      else expect(/Code: \d+|DB::Exception|"meta":/.test(text), label).toBe(false)
    }), { numRuns: 900, seed: Number(process.env.FUZZ_SEED ?? 20261203) })
    expect(ran).toBeGreaterThan(150)
  }, 180_000)

  it('random queries fired together, some abandoned at random moments: the rest answer as alone, and nothing stays running or waiting', async () => {
    const gauges = async () => {
      const text = await (await fetch(`${s.url}/metrics`)).text()
      return [/^sluice_queries_running (\d+)$/m, /^sluice_queries_waiting (\d+)$/m].map((re) => Number(re.exec(text)?.[1]))
    }
    const one = fc.record({ q: query, accept: fc.constantFrom('application/json', 'application/x-ndjson', 'text/csv'), abortAfterMs: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }) })
    await fc.assert(fc.asyncProperty(fc.array(one, { minLength: 2, maxLength: 10 }), async (batch) => {
      const runs = batch.filter((b) => compileQuery(b.q, ctxFor({ params: { p: 'v' } })).ok).map(async ({ q, accept, abortAfterMs }) => {
        const ac = new AbortController()
        if (abortAfterMs !== undefined) setTimeout(() => ac.abort(), abortAfterMs)
        try {
          const res = await fetch(`${s.url}/v1/query`, { method: 'POST', signal: ac.signal, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept }, body: JSON.stringify({ query: q, ts: 'PT1H', params: { p: 'v' } }) })
          const text = await res.text()
          const label = `${accept} ${q}: ${text.slice(0, 300)}`
          expect(res.status, label).toBe(200)
          if (accept === 'application/json') expect(Array.isArray((JSON.parse(text) as { results: unknown }).results), label).toBe(true)
          else expect(/Code: \d+|DB::Exception|"meta":/.test(text), label).toBe(false)
        } catch (e) {
          if (!ac.signal.aborted) throw e
        }
      })
      await Promise.all(runs)
      for (let i = 0; ; i++) {
        const [running, waiting] = await gauges()
        if (running === 0 && waiting === 0) break
        expect(i, `running ${running}, waiting ${waiting}`).toBeLessThan(200)
        await new Promise((r) => setTimeout(r, 50))
      }
    }), { numRuns: 60, seed: Number(process.env.FUZZ_SEED ?? 20261203) })
    // Still serving, with the right answer.
    const r = await fetch(`${s.url}/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'stats count() as n', ts: 'PT1H' }) })
    expect(((await r.json()) as { results: { n: number }[] }).results[0]!.n).toBeGreaterThan(0)
  }, 180_000)
})
