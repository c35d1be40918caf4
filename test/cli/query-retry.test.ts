/**
 * `sluice query` when the server is busy: 429/503 with Retry-After are retried after that long (up
 * to 4 attempts, said on stderr); any other error is not. Against a plain HTTP server standing in
 * for Sluice's answers.
 */
import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { queryCommand } from '../../src/cli/query-commands.js'

const servers: Server[] = []
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r)))) })

/** Serve the given answers in turn; returns the base URL and the number of requests seen. */
async function serveAnswers(answers: { status: number; headers?: Record<string, string>; body: unknown }[]): Promise<{ url: string; seen: () => number }> {
  let n = 0
  const server = createServer((req, res) => {
    req.resume()
    const a = answers[Math.min(n++, answers.length - 1)]!
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers })
    res.end(JSON.stringify(a.body))
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen: () => n }
}

const config = (() => { const c = loadConfig({}); if (!c.ok) throw new Error('config'); return c.config })()
const busy = { status: 503, headers: { 'retry-after': '0' }, body: { error: { code: 'store_busy', message: 'all 4 query slots stayed busy for 30 s; try again' } } }
const ok = { status: 200, body: { results: [{ n: 7 }], meta: { fields: [{ name: 'n', type: 'UInt64' }], rows: 1, elapsed_ms: 1, rows_read: 7, truncated: false } } }

async function run(url: string): Promise<{ code: number | string; out: string; err: string }> {
  let out = ''
  let err = ''
  const io = { out: (t: string) => { out += t }, err: (t: string) => { err += t } }
  const code = await queryCommand(['stats count() as n', '--url', url, '--token', 'a-read-token-0000000000'], config, io).catch((e: { code: string }) => e.code)
  return { code, out, err }
}

describe('sluice query against a busy server', () => {
  it('retries after Retry-After and prints the answer', async () => {
    const s = await serveAnswers([busy, { ...busy, status: 429, body: { error: { code: 'too_many_queries', message: 'this project already runs 3 queries at once' } } }, ok])
    const r = await run(s.url)
    expect(r.code).toBe(0)
    expect(s.seen()).toBe(3)
    expect(r.out).toContain('7')
    expect(r.err).toContain('all 4 query slots stayed busy for 30 s; try again; retrying in 0 s (attempt 2 of 4)')
    expect(r.err).toContain('this project already runs 3 queries at once; retrying in 0 s (attempt 3 of 4)')
  })

  it('gives up after 4 attempts with the server’s error', async () => {
    const s = await serveAnswers([busy])
    const r = await run(s.url)
    expect(r.code).toBe('store_busy')
    expect(s.seen()).toBe(4)
  })

  it('does not retry an error that says nothing about when to come back', async () => {
    const s = await serveAnswers([{ status: 503, body: { error: { code: 'store_unavailable', message: 'down' } } }, ok])
    expect((await run(s.url)).code).toBe('store_unavailable')
    const t = await serveAnswers([{ status: 400, headers: { 'retry-after': '0' }, body: { error: { code: 'parse_error', message: 'bad' } } }, ok])
    expect((await run(t.url)).code).toBe('parse_error')
    expect(t.seen()).toBe(1)
  })
})
