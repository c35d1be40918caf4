/** The real process: start, readiness, logs without secrets, a second server refused, SIGTERM. */
import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { runCliProcess, spawnServer } from '../helpers/spawn-server.js'

const INGEST = 'ingest-key-for-process-test-0001'
const READ = 'read-token-for-process-test-0001'
const ADMIN = 'admin-token-for-process-test-01'

describe('the server process', () => {
  it('starts on the embedded store, answers /ready, keeps secrets out of its logs, refuses a second server, exits 0 on SIGTERM', async () => {
    const s = await spawnServer({ SLUICE_INGEST_KEY: INGEST, SLUICE_READ_TOKEN: READ, SLUICE_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'debug' })
    try {
      await s.ready()
      // /metrics carries the store's gauges, read from the engine (numbers, not NaN).
      const metrics = await (await fetch(`${s.url}/metrics`)).text()
      for (const g of ['sluice_store_active_parts', 'sluice_store_max_parts_per_partition', 'sluice_store_merges_running']) expect(metrics).toMatch(new RegExp(`^${g} \\d+$`, 'm'))
      // Secrets in every place a client puts them.
      const basic = Buffer.from(`user:${INGEST}`).toString('base64')
      await fetch(`${s.url}/v1/events?api_key=${INGEST}&env=production`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'x-api-key': INGEST }, body: 'x' })
      await fetch(`${s.url}/v1/query?token=${READ}`, { method: 'POST', headers: { authorization: `Bearer ${READ}` }, body: '{}' })
      await fetch(`${s.url}/v1/admin/projects`, { headers: { authorization: `Bearer ${ADMIN}` } })
      await fetch(`${s.url}/v1/admin/projects`, { headers: { authorization: `Bearer wrong-${ADMIN}` } })
      const created = await runCliProcess(['project', 'create', 'logcheck', '--json'], { DATA_DIR: s.dataDir, SLUICE_ADMIN_TOKEN: ADMIN })
      expect(created.code).toBe(0)
      const secrets = JSON.parse(created.stdout) as { ingest_key: string; read_token: string }

      const second = await spawnServer({}, { dataDir: s.dataDir }).then(
        async (x) => { await x.stop('SIGKILL'); return 'started' },
        (e: Error) => e.message,
      )
      expect(second).toMatch(/in use by server process \d+ \(serving http:\/\/127\.0\.0\.1:\d+\)/)

      expect(await s.stop('SIGTERM')).toBe(0)
      const out = s.output()
      expect(out).toContain('"msg":"request"')
      for (const secret of [INGEST, READ, ADMIN, basic, secrets.ingest_key, secrets.read_token]) expect(out).not.toContain(secret)
      expect(s.logs().some((l) => l.msg === 'stopped')).toBe(true)
    } finally {
      await s.stop('SIGKILL').catch(() => {})
    }
  })

  it('first start with no project and no SLUICE_* variables creates default and prints a usable drain URL and read token once', async () => {
    const s = await spawnServer({})
    await s.ready()
    for (let i = 0; i < 50 && !s.output().includes('Read token'); i++) await new Promise((r) => setTimeout(r, 100))
    const first = s.output()
    const drain = /Drain URL: +(\S+)/.exec(first)![1]!.replace(/^http:\/\/localhost:\d+/, s.url)
    const token = /Read token: +(\S+)/.exec(first)![1]!
    const msg = `<190>1 ${new Date().toISOString()} host app web.1 - hello from the banner test\n`
    const posted = await fetch(drain, { method: 'POST', headers: { 'content-type': 'application/logplex-1' }, body: `${Buffer.byteLength(msg)} ${msg}` })
    expect(posted.status).toBe(204)
    const q = await fetch(`${s.url}/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'filter message like "%banner test%" | stats count() as n' }) })
    expect(((await q.json()) as { results: { n: number }[] }).results[0]!.n).toBe(1)
    expect(await s.stop()).toBe(0)
    expect(first).toMatch(/Drain URL: +http:\/\/localhost:\d+\/v1\/events\?api_key=sk_[A-Za-z0-9_-]+&env=production/)
    expect(first).toMatch(/heroku drains:add "/)
    expect(first).toMatch(/Read token: +rt_/)
    const again = await spawnServer({}, { dataDir: s.dataDir })
    await again.ready()
    expect(await again.stop()).toBe(0)
    expect(again.output()).not.toContain('Read token')
  })
})

describe('SIGTERM under load', () => {
  it('answers or refuses every in-flight request, flushes what it acknowledged, and exits 0', async () => {
    const s = await spawnServer({ SLUICE_INGEST_KEY: INGEST, SLUICE_READ_TOKEN: READ })
    await s.ready()
    const body = (n: number, tag: string) => {
      let out = ''
      for (let i = 0; i < n; i++) {
        const m = `<190>1 ${new Date().toISOString()} host app web.1 - sigterm ${tag} line ${i}\n`
        out += `${Buffer.byteLength(m)} ${m}`
      }
      return out
    }
    const sends = Array.from({ length: 40 }, (_, i) =>
      fetch(`${s.url}/v1/events?api_key=${INGEST}&env=production`, {
        method: 'POST',
        headers: { 'content-type': 'application/logplex-1', 'logplex-frame-id': `F${i}`, 'logplex-msg-count': '200' },
        body: body(200, `r${i}`),
      }).then((r) => r.status, () => 0),
    )
    await new Promise((r) => setTimeout(r, 30))
    const exit = s.stop('SIGTERM')
    const statuses = await Promise.all(sends)
    expect(await exit).toBe(0)
    const acked = statuses.filter((x) => x >= 200 && x < 300).length
    // Every request either got a 2xx (and must be stored) or never got an answer / was refused.
    expect(statuses.every((x) => x === 0 || x === 503 || (x >= 200 && x < 300))).toBe(true)
    const again = await spawnServer({ SLUICE_INGEST_KEY: INGEST, SLUICE_READ_TOKEN: READ }, { dataDir: s.dataDir })
    try {
      await again.ready()
      const q = await fetch(`${again.url}/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${READ}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'filter message like "sigterm %" | stats count() as n' }) })
      const n = ((await q.json()) as { results: { n: number }[] }).results[0]!.n
      expect(n).toBeGreaterThanOrEqual(acked * 200)
      expect(n % 200).toBe(0)
    } finally {
      await again.stop()
    }
  })
})

