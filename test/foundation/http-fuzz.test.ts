/**
 * Bad input always gets a clear error with a stable code: random requests against every route of
 * the real process (src/main.ts on the embedded store) — random methods, paths, credentials,
 * content types and codings, bodies of random bytes, random JSON and near-valid payloads. No
 * request may get a 500 (or any 5xx but a 503 with Retry-After), every error answer is
 * `{error: {code, message}}` with a snake_case code, and the server keeps serving afterwards.
 */
import zlib from 'node:zlib'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnServer, type RunningServer } from '../helpers/spawn-server.js'

const INGEST = 'fuzz-ingest-key-0000000000001'
const READ = 'fuzz-read-token-0000000000001'
const ADMIN = 'fuzz-admin-token-000000000001'

let s: RunningServer
beforeAll(async () => {
  s = await spawnServer({ SLUICE_INGEST_KEY: INGEST, SLUICE_READ_TOKEN: READ, SLUICE_ADMIN_TOKEN: ADMIN, INGEST_BODY_LIMIT_BYTES: '65536' })
  await s.ready()
}, 60_000)
afterAll(async () => { await s?.stop() })

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }))
const queryText = fc.oneof(
  text,
  fc.constantFrom('filter router.status >= 500', 'stats count() by router.status', 'fields @ts, message | limit 5', 'filter message like "%x%" | sort @ts desc',
    'stats percentile(router.service, 95) by bin(1h)', 'filter @project_id == "other"', 'parse message "* *" as a, b', 'stats count() by {{p}}', '| |', 'filter (((('),
)
const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  fc.json().map((j) => JSON.parse(j) as unknown),
  fc.record({ query: queryText, ts: fc.option(fc.oneof(text, fc.constantFrom('PT1H', 'P7D', '2024-01-01T00:00:00Z/PT1H', '-1', 'P99999Y')), { nil: undefined }),
    timezone: fc.option(fc.oneof(text, fc.constantFrom('Europe/Paris', 'UTC', 'Mars/Olympus')), { nil: undefined }),
    limit: fc.option(fc.oneof(fc.integer(), fc.double(), text), { nil: undefined }),
    params: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null))), { nil: undefined }) }, { requiredKeys: [] }),
  fc.record({ name: text, query: queryText, default_ts: fc.option(text, { nil: undefined }), params: fc.option(fc.anything(), { nil: undefined }) }, { requiredKeys: [] }),
  fc.record({ error: fc.record({ class: fc.option(text, { nil: undefined }), message: fc.option(text, { nil: undefined }), backtrace: fc.option(fc.anything(), { nil: undefined }) }, { requiredKeys: [] }),
    request: fc.option(fc.anything(), { nil: undefined }) }, { requiredKeys: [] }),
)
const body = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  jsonish.map((j) => Buffer.from(JSON.stringify(j) ?? 'null')),
  fc.array(jsonish, { maxLength: 5 }).map((xs) => Buffer.from(xs.map((x) => JSON.stringify(x) ?? 'null').join('\n'))),
  fc.array(fc.oneof(text, fc.constant('<190>1 2026-01-01T00:00:00+00:00 host app web.1 - hello')), { maxLength: 5 })
    .map((ms) => Buffer.from(ms.map((m) => `${Buffer.byteLength(m)} ${m}`).join(''))),
)
const path = fc.oneof(
  fc.constantFrom('/v1/events', '/v1/events?api_key=' + INGEST + '&env=production', '/v1/notices', '/v1/query', '/v1/query/explain', '/v1/queries',
    '/v1/queries/5xx-by-path', '/v1/queries/5xx-by-path/run', '/v1/queries/nope/run', '/v1/admin/projects', '/v1/admin/projects/default/tokens',
    '/v1/admin/projects/nope/rotate-key', '/metrics', '/health', '/ready', '/v1/events?api_key=%zz', '/v1/queries/%E0%A4%A'),
  text.map((t) => `/v1/queries/${encodeURIComponent(t)}`),
  text.map((t) => `/v1/${encodeURIComponent(t)}`),
)
const anyRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH'),
  path,
  auth: fc.constantFrom<Record<string, string>>({}, { authorization: `Bearer ${READ}` }, { authorization: `Bearer ${ADMIN}` }, { 'x-api-key': INGEST },
    { authorization: 'Bearer nope' }, { authorization: 'Basic !!!' }, { authorization: `Basic ${Buffer.from(`x:${INGEST}`).toString('base64')}` }),
  type: fc.constantFrom(undefined, 'application/json', 'application/logplex-1', 'application/x-ndjson', 'text/csv', 'application/json; charset=latin1', '*/*', ';;'),
  encoding: fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'zstd', 'gzip, br', ','),
  encodeBody: fc.boolean(),
  accept: fc.constantFrom(undefined, 'application/json', 'application/x-ndjson', 'text/csv', 'image/png'),
  body,
  headers: fc.dictionary(fc.constantFrom('logplex-msg-count', 'logplex-frame-id', 'logplex-drain-token', 'content-length-x'), text.map((t) => t.replace(/[^\x20-\x7e]/g, '')), { maxKeys: 3 }),
})

