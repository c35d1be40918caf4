/**
 * Rows the engine refuses are stored once more with their attrs as JSON text, not retried forever
 * (a drain's 503s would stall Logplex's buffer) nor dropped. To make the real engine refuse rows
 * (native.ts writes every JSON value it accepts, test/ingest/json-values.test.ts), the test adds a
 * CHECK constraint to the table, as an operator might: rows whose attrs carry `poison`, or a
 * notice of class PoisonError, violate it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { logplexBody, openHarness, postDrain, type Harness } from './harness.js'

let h: Harness
beforeAll(async () => {
  h = await openHarness({})
  await h.store.client.command({ query: 'ALTER TABLE events ADD CONSTRAINT no_poison CHECK isNull(attrs.poison) AND ifNull(toString(attrs.error.class), \'\') != \'PoisonError\'' })
})
afterAll(async () => { await h.close() })

const appLine = (i: number, extra = '') => `<190>1 2026-01-01T00:00:${String(i).padStart(2, '0')}.000000+00:00 host app web.1 - {"level":"info","msg":"line ${i}","n":${i}${extra}}`

describe('rows the store refuses', () => {
  it('a drain body with a refused line → 204; every line stored, the refused request with attrs as JSON text, others untouched; counted once', async () => {
    const frameId = 'QUARANTINE0000000000000000000001'
    const bad = logplexBody([appLine(1), appLine(2, ',"poison":"yes"'), appLine(3)])
    const good = logplexBody([appLine(4), appLine(5)])
    const [r1, r2] = await Promise.all([
      postDrain(h.app, bad, { 'logplex-msg-count': '3', 'logplex-frame-id': frameId }, 'api_key=key-alpha&env=quarantine'),
      postDrain(h.app, good, { 'logplex-msg-count': '2', 'logplex-frame-id': 'QUARANTINE0000000000000000000002' }, 'api_key=key-alpha&env=quarantine'),
    ])
    expect([r1.status, r2.status]).toEqual([204, 204])
    const rows = await h.rows<{ message: string; n: number | null; raw: string | null }>(`SELECT JSONExtractString(message, 'msg') AS message, toInt64OrNull(toString(attrs.n)) AS n,
        attrs._rejected_attrs::Nullable(String) AS raw FROM events WHERE environment = 'quarantine' ORDER BY ts`)
    expect(rows.map((r) => r.message)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5'])
    // The refused request: every row keeps its attrs as one JSON string, readable with JSON functions.
    expect(rows.slice(0, 3).map((r) => r.n)).toEqual([null, null, null])
    expect(rows.slice(0, 3).map((r) => (JSON.parse(r.raw!) as { n: number }).n)).toEqual([1, 2, 3])
    expect((JSON.parse(rows[1]!.raw!) as { poison: string }).poison).toBe('yes')
    // The other request, inserted alone after the isolation, is as usual.
    expect(rows.slice(3)).toEqual([{ message: 'line 4', n: 4, raw: null }, { message: 'line 5', n: 5, raw: null }])
    // Logplex re-sends the frame (say its 204 was lost): nothing doubles.
    const again = await postDrain(h.app, bad, { 'logplex-msg-count': '3', 'logplex-frame-id': frameId }, 'api_key=key-alpha&env=quarantine')
    expect(again.status).toBe(204)
    expect((await h.rows<{ n: number }>(`SELECT count() AS n FROM events WHERE environment = 'quarantine'`))[0]!.n).toBe(5)
    const metrics = await (await h.app.request('/metrics')).text()
    expect(metrics).toMatch(/^sluice_ingest_lines_quarantined_total 3$/m)
  })

  it('custom events and notices the store refuses → their usual 200 / 201, stored with attrs as JSON text', async () => {
    const ev = await h.app.request('/v1/events?app=quarantine-ev', { method: 'POST', headers: { 'x-api-key': 'key-alpha', 'content-type': 'application/x-ndjson' }, body: '{"event_type":"signup","poison":1}\n{"event_type":"signup","ok":2}' })
    expect(ev.status).toBe(200)
    expect(await ev.json()).toEqual({ accepted: 2, errors: [] })
    const stored = await h.rows<{ raw: string }>(`SELECT attrs._rejected_attrs::String AS raw FROM events WHERE app = 'quarantine-ev'`)
    const attrs = stored.map((r) => JSON.parse(r.raw) as Record<string, unknown>)
    expect(attrs.map((a) => [a['app.event_type'], a['poison'] ?? a['ok']]).sort()).toEqual([['signup', 1], ['signup', 2]])
    const notice = await h.app.request('/v1/notices?app=quarantine-notice', { method: 'POST', headers: { 'x-api-key': 'key-alpha', 'content-type': 'application/json' }, body: JSON.stringify({ error: { class: 'PoisonError', message: 'x' } }) })
    expect(notice.status).toBe(201)
    const { id } = (await notice.json()) as { id: string }
    const [n] = await h.rows<{ message: string; raw: string }>(`SELECT message, attrs._rejected_attrs::String AS raw FROM events WHERE id = {id:UUID}`, { id })
    expect(n!.message).toBe('PoisonError: x')
    expect(n!.raw).toContain('"error.class":"PoisonError"')
  })
})
