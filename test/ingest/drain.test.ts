/**
 * The drain endpoint through the real app and the embedded store: real Logplex bodies in, events
 * out; retries (same Frame-Id, also with an extra L10, also after a restart) stored once; the
 * status codes Logplex's retry rules call for.
 */
import { readFileSync } from 'node:fs'
import { request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROMOTED_COLUMNS } from '../../src/model/index.js'
import { build, fixtureBlocks, logplexBody, openHarness, postDrain, type Harness } from './harness.js'

const FIXTURES = fixtureBlocks(readFileSync(new URL('../fixtures/logplex-bodies.txt', import.meta.url), 'utf8'))
const fixture = (prefix: string) => {
  const b = FIXTURES.find((f) => f.source.startsWith(prefix))
  if (!b) throw new Error(`no fixture block ${prefix}`)
  return b.body.startsWith('POST ') ? b.body.slice(b.body.indexOf('\n\n') + 2) : b.body
}
const count = async (h: Harness, where: string, params: Record<string, unknown> = {}) =>
  Number((await h.rows<{ n: string }>(`SELECT count() AS n FROM events WHERE ${where}`, params))[0]!.n)

const L10 = '<172>1 2024-01-01T00:00:01+00:00 host heroku logplex - Error L10 (output buffer overflow): 7 messages dropped since 2024-01-01T00:00:00+00:00.'
const line = (i: number) => `<190>1 2024-01-01T00:00:0${i % 10}.000001+00:00 host app web.1 - {"n":${i},"msg":"dedup test"}`

let h: Harness
beforeAll(async () => { h = await openHarness({ bodyLimitBytes: 64 * 1024 }) })
afterAll(async () => { await h.close() })