/** A request aimed at one route with the method and credentials it wants, so the fuzz reaches its own checks. */
const aimed = fc.tuple(
  fc.constantFrom<{ method: string; path: string; auth: Record<string, string>; type: string }>(
    { method: 'POST', path: '/v1/query', auth: { authorization: `Bearer ${READ}` }, type: 'application/json' },
    { method: 'POST', path: '/v1/query/explain', auth: { authorization: `Bearer ${READ}` }, type: 'application/json' },
    { method: 'POST', path: '/v1/queries', auth: { authorization: `Bearer ${READ}` }, type: 'application/json' },
    { method: 'PUT', path: '/v1/queries/fuzz-saved', auth: { authorization: `Bearer ${READ}` }, type: 'application/json' },
    { method: 'POST', path: '/v1/queries/5xx-by-path/run', auth: { authorization: `Bearer ${READ}` }, type: 'application/json' },
    { method: 'POST', path: '/v1/events?env=fuzz', auth: { 'x-api-key': INGEST }, type: 'application/x-ndjson' },
    { method: 'POST', path: '/v1/events?env=fuzz', auth: { 'x-api-key': INGEST }, type: 'application/logplex-1' },
    { method: 'POST', path: '/v1/notices', auth: { 'x-api-key': INGEST }, type: 'application/json' },
    { method: 'POST', path: '/v1/admin/projects', auth: { authorization: `Bearer ${ADMIN}` }, type: 'application/json' },
  ),
  fc.constantFrom(undefined, undefined, undefined, 'gzip', 'deflate', 'zstd', 'gzip, br'),
  fc.boolean(),
  fc.constantFrom(undefined, 'application/json', 'application/x-ndjson', 'text/csv'),
  body,
).map(([route, encoding, encodeBody, accept, b]) => ({ ...route, encoding, encodeBody: encodeBody || encoding === undefined, accept, body: b, headers: {} as Record<string, string> }))
const request = fc.oneof(anyRequest, aimed)

function encode(b: Buffer, coding: string | undefined): Buffer {
  if (coding === 'gzip') return zlib.gzipSync(b)
  if (coding === 'deflate') return zlib.deflateSync(b)
  if (coding === 'br') return zlib.brotliCompressSync(b)
  if (coding === 'gzip, br') return zlib.brotliCompressSync(zlib.gzipSync(b))
  return b
}

describe('HTTP surface under random requests', () => {
  it('never a 500; every error is {error: {code, message}} with a stable code; 503 only with Retry-After; still serving after', async () => {
    const seen = new Map<string, number>()
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const headers: Record<string, string> = { ...r.auth, ...r.headers }
      if (r.type) headers['content-type'] = r.type
      if (r.encoding) headers['content-encoding'] = r.encoding
      if (r.accept) headers['accept'] = r.accept
      const hasBody = r.method !== 'GET'
      const res = await fetch(`${s.url}${r.path}`, { method: r.method, headers, body: hasBody ? new Uint8Array(r.encodeBody ? encode(r.body, r.encoding) : r.body) : undefined })
      const raw = await res.text()
      const label = `${r.method} ${r.path} → ${res.status}: ${raw.slice(0, 300)}`
      expect(res.status, label).not.toBe(500)
      if (res.status >= 500 && process.env.FUZZ_DEBUG) console.log('FUZZ503', label, JSON.stringify(headers), r.body.toString('base64'))
      if (res.status >= 500) {
        expect(res.status, label).toBe(503)
        expect(res.headers.get('retry-after'), label).toMatch(/^\d+$/)
      }
      if (res.status >= 400) {
        const err = (JSON.parse(raw) as { error?: { code?: unknown; message?: unknown } }).error
        expect(err?.code, label).toMatch(/^[a-z][a-z0-9_]*$/)
        expect(typeof err?.message, label).toBe('string')
        seen.set(String(err!.code), (seen.get(String(err!.code)) ?? 0) + 1)
      }
    }), { numRuns: 800, seed: Number(process.env.FUZZ_SEED ?? 20261203), endOnFailure: true })
    // The runs reached the routes' own checks, not only the auth and routing ones.
    for (const code of ['not_found', 'bad_key', 'unsupported_content_type', 'unsupported_content_encoding', 'bad_content_encoding', 'unprocessable', 'invalid_json']) expect(seen.has(code), `saw ${code}: ${[...seen.keys()].join(', ')}`).toBe(true)
    expect((await fetch(`${s.url}/ready`)).status).toBe(200)
    const ok = await fetch(`${s.url}/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${READ}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'stats count()' }) })
    expect(ok.status).toBe(200)
  }, 120_000)
})
