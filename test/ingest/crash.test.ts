/**
 * Crash safety against the real entry point: a separate load-generator process drives the drain,
 * the server is killed with SIGKILL mid-load, restarted on the same data directory, and the
 * frames Logplex would retry (those without a 2xx) plus some acknowledged ones are re-sent.
 * Then every acknowledged line is stored, and every line exactly once.
 */
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../src/store/index.js'
import { spawnServer, tempDataDir } from '../helpers/spawn-server.js'
import { bodyFor, frameIdOf, send } from './loadgen.js'

const KEY = 'ingest-key-for-crash-test-000001'
const LINES = 50
const LOADGEN = path.join(path.dirname(new URL(import.meta.url).pathname), 'loadgen.ts')

describe('crash safety', () => {
  it('SIGKILL under load from a separate process, restart, Logplex-style retries → every acked line stored, each line once', async () => {
    const dataDir = tempDataDir('sluice-crash-')
    const ackFile = path.join(os.tmpdir(), `sluice-crash-acks-${process.pid}.txt`)
    const env = { SLUICE_INGEST_KEY: KEY, LOG_LEVEL: 'info', INGEST_BATCH_MAX_AGE_MS: '5' }
    const baseMs = Date.now()
    rmSync(ackFile, { force: true })
    const s1 = await spawnServer(env, { dataDir })
    const cleanup: (() => Promise<unknown>)[] = [() => s1.stop('SIGKILL')]
    try {
      await s1.ready()
      const gen = spawn(process.execPath, ['--import', 'tsx', LOADGEN, JSON.stringify({
        url: s1.url, key: KEY, connections: 4, durationMs: 20_000, linesPerBody: LINES, rate: 0, baseMs, ackFile, maxErrors: 5,
      })], { stdio: ['ignore', 'pipe', 'inherit'] })
      const genDone = new Promise<void>((resolve) => gen.on('exit', () => resolve()))
      const acks = () => readFileSync(ackFile, 'utf8').split('\n').filter((l) => l.startsWith('A ')).length
      for (let t = 0; t < 200 && (acksSafe(acks) < 40); t++) await new Promise((r) => setTimeout(r, 50))
      s1.proc.kill('SIGKILL')
      await s1.stop('SIGKILL').catch(() => null)
      await genDone

      const log = readFileSync(ackFile, 'utf8').split('\n').filter(Boolean)
      const started = new Set(log.filter((l) => l.startsWith('S ')).map((l) => Number(l.slice(2))))
      const acked = new Set(log.filter((l) => l.startsWith('A ')).map((l) => Number(l.slice(2))))
      expect(acked.size).toBeGreaterThanOrEqual(10)
      // Requests were in flight when the process died (otherwise this tests nothing).
      expect(started.size).toBeGreaterThan(acked.size)

      // Restart; re-send what Logplex would retry (no 2xx), plus acked frames (a retry after a lost response).
      const s2 = await spawnServer(env, { dataDir })
      cleanup.push(() => s2.stop('SIGKILL'))
      await s2.ready()
      const agent = new http.Agent({ keepAlive: true })
      const resend = [...started].filter((i) => !acked.has(i)).concat([...acked].slice(-10))
      for (const i of resend) expect(await send(agent, new URL(s2.url), KEY, i, bodyFor(i, LINES, baseMs), LINES)).toBe(204)
      agent.destroy()
      expect(await s2.stop('SIGTERM')).toBe(0)

      const store = openStore({ dataDir, maxServerMemoryMb: 1024, queryMaxMemoryMb: 512 })
      try {
        const rs = await store.client.query({ query: `SELECT frame_id AS f, count() AS n, uniqExact(id) AS u FROM events GROUP BY f`, format: 'JSONEachRow' })
        const byFrame = new Map((await rs.json<{ f: string; n: string; u: string }>()).map((r) => [r.f, { n: Number(r.n), u: Number(r.u) }]))
        const missing = [...acked].filter((i) => byFrame.get(frameIdOf(i))?.n !== LINES)
        expect(missing).toEqual([])
        const duplicated = [...byFrame].filter(([, v]) => v.n !== v.u || v.n !== LINES).map(([f]) => f)
        expect(duplicated).toEqual([])
        expect(byFrame.size).toBe(started.size)
      } finally {
        await store.close()
      }
    } finally {
      for (const c of cleanup) await c().catch(() => null)
    }
  }, 120_000)
})

function acksSafe(f: () => number): number {
  try { return f() } catch { return 0 }
}