describe('real Logplex bodies (test/fixtures/logplex-bodies.txt) go in and come out as events', () => {
  it('heroku/logplex documented example: 10 frames, headers kept on every row', async () => {
    const res = await postDrain(h.app, fixture('heroku/logplex doc'), {
      'logplex-msg-count': '10', 'logplex-frame-id': '09C557EAFCFB6CF2740EE62F62971098',
      'logplex-drain-token': 'd.fc6b856b-3332-4546-93de-7d0ee272c3bd',
    }, 'api_key=key-alpha&env=staging&app=erlang-app')
    expect(res.status).toBe(204)
    const rows = await h.rows(`SELECT project_id, environment, app, source, proc, event_type, message, toString(ts) AS ts, drain, frame_id, retention_days
      FROM events WHERE frame_id = '09C557EAFCFB6CF2740EE62F62971098'`)
    expect(rows).toHaveLength(10)
    expect(new Set(rows.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({
      project_id: 'alpha', environment: 'staging', app: 'erlang-app', source: 'erlang', proc: 'console', event_type: 'app',
      message: 'Hi from erlang', ts: '2012-07-22 00:06:26.000000', drain: 'd.fc6b856b-3332-4546-93de-7d0ee272c3bd',
      frame_id: '09C557EAFCFB6CF2740EE62F62971098', retention_days: 20000,
    })]))
    expect(await count(h, `frame_id = '09C557EAFCFB6CF2740EE62F62971098' AND id != toUUID('00000000-0000-0000-0000-000000000000')`)).toBe(10)
    expect(Number((await h.rows<{ n: string }>(`SELECT uniqExact(id) AS n FROM events WHERE frame_id = '09C557EAFCFB6CF2740EE62F62971098'`))[0]!.n)).toBe(10)
  })

  it('vector SAMPLE_BODY router frame → router fields in their typed columns', async () => {
    expect((await postDrain(h.app, fixture('vectordotdev'), { 'logplex-frame-id': 'VECTOR1' })).status).toBe(204)
    const [r] = await h.rows(`SELECT event_type, request_id, router_status AS status, router_path AS path, router_service AS service, toString(ts) AS ts
      FROM events WHERE frame_id = 'VECTOR1'`)
    expect(r).toEqual({ event_type: 'router', request_id: '05726858-c44e-4f94-9a20-37df73be9006', status: 304, path: '/cart_link', service: 22, ts: '2020-01-08 22:33:57.353034' })
  })

  it('thelookoutway 2016 frames (router, runtime metrics, redis, postgres; two without LF) → four kinds, samples as numbers', async () => {
    expect((await postDrain(h.app, fixture('thelookoutway/heroku_drain_datadog spec/heroku_drain_datadog/router_spec'), { 'logplex-frame-id': 'TLW1', 'logplex-msg-count': '4' })).status).toBe(204)
    const rows = await h.rows(`SELECT event_type, proc, attrs.sample.memory_quota AS quota, attrs.sample.hit_rate AS hit FROM events WHERE frame_id = 'TLW1' ORDER BY event_type`)
    expect(rows).toEqual([
      { event_type: 'postgres_metrics', proc: 'heroku-postgres', quota: null, hit: null },
      { event_type: 'redis_metrics', proc: 'heroku-redis', quota: null, hit: 0.0096774 },
      { event_type: 'router', proc: 'router', quota: null, hit: null },
      { event_type: 'runtime_metrics', proc: 'web.1', quota: 512 * 1024 * 1024, hit: null },
    ])
  })

  it('Dev Center HTTP Routing frames whose counts lie by 18 bytes → 204, stored raw as unparsed, mismatch counted', async () => {
    const before = h.ingest.metrics.linesUnparsed.get()
    expect((await postDrain(h.app, fixture('Heroku Dev Center "HTTP Routing"'), { 'logplex-frame-id': 'DEVC1', 'logplex-msg-count': '2' })).status).toBe(204)
    const rows = await h.rows<{ event_type: string; message: string }>(`SELECT event_type, message FROM events WHERE frame_id = 'DEVC1'`)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.event_type === 'unparsed')).toBe(true)
    expect(rows.map((r) => r.message).join('')).toContain('code=H12')
    expect(h.ingest.metrics.linesUnparsed.get()).toBe(before + rows.length)
  })

  it('every fixture block → 204 and one row per parsed event', async () => {
    for (const [i, b] of FIXTURES.entries()) {
      const body = b.body.startsWith('POST ') ? b.body.slice(b.body.indexOf('\n\n') + 2) : b.body
      expect((await postDrain(h.app, body, { 'logplex-frame-id': `ALL${i}` })).status, b.source).toBe(204)
      expect(await count(h, 'frame_id = {f:String}', { f: `ALL${i}` }), b.source).toBeGreaterThan(0)
    }
  })
})

describe('a frame re-sent with the same Frame-Id is stored once', () => {
  const body = logplexBody([1, 2, 3, 4, 5].map(line))
  const headers = { 'logplex-frame-id': 'AAAA0000000000000000000000000001', 'logplex-drain-token': 'd.11111111-2222-3333-4444-555555555555', 'logplex-msg-count': '5' }
  const where = `frame_id = 'AAAA0000000000000000000000000001'`

  it('sent twice → 5 rows', async () => {
    expect((await postDrain(h.app, body, headers)).status).toBe(204)
    expect((await postDrain(h.app, body, headers)).status).toBe(204)
    expect(await count(h, where)).toBe(5)
  })

  it('sent twice at the same time → 5 rows', async () => {
    const hd = { ...headers, 'logplex-frame-id': 'AAAA0000000000000000000000000002' }
    const rs = await Promise.all([postDrain(h.app, body, hd), postDrain(h.app, body, hd), postDrain(h.app, body, hd)])
    expect(rs.map((r) => r.status)).toEqual([204, 204, 204])
    expect(await count(h, `frame_id = 'AAAA0000000000000000000000000002'`)).toBe(5)
  })

  it('retried with an extra L10 frame prepended (Msg-Count 6) → 6 rows: the 5 once, plus the L10', async () => {
    const retry = logplexBody([L10], false) + body
    expect((await postDrain(h.app, retry, { ...headers, 'logplex-msg-count': '6' })).status).toBe(204)
    expect(await count(h, where)).toBe(6)
    expect(await count(h, `${where} AND event_type = 'logplex' AND error_code = 'L10'`)).toBe(1)
    expect(h.ingest.metrics.logplexDropped.get()).toBeGreaterThanOrEqual(7)
  })

  it('the same Frame-Id from another drain token → its own 5 rows', async () => {
    expect((await postDrain(h.app, body, { ...headers, 'logplex-drain-token': 'd.99999999-2222-3333-4444-555555555555' })).status).toBe(204)
    expect(await count(h, where)).toBe(11)
  })

  it('sent again after a restart (new ingest service over the same store) → still 6 + 5 rows', async () => {
    await h.close()
    h = await build(h.store, { bodyLimitBytes: 64 * 1024 })
    expect(h.ingest.window.size).toBeGreaterThan(0)
    expect((await postDrain(h.app, logplexBody([L10], false) + body, { ...headers, 'logplex-msg-count': '6' })).status).toBe(204)
    expect(await count(h, where)).toBe(11)
    expect(h.ingest.metrics.linesDeduplicated.get()).toBe(6)
  })
})

