/** Custom events (`POST /v1/events`, NDJSON) through the app into the embedded store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openHarness, type Harness } from './harness.js'

let h: Harness
beforeAll(async () => { h = await openHarness({ bodyLimitBytes: 4096, rateLimitLinesPerSecond: 1000, rateLimitBurstLines: 1000 }) })
afterAll(async () => { await h.close() })

const post = (body: string, headers: Record<string, string> = { 'x-api-key': 'key-alpha' }, type = 'application/x-ndjson', query = 'env=production&app=shop') =>
  h.app.request(`/v1/events?${query}`, { method: 'POST', headers: { 'content-type': type, ...headers }, body })

describe('custom events', () => {
  it('two good lines and a bad one → 207, the good lines stored, the bad one reported by line number', async () => {
    const body = [
      '{"event_type":"signup","ts":"2024-05-01T12:00:00.123456Z","user":{"id":42,"plan":"pro"},"message":"new user"}',
      'not json',
      '{"event_type":"checkout","ts":1714564800000,"amount":12.5,"level":"warn","request_id":"r-1","tags":["a","b"]}',
      '',
    ].join('\n')
    const res = await post(body)
    expect(res.status).toBe(207)
    const json = (await res.json()) as { accepted: number; errors: { line: number; code: string }[] }
    expect(json.accepted).toBe(2)
    expect(json.errors.map((e) => [e.line, e.code])).toEqual([[2, 'invalid_json']])
    const rows = await h.rows(`SELECT event_type, source, environment, app, toString(ts) AS ts, level, request_id, message,
        attrs.app.event_type AS type, attrs.user.id AS uid, attrs.user.plan AS plan, attrs.amount AS amount, attrs.tags AS tags
      FROM events WHERE event_type = 'event' AND app = 'shop' ORDER BY ts`)
    expect(rows).toEqual([
      { event_type: 'event', source: 'event', environment: 'production', app: 'shop', ts: '2024-05-01 12:00:00.000000', level: 'warn', request_id: 'r-1',
        message: '{"event_type":"checkout","ts":1714564800000,"amount":12.5,"level":"warn","request_id":"r-1","tags":["a","b"]}',
        type: 'checkout', uid: null, plan: null, amount: 12.5, tags: '["a","b"]' },
      { event_type: 'event', source: 'event', environment: 'production', app: 'shop', ts: '2024-05-01 12:00:00.123456', level: null, request_id: null,
        message: 'new user', type: 'signup', uid: 42, plan: 'pro', amount: null, tags: null },
    ])
  })

  it.each([
    ['a JSON array body (application/json) → 200, 2 accepted', '[{"a":1},{"a":2}]', 'application/json', 200, 2],
    ['a line that is an array → 207, 1 accepted', '{"a":1}\n[1]', 'application/x-ndjson', 207, 1],
    ['a bad ts → 207, 1 accepted', '{"ts":"yesterday"}\n{"a":1}', 'application/x-ndjson', 207, 1],
  ] as const)('%s', async (_n, body, type, status, accepted) => {
    const res = await post(body, undefined, type)
    expect(res.status).toBe(status)
    expect(((await res.json()) as { accepted: number }).accepted).toBe(accepted)
  })

  it.each([
    ['only bad lines → 422 unprocessable', 'nope\n[]', { 'x-api-key': 'key-alpha' }, 'application/x-ndjson', 422, 'unprocessable'],
    ['no key → 401 missing_key', '{"a":1}', {}, 'application/x-ndjson', 401, 'missing_key'],
    ['a wrong key → 403 bad_key', '{"a":1}', { 'x-api-key': 'wrong' }, 'application/x-ndjson', 403, 'bad_key'],
    ['text/csv → 415 unsupported_content_type', 'a,b', { 'x-api-key': 'key-alpha' }, 'text/csv', 415, 'unsupported_content_type'],
    ['5 KB over the 4 KiB limit → 413 body_too_large', `{"a":"${'x'.repeat(5000)}"}`, { 'x-api-key': 'key-alpha' }, 'application/x-ndjson', 413, 'body_too_large'],
  ] as const)('%s', async (_n, body, headers, type, status, code) => {
    const res = await post(body, headers, type)
    expect(res.status).toBe(status)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code)
  })

  it('what real clients send: a leading byte order mark, one pretty-printed object as application/json', async () => {
    const bom = await post('\ufeff{"kind":"bom","n":1}\n{"kind":"bom","n":2}', undefined, undefined, 'env=forms&app=bom')
    expect(await bom.json()).toEqual({ accepted: 2, errors: [] })
    const pretty = await post('{\n  "kind": "pretty",\n  "user": { "id": 7 }\n}\n', undefined, 'application/json', 'env=forms&app=pretty')
    expect(pretty.status).toBe(200)
    expect(await pretty.json()).toEqual({ accepted: 1, errors: [] })
    const rows = await h.rows(`SELECT app, toInt64(attrs.user.id) AS uid FROM events WHERE environment = 'forms' AND app = 'pretty'`)
    expect(rows).toEqual([{ app: 'pretty', uid: 7 }])
    // Still line by line when some lines are good: the bad ones are reported.
    const mixed = await post('{\n"a":1}\n{"b":2}', undefined, undefined, 'env=forms&app=mixed')
    expect(((await mixed.json()) as { accepted: number }).accepted).toBe(1)
  })

  it('`ts` as epoch seconds, milliseconds, microseconds, nanoseconds or digits in a string: the same instant', async () => {
    const s = 1_796_000_000
    const forms = [s, s * 1e3, s * 1e6, `${s * 1e3}`, s * 1e9, '2026-11-30T00:53:20Z']
    const res = await post(forms.map((ts, i) => JSON.stringify({ ts, i })).join('\n'), undefined, undefined, 'env=forms&app=ts')
    expect(await res.json()).toEqual({ accepted: forms.length, errors: [] })
    const rows = await h.rows<{ ts: string }>(`SELECT DISTINCT toString(ts) AS ts FROM events WHERE environment = 'forms' AND app = 'ts'`)
    expect(rows).toEqual([{ ts: '2026-11-30 00:53:20.000000' }])
  })

  it('2,400 events sent as fast as possible over a 1,000 lines/s limit (burst 1,000) → 429 with Retry-After', async () => {
    const body = Array.from({ length: 60 }, (_, i) => `{"i":${i}}`).join('\n')
    const responses = await Promise.all(Array.from({ length: 40 }, () => post(body, undefined, undefined, 'env=load&app=rate')))
    const statuses = responses.map((r) => r.status)
    const retryAfter = responses.find((r) => r.status === 429)?.headers.get('retry-after')
    expect(statuses).toContain(429)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
  })
})
