/**
 * Values as ingest really stores them, sent through the drain and custom events routes, then
 * queried the way the API runs queries. Arrays: an app's JSON line or a custom event keeps an
 * array as JSON text in `attrs` (`"tags": "[\"a\",\"b\"]"`), unlike the fixture's real arrays;
 * `expand`, indexing and filters over them work, and a path holding a number or a plain string in
 * some rows reads as an empty array there instead of failing the query (a CAST threw: a 500).
 * Numbers past 2^64 show in the default view (the preview's re-parse failed the whole query).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runQuery } from '../../src/query-api/run.js'
import { compileQuery } from '../../src/query/index.js'
import { logplexBody, openHarness, postDrain, type Harness } from '../ingest/harness.js'
import { LIMITS } from './fixture.js'

let h: Harness
const now = Date.now()
beforeAll(async () => {
  h = await openHarness({})
  const events = [
    { tags: ['a', 'b'], nums: [1, 2.5], ts: now - 3000 },
    { tags: 'solo', nums: 7, ts: now - 2000 },
    { tags: 5, ts: now - 1000 },
  ].map((e) => JSON.stringify(e)).join('\n')
  const ev = await h.app.request('/v1/events?app=arrays', { method: 'POST', headers: { 'x-api-key': 'key-alpha', 'content-type': 'application/x-ndjson' }, body: events })
  expect(ev.status).toBe(200)
  const line = `<190>1 ${new Date(now).toISOString()} host app web.1 - {"level":"info","msg":"done","tags":["c","a"],"nums":[3]}`
  const big = await h.app.request('/v1/events?app=bignum', { method: 'POST', headers: { 'x-api-key': 'key-alpha', 'content-type': 'application/x-ndjson' }, body: JSON.stringify({ id: 18446744073709551615, ts: now }) })
  expect(big.status).toBe(200)
  const drain = await postDrain(h.app, logplexBody([line]), {}, 'api_key=key-alpha&env=production&app=arrays')
  expect(drain.status).toBe(204)
})
afterAll(async () => { await h.close() })

async function run(text: string): Promise<Record<string, unknown>[]> {
  const r = compileQuery(text, { projectId: 'alpha', range: { fromMicros: (now - 3_600_000) * 1000, toMicros: (now + 60_000) * 1000 }, timezone: 'UTC', limits: LIMITS })
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return (await runQuery(h.store.client, r.query, 1000)).results
}

describe('arrays in ingested events', () => {
  it('expand counts every element of every array, across drain and custom events', async () => {
    expect(await run('filter app == "arrays" | expand tags[*] as tag | stats count() as n by tag | sort tag')).toEqual([
      { tag: 'a', n: 2 }, { tag: 'b', n: 1 }, { tag: 'c', n: 1 },
    ])
  })

  it('numbers in arrays: expand with a hint sums them (a plain 7 elsewhere is no array: not counted)', async () => {
    expect(await run('filter app == "arrays" | expand nums[*]::float as x | stats sum(x) as total')).toEqual([{ total: 6.5 }])
  })

  it('indexing and filtering on an element; rows without an array there give null, not an error', async () => {
    expect(await run('filter app == "arrays" | fields tags[0] as first, tags[1] as second | sort @ts')).toEqual([
      { first: 'a', second: 'b' }, { first: null, second: null }, { first: null, second: null }, { first: 'c', second: 'a' },
    ])
    expect(await run('filter app == "arrays" and tags[1] == "a" | only msg')).toEqual([{ msg: 'done' }])
  })

  it('the default view (@ts, @preview) shows an event holding a number past 2^64 (it failed the whole query before)', async () => {
    const rows = await run('filter app == "bignum"')
    expect(rows).toHaveLength(1)
    // `id` is a built-in name, so the app's own key is kept as app.id.
    expect(JSON.parse(rows[0]!['@preview'] as string)).toEqual({ app: { id: 18446744073709551615 } })
  })
})
