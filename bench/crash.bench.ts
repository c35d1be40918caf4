/**
 * Crash safety, long version (the CI test runs one short cycle): several cycles of sustained load
 * from a separate process, SIGKILL of the server mid-load, restart on the same data directory and
 * Logplex-style retries of everything not acknowledged (plus some acknowledged frames, as after a
 * lost response). After the last cycle, every acknowledged line must be stored exactly once.
 */
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { openStore } from '../src/store/index.js'
import { spawnServer, tempDataDir } from '../test/helpers/spawn-server.js'
import { bodyFor, frameIdOf, send } from '../test/ingest/loadgen.js'
import { report } from './report.js'

const KEY = 'ingest-key-for-crash-bench-00001'
const LINES = 100
const CYCLES = Number(process.env.CRASH_CYCLES ?? 4)
const LOAD_MS = Number(process.env.CRASH_LOAD_MS ?? 15_000)
const LOADGEN = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'test', 'ingest', 'loadgen.ts')

const dataDir = tempDataDir('sluice-crash-bench-')
const env = { SLUICE_INGEST_KEY: KEY, LOG_LEVEL: 'info' }
const baseMs = Date.now()
const started = new Set<number>()
const acked = new Set<number>()
let next = 0
let killedWithInFlight = 0

for (let cycle = 0; cycle < CYCLES; cycle++) {
  const ackFile = path.join(os.tmpdir(), `sluice-crash-bench-${process.pid}-${cycle}.txt`)
  rmSync(ackFile, { force: true })
  const s = await spawnServer(env, { dataDir })
  await s.ready()
  // Retries first, as Logplex would after reconnecting: frames without a 2xx, plus a few acked ones.
  const agent = new http.Agent({ keepAlive: true })
  const resend = [...started].filter((i) => !acked.has(i)).concat([...acked].slice(-20))
  for (const i of resend) {
    if ((await send(agent, new URL(s.url), KEY, i, bodyFor(i, LINES, baseMs), LINES)) === 204) acked.add(i)
  }
  agent.destroy()
  const gen = spawn(process.execPath, ['--import', 'tsx', LOADGEN, JSON.stringify({
    url: s.url, key: KEY, connections: 8, durationMs: LOAD_MS * 2, linesPerBody: LINES, rate: 0, baseMs, ackFile, maxErrors: 5, first: next,
  })], { stdio: ['ignore', 'ignore', 'inherit'] })
  const genDone = new Promise<void>((resolve) => gen.on('exit', () => resolve()))
  await new Promise((r) => setTimeout(r, LOAD_MS * (0.5 + Math.random() * 0.5)))
  s.proc.kill('SIGKILL')
  await s.stop('SIGKILL').catch(() => null)
  await genDone
  const log = readFileSync(ackFile, 'utf8').split('\n').filter(Boolean)
  const s1 = log.filter((l) => l.startsWith('S ')).map((l) => Number(l.slice(2)))
  const a1 = log.filter((l) => l.startsWith('A ')).map((l) => Number(l.slice(2)))
  for (const i of s1) started.add(i)
  for (const i of a1) acked.add(i)
  if (s1.length > a1.length) killedWithInFlight++
  next = Math.max(next, ...s1) + 1
  process.stderr.write(`crash bench: cycle ${cycle + 1}/${CYCLES}: ${s1.length} frames sent, ${a1.length} acknowledged\n`)
}

// Final restart: retry what is still unacknowledged, stop cleanly, then count.
const s = await spawnServer(env, { dataDir })
await s.ready()
const agent = new http.Agent({ keepAlive: true })
for (const i of [...started].filter((x) => !acked.has(x))) {
  if ((await send(agent, new URL(s.url), KEY, i, bodyFor(i, LINES, baseMs), LINES)) === 204) acked.add(i)
}
agent.destroy()
const exit = await s.stop('SIGTERM')

const store = openStore({ dataDir, maxServerMemoryMb: 1024, queryMaxMemoryMb: 512 })
const rs = await store.client.query({ query: 'SELECT frame_id AS f, count() AS n, uniqExact(id) AS u FROM events GROUP BY f', format: 'JSONEachRow' })
const byFrame = new Map((await rs.json<{ f: string; n: string; u: string }>()).map((r) => [r.f, { n: Number(r.n), u: Number(r.u) }]))
await store.close()
const missing = [...acked].filter((i) => byFrame.get(frameIdOf(i))?.n !== LINES).length
const duplicated = [...byFrame.values()].filter((v) => v.n !== v.u || v.n > LINES).length
if (exit !== 0) throw new Error(`final SIGTERM exit ${exit}`)

report({
  title: 'Crash safety (kill -9 under load, restart, Logplex retries)',
  setup: `${CYCLES} cycles: 8 keep-alive connections posting ${LINES}-line router bodies from a separate process, SIGKILL after ${LOAD_MS / 2000}–${LOAD_MS / 1000} s, restart on the same data directory, re-send unacknowledged frames and 20 acknowledged ones. Counted per frame in the store at the end.`,
  rows: [
    { name: 'frames acknowledged (2xx)', value: acked.size, unit: 'frames' },
    { name: 'lines acknowledged', value: acked.size * LINES, unit: 'lines' },
    { name: 'kills with requests in flight', value: killedWithInFlight, unit: 'of ' + CYCLES },
    { name: 'acknowledged frames missing or partial', value: missing, unit: 'frames', target: '0', pass: missing === 0 },
    { name: 'frames with duplicate rows', value: duplicated, unit: 'frames', target: '0', pass: duplicated === 0 },
  ],
})