describe('before the store is ready', () => {
  it('a drain POST gets 503 + Retry-After (Logplex retries), not 403 (Logplex would drop it), and /ready says not ready', async () => {
    // A ClickHouse server that is not there: migrations keep retrying, so the service never starts.
    const s = await spawnServer({ SLUICE_INGEST_KEY: INGEST, SLUICE_READ_TOKEN: READ, CLICKHOUSE_URL: 'http://127.0.0.1:9' })
    try {
      const ready = await fetch(`${s.url}/ready`)
      expect(ready.status).toBe(503)
      const msg = '<190>1 2026-01-01T00:00:00+00:00 host app web.1 - early line\n'
      const res = await fetch(`${s.url}/v1/events?api_key=${INGEST}&env=production`, {
        method: 'POST', headers: { 'content-type': 'application/logplex-1' }, body: `${Buffer.byteLength(msg)} ${msg}`,
      })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('1')
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('store_unavailable')
    } finally {
      await s.stop()
    }
  })
})

describe('keep-alive connections', () => {
  /** Two requests through one keep-alive socket, `idleMs` apart: was the socket still open for the second? */
  async function reusedAfter(url: string, idleMs: number): Promise<boolean> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const get = () => new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const req = http.get(`${url}/health`, { agent }, (res) => {
        res.resume().on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }))
      })
      req.on('error', reject)
    })
    try {
      expect((await get()).status).toBe(200)
      await new Promise((r) => setTimeout(r, idleMs))
      const second = await get()
      expect(second.status).toBe(200)
      return second.reused
    } finally {
      agent.destroy()
    }
  }

  it("an idle connection outlives Node's 5 s default (a sender or proxy reusing it gets no reset); HTTP_KEEP_ALIVE_TIMEOUT_MS sets it", async () => {
    const [byDefault, short] = await Promise.all([spawnServer(), spawnServer({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000' })])
    try {
      await Promise.all([byDefault.ready(), short.ready()])
      const [longIdle, shortIdle] = await Promise.all([reusedAfter(byDefault.url, 6000), reusedAfter(short.url, 2000)])
      expect(longIdle).toBe(true)
      expect(shortIdle).toBe(false)
    } finally {
      await Promise.all([byDefault.stop(), short.stop()])
    }
  })
})