describe('status codes for Logplex', () => {
  const body = logplexBody([line(0)])
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`
  it.each([
    ['no key → 401 missing_key', 'env=production', {}, 401, 'missing_key'],
    ['unknown api_key → 403 bad_key', 'api_key=nope&env=production', {}, 403, 'bad_key'],
    ['X-API-Key header → 204', 'env=production', { 'x-api-key': 'key-alpha' }, 204, null],
    ['basic auth password (https://:KEY@host) → 204', 'env=production', { authorization: basic('', 'key-alpha') }, 204, null],
    ['basic auth user only (https://KEY@host) → 204', 'env=production', { authorization: basic('key-alpha', '') }, 204, null],
    ['wrong basic auth password → 403 bad_key', 'env=production', { authorization: basic('u', 'nope') }, 403, 'bad_key'],
    ['text/plain content type → 415 unsupported_content_type', 'api_key=key-alpha', { 'content-type': 'text/plain' }, 415, 'unsupported_content_type'],
    ['Msg-Count 3 for 1 frame → 204 (a mismatch is never a 400)', 'api_key=key-alpha', { 'logplex-msg-count': '3' }, 204, null],
    ['no Logplex headers at all → 204', 'api_key=key-alpha', {}, 204, null],
  ] as const)('%s', async (_name, query, headers, status, code) => {
    const res = await postDrain(h.app, body, headers, query)
    expect(res.status).toBe(status)
    if (code) expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code)
  })

  it('a body over the limit (64 KiB here, 1 MiB by default) → 413 body_too_large', async () => {
    const big = logplexBody(Array.from({ length: 700 }, (_, i) => `${line(i)} ${'x'.repeat(100)}`))
    const res = await postDrain(h.app, big)
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('body_too_large')
  })

  it('over a real Node HTTP server (how npm start serves): a body is read from the socket; a chunked body over the limit → 413, not a reset', async () => {
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())))
    const { port } = server.address() as AddressInfo
    const post = (chunks: string[], headers: Record<string, string | number>) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/events?api_key=key-beta&env=node', headers: { 'content-type': 'application/logplex-1', ...headers } }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      for (const c of chunks) req.write(c)
      req.end()
    })
    try {
      // In several writes (several chunks on the socket), with a Content-Length.
      const body = logplexBody(Array.from({ length: 40 }, (_, i) => line(i).replace('dedup test', 'node socket')))
      const mid = Math.floor(body.length / 2)
      const ok = await post([body.slice(0, mid), body.slice(mid)], { 'content-length': Buffer.byteLength(body), 'logplex-msg-count': 40, 'logplex-frame-id': 'NODESOCKET0000000000000000000001' })
      expect(ok.status).toBe(204)
      expect(await count(h, "project_id = 'beta' AND frame_id = 'NODESOCKET0000000000000000000001'")).toBe(40)
      // Chunked (no Content-Length): only the bytes read can tell it is too large.
      const chunk = `${'x'.repeat(16 * 1024)}`
      const big = await post(Array.from({ length: 8 }, () => chunk), { 'transfer-encoding': 'chunked' })
      expect(big.status).toBe(413)
      expect((JSON.parse(big.body) as { error: { code: string } }).error.code).toBe('body_too_large')
    } finally {
      await new Promise((r) => server.close(r))
    }
  })

  it('GET /metrics → counters for what happened above', async () => {
    const text = await (await h.app.request('/metrics')).text()
    expect(text).toMatch(/^sluice_ingest_lines_inserted_total \d+$/m)
    expect(text).toMatch(/^sluice_ingest_count_mismatches_total [1-9]\d*$/m)
    expect(text).toMatch(/^sluice_ingest_insert_duration_seconds_count [1-9]\d*$/m)
    expect(text).toMatch(/^sluice_ingest_queue_rows 0$/m)
    expect(text).toMatch(/^sluice_http_responses_total\{route="events",status="415"\} 1$/m)
  })
})

describe('a full queue', () => {
  it('→ 503 queue_full + Retry-After, answered before the body is parsed; what was queued commits', async () => {
    // A second ingest service over the same store: 300 ms batch age, room for 5 rows.
    const q = await build(h.store, { batchAgeMs: 300, maxQueueRows: 5, queueFullRetryAfterSeconds: 2 })
    const first = postDrain(q.app, logplexBody(Array.from({ length: 6 }, (_, i) => line(i))), { 'logplex-frame-id': 'QFULL1' })
    await new Promise((r) => setTimeout(r, 100))
    const second = await postDrain(q.app, logplexBody([line(7)]), { 'logplex-frame-id': 'QFULL2' })
    expect(second.status).toBe(503)
    expect(second.headers.get('retry-after')).toBe('2')
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('queue_full')
    // Only the first request's lines were parsed and counted.
    expect(await (await q.app.request('/metrics')).text()).toMatch(/^sluice_ingest_lines_received_total\{kind="logplex"\} 6$/m)
    expect((await first).status).toBe(204)
    expect(await count(h, `frame_id = 'QFULL1'`)).toBe(6)
    expect(await count(h, `frame_id = 'QFULL2'`)).toBe(0)
    await q.close()
  })
})

describe('parse workers (the default) and the main thread store the same events', () => {
  // Every body to the worker, even a lone one (by default a lone request is parsed in place).
  const workerOnly = () => build(h.store, { parseWorkers: 1, parseAloneOnMainThread: false })
  const parsedOn = async (via: Harness) => {
    const text = await (await via.app.request('/metrics')).text()
    const n = (thread: string) => Number(new RegExp(`^sluice_ingest_bodies_parsed_total\\{thread="${thread}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0)
    return { worker: n('worker'), main: n('main') }
  }

  it('every fixture body, with and without a Frame-Id: identical rows either way', async () => {
    const main = await build(h.store, { parseWorkers: 0 })
    const worker = await workerOnly()
    expect(worker.ingest.parser).not.toBeNull()
    expect(main.ingest.parser).toBeNull()
    try {
      for (const [k, f] of FIXTURES.entries()) {
        const body = f.body.startsWith('POST ') ? f.body.slice(f.body.indexOf('\n\n') + 2) : f.body
        for (const [name, via] of [['worker', worker], ['main', main]] as const) {
          const res = await postDrain(via.app, body, k % 2 === 0 ? { 'logplex-frame-id': `EQ-${k}` } : {}, `api_key=key-beta&env=eq&app=${name}-${k}`)
          expect(res.status).toBe(204)
        }
      }
      const cols = `source, proc, proc_type, event_type, level, error_code, request_id, message, size, if(ts = received_ts, 'received', toString(ts)) AS t, frame_id, drain, toJSONString(attrs) AS a,
        ${PROMOTED_COLUMNS.map((c) => `toString(${c.column}) AS ${c.column}`).join(', ')}`
      const of = (prefix: string) => h.rows<Record<string, unknown>>(`SELECT replaceOne(app, '${prefix}-', '') AS k, ${cols}, toString(id) AS id FROM events
        WHERE project_id = 'beta' AND environment = 'eq' AND startsWith(app, '${prefix}-') ORDER BY k, t, message, size, a, request_id, level, error_code`)
      const [w, m] = [await of('worker'), await of('main')]
      expect(w.length).toBeGreaterThan(FIXTURES.length)
      // Same rows (a line without a usable timestamp takes the time it was received, which differs
      // between the two posts); frame ids give the same event ids (random ids differ without one).
      expect(w.map(({ id, ...r }) => r)).toEqual(m.map(({ id, ...r }) => r))
      const framedIds = (rows: Record<string, unknown>[]) => rows.filter((r) => r.frame_id !== '').map((r) => String(r.id)).sort()
      expect(framedIds(w)).toEqual(framedIds(m))
      expect(framedIds(w).length).toBeGreaterThan(0)
      // The worker harness really parsed on its worker.
      expect((await parsedOn(worker)).worker).toBeGreaterThanOrEqual(FIXTURES.length)
    } finally {
      await main.close()
      await worker.close()
    }
  })

  it('a retry of a frame the worker path stored is deduplicated (the retry is parsed on the main thread)', async () => {
    const w = await workerOnly()
    try {
      const body = logplexBody(Array.from({ length: 7 }, (_, i) => line(i).replace('dedup test', 'worker dedup')))
      expect((await postDrain(w.app, body, { 'logplex-frame-id': 'WORKER-DEDUP-1' })).status).toBe(204)
      expect(await parsedOn(w)).toEqual({ worker: 1, main: 0 })
      // Logplex's retry may gain an L10 frame in front.
      expect((await postDrain(w.app, logplexBody([L10]) + body, { 'logplex-frame-id': 'WORKER-DEDUP-1' })).status).toBe(204)
      expect(await parsedOn(w)).toEqual({ worker: 1, main: 1 })
      expect(await count(h, "frame_id = 'WORKER-DEDUP-1' AND event_type != 'logplex'")).toBe(7)
      expect(await count(h, "frame_id = 'WORKER-DEDUP-1' AND event_type = 'logplex'")).toBe(1)
    } finally {
      await w.close()
    }
  })

  it('by default a lone request is parsed on the main thread, and requests that overlap go to the worker', async () => {
    const d = await build(h.store, { parseWorkers: 1 })
    try {
      const body = (tag: string, n: number) => logplexBody(Array.from({ length: n }, (_, i) => line(i).replace('dedup test', tag)))
      for (let i = 0; i < 3; i++) expect((await postDrain(d.app, body('lone', 5), { 'logplex-frame-id': `LONE-${i}` })).status).toBe(204)
      expect(await parsedOn(d)).toEqual({ worker: 0, main: 3 })
      // 8 at once: the first finds nothing else going on; the others overlap it.
      const all = await Promise.all(Array.from({ length: 8 }, (_, i) => postDrain(d.app, body('overlap', 50), { 'logplex-frame-id': `OVERLAP-${i}` })))
      expect(all.map((r) => r.status)).toEqual(Array(8).fill(204))
      const after = await parsedOn(d)
      expect(after.main + after.worker).toBe(11)
      expect(after.worker).toBeGreaterThanOrEqual(6)
      expect(await count(h, "frame_id LIKE 'OVERLAP-%'")).toBe(400)
      expect(await count(h, "frame_id LIKE 'LONE-%'")).toBe(15)
    } finally {
      await d.close()
    }
  })

  it('when the workers are gone, requests are parsed on the main thread and still stored', async () => {
    const w = await workerOnly()
    await w.ingest.parser!.close()
    const res = await postDrain(w.app, logplexBody([line(1).replace('dedup test', 'no worker')]), { 'logplex-frame-id': 'NO-WORKER-1' })
    expect(res.status).toBe(204)
    expect(await count(h, "frame_id = 'NO-WORKER-1'")).toBe(1)
    await w.close()
  })
})
