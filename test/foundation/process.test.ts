/** The real process: start, readiness, logs without secrets, a second server refused, SIGTERM. */
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

  it('first start with no project and no SLUICE_* variables creates default and prints its drain URL and read token once', async () => {
    const s = await spawnServer({})
    await s.ready()
    await new Promise((r) => setTimeout(r, 300))
    expect(await s.stop()).toBe(0)
    const first = s.output()
    expect(first).toMatch(/Drain URL: +http:\/\/localhost:\d+\/v1\/events\?api_key=sk_[A-Za-z0-9_-]+&env=production/)
    expect(first).toMatch(/heroku drains:add "/)
    expect(first).toMatch(/Read token: +rt_/)
    const again = await spawnServer({}, { dataDir: s.dataDir })
    await again.ready()
    expect(await again.stop()).toBe(0)
    expect(again.output()).not.toContain('Read token')
  })
})
