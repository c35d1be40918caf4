/**
 * Compressed request bodies (`Content-Encoding`) on /v1/events and /v1/notices, through the app
 * into the embedded store. honeybadger-ruby deflates every notice and Insights event
 * (lib/honeybadger/util/http.rb: `Content-Encoding: deflate`, `Zlib::Deflate.deflate`); shippers
 * send gzip.
 */
import type { Server } from 'node:http'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import zlib from 'node:zlib'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { logplexBody, openHarness, type Harness } from './harness.js'

let h: Harness
beforeAll(async () => { h = await openHarness({ bodyLimitBytes: 64 * 1024 }) })
afterAll(async () => { await h.close() })

type Body = { error?: { code: string; message: string }; accepted?: number; id?: string }

const post = (path: string, body: Buffer, headers: Record<string, string>) =>
  h.app.request(path, { method: 'POST', headers: { 'x-api-key': 'key-alpha', ...headers }, body: new Uint8Array(body) })

const count = async (where: string) =>
  Number((await h.rows<{ n: string }>(`SELECT count() AS n FROM events WHERE ${where}`))[0]!.n)

const ndjson = (tag: string, n: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => JSON.stringify({ event_type: 'enc', tag, i, message: `${tag} event ${i}` })).join('\n'))

describe('Content-Encoding', () => {
  it.each([
    ['gzip', (b: Buffer) => zlib.gzipSync(b)],
    ['x-gzip', (b: Buffer) => zlib.gzipSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateSync(b)],
    ['deflate (raw, no zlib header)', (b: Buffer) => zlib.deflateRawSync(b)],
    ['br', (b: Buffer) => zlib.brotliCompressSync(b)],
    ['gzip, br (both, in that order)', (b: Buffer) => zlib.brotliCompressSync(zlib.gzipSync(b))],
    ['identity', (b: Buffer) => b],
  ] as const)('custom events sent %s → 200, every line stored as sent', async (name, encode) => {
    const coding = name.replace(/ \(.*\)$/, '').replace(/^deflate.*/, 'deflate')
    const res = await post(`/v1/events?app=enc-${coding.replace(/\W+/g, '')}`, encode(ndjson(name, 25)), { 'content-type': 'application/x-ndjson', 'content-encoding': coding })
    expect(res.status).toBe(200)
    expect(((await res.json()) as Body).accepted).toBe(25)
    const rows = await h.rows<{ i: number; message: string }>(
      `SELECT toInt64(attrs.i) AS i, message FROM events WHERE toString(attrs.tag) = {tag:String} ORDER BY i`, { tag: name })
    expect(rows).toEqual(Array.from({ length: 25 }, (_, i) => ({ i, message: `${name} event ${i}` })))
  })

  it('a Logplex body sent gzipped → 204, its frames parsed and stored', async () => {
    const body = logplexBody(Array.from({ length: 30 }, (_, i) =>
      `<158>1 2024-05-01T12:00:${String(i).padStart(2, '0')}.000000+00:00 host heroku router - at=info method=GET path="/gz/${i}" host=shop.example.com request_id=gz-${i} fwd="1.2.3.4" dyno=web.1 connect=1ms service=${i}ms status=200 bytes=10 protocol=https`))
    const res = await h.app.request('/v1/events?api_key=key-alpha&env=production', {
      method: 'POST',
      headers: { 'content-type': 'application/logplex-1', 'content-encoding': 'gzip', 'logplex-msg-count': '30', 'logplex-frame-id': 'GZIPFRAME00000000000000000000001' },
      body: new Uint8Array(zlib.gzipSync(body)),
    })
    expect(res.status).toBe(204)
    const rows = await h.rows<{ path: string; service: number }>(
      `SELECT router_path AS path, router_service AS service FROM events WHERE frame_id = 'GZIPFRAME00000000000000000000001' ORDER BY service`)
    expect(rows).toEqual(Array.from({ length: 30 }, (_, i) => ({ path: `/gz/${i}`, service: i })))
  })

  it('an unsupported coding → 415 unsupported_content_encoding with Accept-Encoding, before the body is read; nothing stored', async () => {
    const res = await post('/v1/events?app=enc-zstd', ndjson('zstd', 3), { 'content-type': 'application/x-ndjson', 'content-encoding': 'zstd' })
    expect(res.status).toBe(415)
    expect(res.headers.get('accept-encoding')).toBe('gzip, deflate, br, identity')
    const body = (await res.json()) as Body
    expect(body.error?.code).toBe('unsupported_content_encoding')
    expect(body.error?.message).toContain('"zstd"')
    expect(await count("app = 'enc-zstd'")).toBe(0)
  })

  it('a body that is not data of its coding → 400 bad_content_encoding; nothing stored', async () => {
    const res = await post('/v1/events?app=enc-bad', ndjson('bad', 3), { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Body).error?.code).toBe('bad_content_encoding')
    const cut = zlib.gzipSync(ndjson('cut', 50))
    const truncated = await post('/v1/events?app=enc-bad', cut.subarray(0, cut.length - 20), { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' })
    expect(truncated.status).toBe(400)
    expect(await count("app = 'enc-bad'")).toBe(0)
  })

  it('a small body that decodes past the limit → 413 body_too_large (the limit holds on the decoded bytes)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20))
    expect(bomb.length).toBeLessThan(64 * 1024)
    const res = await post('/v1/events?app=enc-bomb', bomb, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' })
    expect(res.status).toBe(413)
    const body = (await res.json()) as Body
    expect(body.error?.code).toBe('body_too_large')
    expect(body.error?.message).toContain('once decoded')
    // A notice has its own limit (655,360 bytes, as Honeybadger).
    const notice = zlib.deflateSync(Buffer.from(JSON.stringify({ error: { class: 'Big', message: 'x'.repeat(700_000) } })))
    const res2 = await post('/v1/notices', notice, { 'content-type': 'application/json', 'content-encoding': 'deflate' })
    expect(res2.status).toBe(413)
  })

  it('a notice exactly as honeybadger-ruby sends it (deflate, over a real Node HTTP server) → 201, stored', async () => {
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())))
    const { port } = server.address() as AddressInfo
    try {
      const payload = zlib.deflateSync(JSON.stringify({
        notifier: { name: 'honeybadger-ruby', version: '5.26.0' },
        error: { class: 'ActiveRecord::RecordNotFound', message: "Couldn't find User with 'id'=7", backtrace: [{ number: '3', file: '[PROJECT_ROOT]/app/controllers/users_controller.rb', method: 'show' }] },
        request: { url: 'https://shop.example.com/users/7', component: 'users', action: 'show', context: { request_id: 'hb-deflate-1' } },
        server: { environment_name: 'production', hostname: 'web.2' },
      }))
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1', port, method: 'POST', path: '/v1/notices',
          headers: {
            'Content-type': 'application/json', 'Content-Encoding': 'deflate', Accept: 'text/json, application/json',
            'User-Agent': 'HB-Ruby 5.26.0; 3.3.0; x86_64-linux', 'X-API-Key': 'key-alpha', 'Content-Length': payload.length,
          },
        }, (r) => {
          let body = ''
          r.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: r.statusCode ?? 0, body }))
        })
        req.on('error', reject)
        req.end(payload)
      })
      expect(res.status).toBe(201)
      const { id } = JSON.parse(res.body) as { id: string }
      const [row] = await h.rows(`SELECT event_type, request_id, attrs.error.class AS class, proc FROM events WHERE id = {id:UUID}`, { id })
      expect(row).toEqual({ event_type: 'notice', request_id: 'hb-deflate-1', class: 'ActiveRecord::RecordNotFound', proc: 'web.2' })
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})
