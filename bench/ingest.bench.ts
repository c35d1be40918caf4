/**
 * End-to-end ingest over loopback HTTP: a separate load-generator process (test/ingest/loadgen.ts,
 * keep-alive, one request in flight per connection like a Logplex drain) POSTs ~100 KB Logplex
 * bodies of router lines to the real routes + writer + embedded chDB in this process. Reports
 * lines/s and p50/p99 latency at 1, 10 and 50 connections, at a fixed 25k lines/s, durable vs
 * ack-from-memory, peak RSS, and the two ceilings measured in the same run: a server that only
 * reads the body and answers 204, and the store's raw insert rate for the same rows. Also the
 * insert format choice: Native blocks (what the writer sends) vs JSONCompactEachRow (the previous
 * format), encode rate and raw insert rate of the same rows. Every durable run is checked:
 * rows in the table = lines acknowledged.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { Readable } from 'node:stream'
import os from 'node:os'
import path from 'node:path'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createApp } from '../src/app.js'
import { createIngest, INSERT_EVENTS_TARGET, nativeBlock, type IngestConfig } from '../src/ingest/index.js'
import { INSERT_ROWS_SQL, rowJson } from './lib/row-json.js'
import { createLogger } from '../src/logger.js'
import { parseLogplexBody } from '../src/logplex/index.js'
import { Registry } from '../src/metrics/index.js'
import type { EventRow } from '../src/model/index.js'
import { eventsRoutes } from '../src/routes/events.js'
import { migrate, openStore } from '../src/store/index.js'
import { bodyFor, type LoadSummary } from '../test/ingest/loadgen.js'
import { readFileSync } from 'node:fs'
import { spawnServer } from '../test/helpers/spawn-server.js'
import { opsPerSecond, report, type BenchRow } from './report.js'

const KEY = 'bench-key'
const LINES = 370 // ≈ 100 KB of ~275 B router lines: Logplex's http_drain_target_bytes
const RUN_MS = Number(process.env.INGEST_BENCH_MS ?? 7000)
/**
 * The first second of every run is warm-up: all connections start in the same millisecond (real
 * drains never do), so the first burst queues behind itself — at 50 connections the ~50 requests
 * started in the first 60 ms were the 30 slowest of the run and alone set its p99 (357 ms; 276 ms
 * without the first second). Rates and percentiles are over the rest; each row notes the p99
 * with the warm-up counted, and the stored-rows check counts every acknowledged line.
 */
const WARMUP_MS = 1000
const LOADGEN = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'test', 'ingest', 'loadgen.ts')
const baseMs = Date.now()

const store = openStore({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-ingest-')), maxServerMemoryMb: 2048, queryMaxMemoryMb: 1024 })
await migrate(store.client)
const logger = createLogger('silent')
const auth = { verifyIngestKey: (k: string) => (k === KEY ? { projectId: 'bench', retentionDays: 30 } : null) }

let peakRss = 0
const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()) }, 50)

async function listen(app: Hono): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise((r) => { server.close(() => r()); (server as unknown as { closeAllConnections(): void }).closeAllConnections() }) })
    })
  })
}

let firstFrame = 0
function load(url: string, connections: number, rate = 0): Promise<LoadSummary> {
  const first = firstFrame
  firstFrame += 10_000_000
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', LOADGEN, JSON.stringify({ url, key: KEY, connections, durationMs: RUN_MS, linesPerBody: LINES, rate, baseMs, first, warmupMs: WARMUP_MS })], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', (d: Buffer) => { out += d.toString() })
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadSummary) : reject(new Error(`loadgen exit ${code}`))))
  })
}

const stored = async () => Number((await (await store.client.query({ query: `SELECT count() AS n FROM events WHERE project_id = 'bench'`, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n)

interface Run { lps: number; p50: number; p99: number; p99All: number; acked: number; s503: number; rss: number }

/** Lines/s and latency after the warm-up; `p99All` counts the warm-up too. */
const steady = (s: LoadSummary) => ({ lps: s.steady.linesAcked / (s.steady.elapsedMs / 1000), p50: s.steady.p50, p99: s.steady.p99, p99All: s.p99 })
/**
 * Wait (≤ 60 s) until no merge runs on `events`: every run starts from a settled store, not in the
 * middle of merging the previous run's parts (the one-connection run leaves ~500 tiny parts).
 */
async function settle(): Promise<void> {
  for (const t0 = Date.now(); Date.now() - t0 < 60_000;) {
    const rs = await store.client.query({ query: "SELECT count() AS n FROM system.merges WHERE table = 'events'", format: 'JSONEachRow' })
    if (Number((await rs.json<{ n: string }>())[0]!.n) === 0) return
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function sluiceRun(connections: number, config: Partial<IngestConfig>, rate = 0): Promise<Run> {
  await settle()
  const registry = new Registry()
  const ingest = createIngest({ client: store.client, inserters: [store.nativeInserter()], logger, registry, config })
  await ingest.start()
  const app = createApp({ logger, routes: [{ prefix: '/v1/events', app: eventsRoutes({ ingest, auth }) }] })
  const srv = await listen(app)
  const before = await stored()
  peakRss = process.memoryUsage.rss()
  const s = await load(srv.url, connections, rate)
  await srv.close()
  await ingest.close()
  const after = await stored()
  // Checked before anything is reported: every acknowledged line is in the table, once.
  if (after - before !== s.linesAcked) throw new Error(`stored ${after - before} rows for ${s.linesAcked} acked lines (${connections} conns, ${config.ackMode})`)
  return { ...steady(s), acked: s.acked, s503: s.statuses['503'] ?? 0, rss: peakRss }
}

async function baselineRun(connections: number): Promise<Run> {
  const app = new Hono()
  app.post('/v1/events', async (c) => { await c.req.arrayBuffer(); return c.body(null, 204) })
  const srv = await listen(app)
  const s = await load(srv.url, connections)
  await srv.close()
  return { ...steady(s), acked: s.acked, s503: 0, rss: 0 }
}

// The same rows the drain produces, for the serializer and raw-insert ceilings.
const sampleRows: EventRow[] = []
for (let i = 0; sampleRows.length < 20_000; i++) {
  for (const e of parseLogplexBody(bodyFor(900_000_000 + i, LINES, baseMs)).events) {
    sampleRows.push({ ...e, projectId: 'raw', environment: 'load', app: '', drain: '', frameId: '', id: crypto.randomUUID(), receivedMicros: Date.now() * 1000, retentionDays: 30 })
  }
}
// Encode rates: whole 370-row requests, as the writer encodes them.
const request = sampleRows.slice(0, LINES)
const nativeEncodeRate = opsPerSecond(() => nativeBlock(request), 1000, 300) * LINES
const jsonEncodeRate = opsPerSecond(() => { let b = ''; for (const r of request) b += rowJson(r); return b }, 1000, 300) * LINES
/** Raw insert rate of the same rows, 20k-row batches, encoding included. */
async function rawInsertRate(insert: () => Promise<void>): Promise<number> {
  const t0 = performance.now()
  for (let k = 0; k < 5; k++) await insert()
  return (5 * sampleRows.length) / ((performance.now() - t0) / 1000)
}
const inserter = store.nativeInserter()
const rawRate = await rawInsertRate(() => inserter.insert(INSERT_EVENTS_TARGET, nativeBlock(sampleRows).bytes))
const rawJsonRate = await rawInsertRate(async () => {
  const res = await store.ingestClient.exec({ query: INSERT_ROWS_SQL, values: Readable.from([sampleRows.map(rowJson).join('')]) })
  res.stream.resume()
})
/** Wall-clock ms of one 370-row INSERT (median of 30), the floor of a single drain's request latency. */
async function smallInsertMs(insert: () => Promise<void>): Promise<number> {
  const ms: number[] = []
  for (let k = 0; k < 30; k++) { const t0 = performance.now(); await insert(); ms.push(performance.now() - t0) }
  return ms.sort((a, b) => a - b)[15]!
}
const smallNativeMs = await smallInsertMs(() => inserter.insert(INSERT_EVENTS_TARGET, nativeBlock(request).bytes))
const smallJsonMs = await smallInsertMs(async () => {
  const res = await store.ingestClient.exec({ query: INSERT_ROWS_SQL, values: Readable.from([request.map(rowJson).join('')]) })
  res.stream.resume()
})

const durable: Partial<IngestConfig> = { ackMode: 'commit' }
const base50 = await baselineRun(50)
/**
 * Each configuration runs ROUNDS times, interleaved (round 1: 1, 10, 50 conns, fixed rate, from
 * memory; then round 2…), and is judged on the median of its rounds. The shared host has slow
 * phases lasting minutes: one run per configuration made the verdict a coin toss (two ingest runs
 * on the same commit two minutes apart: 27.9k and 19.0k lines/s at 1 connection). Rows show the
 * rounds' range next to the median.
 */
const ROUNDS = Math.max(1, Number(process.env.INGEST_BENCH_ROUNDS ?? 3))
const rounds: Record<'c1' | 'c10' | 'c50' | 'fixed' | 'mem50', Run>[] = []
for (let i = 0; i < ROUNDS; i++) {
  rounds.push({
    c1: await sluiceRun(1, durable),
    c10: await sluiceRun(10, durable),
    c50: await sluiceRun(50, durable),
    fixed: await sluiceRun(10, durable, 25_000),
    mem50: await sluiceRun(50, { ackMode: 'memory' }),
  })
}
const median = (xs: number[]) => { const v = [...xs].sort((a, b) => a - b); return v.length % 2 ? v[v.length >> 1]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2 }
/** A configuration's rounds: the median of each figure (503s and RSS: the most), and the ranges. */
function judged(k: keyof (typeof rounds)[number]): Run & { lpsRange: string; p99Range: string } {
  const rs = rounds.map((r) => r[k])
  const range = (xs: number[], f: (x: number) => string) => `rounds ${xs.map(f).join(' / ')}`
  return {
    lps: median(rs.map((r) => r.lps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), p99All: median(rs.map((r) => r.p99All)),
    acked: rs.reduce((a, r) => a + r.acked, 0), s503: Math.max(...rs.map((r) => r.s503)), rss: Math.max(...rs.map((r) => r.rss)),
    lpsRange: range(rs.map((r) => r.lps), (x) => `${(x / 1000).toFixed(1)}k`), p99Range: range(rs.map((r) => r.p99), (x) => x.toFixed(0)),
  }
}
const [c1, c10, c50, fixed, mem50] = [judged('c1'), judged('c10'), judged('c50'), judged('fixed'), judged('mem50')]
const ratios = rounds.map((r) => r.c50.lps / r.mem50.lps)
clearInterval(rssTimer)
const maxRss = process.resourceUsage().maxRSS * 1024

/**
 * The real server process (`src/main.ts`, what `npm start` runs) under 50 connections for twice the
 * usual run: its RSS sampled from /proc every 100 ms; steady = median of the second half.
 */
async function realServerRun(): Promise<{ lps: number; p99: number; p99All: number; steady: number; peak: number }> {
  await settle() // this process's own store stops merging the earlier runs' parts first
  const srv = await spawnServer({ SLUICE_INGEST_KEY: 'real-server-bench-key-000001', LOG_LEVEL: 'info' })
  await srv.ready()
  const samples: number[] = []
  const timer = setInterval(() => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8'))
      if (m) samples.push(Number(m[1]) * 1024)
    } catch { /* process gone */ }
  }, 100)
  const s = await new Promise<LoadSummary>((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', LOADGEN, JSON.stringify({ url: srv.url, key: 'real-server-bench-key-000001', connections: 50, durationMs: RUN_MS * 2, linesPerBody: LINES, rate: 0, baseMs, first: 900_000_000, warmupMs: WARMUP_MS })], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', (d: Buffer) => { out += d.toString() })
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadSummary) : reject(new Error(`loadgen exit ${code}`))))
  })
  clearInterval(timer)
  await srv.stop()
  const half = samples.slice(Math.floor(samples.length / 2)).sort((a, b) => a - b)
  return { ...steady(s), steady: half[Math.floor(half.length / 2)] ?? NaN, peak: Math.max(...samples) }
}
const real = await realServerRun()
const MiB = 2 ** 20

const rows: BenchRow[] = [
  { name: 'encode rows: Native block (370-row requests)', value: nativeEncodeRate, unit: 'rows/s', note: `JSONCompactEachRow lines of the same rows: ${Math.round(jsonEncodeRate).toLocaleString('en-US')} rows/s` },
  { name: 'store raw insert, Native (encode + INSERT, 20k-row batches)', value: rawRate, unit: 'rows/s', note: 'ceiling: the store alone' },
  { name: 'store raw insert, JSONCompactEachRow (same rows; the previous format)', value: rawJsonRate, unit: 'rows/s' },
  { name: 'one 370-row INSERT, Native (median of 30)', value: smallNativeMs, unit: 'ms', note: `JSONCompactEachRow: ${smallJsonMs.toFixed(1)} ms; a single drain's floor` },
  { name: 'baseline server (read body, 204), 50 conns', value: base50.lps, unit: 'lines/s', note: `ceiling: HTTP + load generator; p99 ${base50.p99.toFixed(1)} ms` },
  { name: 'durable ack, 1 conn', value: c1.lps, unit: 'lines/s', target: '≥ 25,000', pass: c1.lps >= 25_000, note: `median of ${ROUNDS}, ${c1.lpsRange}; p50 ${c1.p50.toFixed(1)} / p99 ${c1.p99.toFixed(1)} ms; p99 with warm-up ${c1.p99All.toFixed(1)} ms` },
  { name: 'durable ack, 10 conns', value: c10.lps, unit: 'lines/s', note: `median of ${ROUNDS}, ${c10.lpsRange}; p50 ${c10.p50.toFixed(1)} / p99 ${c10.p99.toFixed(1)} ms; p99 with warm-up ${c10.p99All.toFixed(1)} ms` },
  { name: 'durable ack, 50 conns', value: c50.lps, unit: 'lines/s', target: '≥ 100,000', pass: c50.lps >= 100_000, note: `median of ${ROUNDS}, ${c50.lpsRange}; p50 ${c50.p50.toFixed(1)} ms; 503s ${c50.s503}` },
  { name: 'durable ack, 50 conns: p99', value: c50.p99, unit: 'ms', target: '≤ 300', pass: c50.p99 <= 300, note: `median of ${ROUNDS}, ${c50.p99Range}; p99 with warm-up ${c50.p99All.toFixed(0)} ms` },
  { name: 'fixed 25,000 lines/s, 10 conns: p99', value: fixed.p99, unit: 'ms', target: '≤ 100', pass: fixed.p99 <= 100, note: `median of ${ROUNDS}, ${fixed.p99Range}; p99 with warm-up ${fixed.p99All.toFixed(1)} ms; achieved ${Math.round(fixed.lps).toLocaleString('en-US')} lines/s, p50 ${fixed.p50.toFixed(1)} ms` },
  { name: 'ack from memory, 50 conns', value: mem50.lps, unit: 'lines/s', note: `median of ${ROUNDS}, ${mem50.lpsRange}; p99 ${mem50.p99.toFixed(1)} ms; queue-full 503s ${mem50.s503}; NOT durable` },
  { name: 'durable / memory throughput, 50 conns', value: median(ratios), unit: 'ratio', target: '≥ 0.6 (cost ≤ 40%)', pass: median(ratios) >= 0.6, note: `median of the rounds' ratios: ${ratios.map((r) => r.toFixed(2)).join(' / ')}` },
  { name: 'real server process (npm start), 50 conns: steady RSS', value: real.steady / MiB, unit: 'MiB', target: '≤ 1024', pass: real.steady <= 1024 * MiB, note: `peak ${Math.round(real.peak / MiB)} MiB; ${Math.round(real.lps).toLocaleString('en-US')} lines/s, p99 ${real.p99.toFixed(0)} ms (with warm-up ${real.p99All.toFixed(0)} ms), ${RUN_MS * 2 / 1000} s` },
  { name: 'peak RSS of this bench process during the 50-conn runs', value: Math.max(c50.rss, mem50.rss) / MiB, unit: 'MiB', note: 'in-process server + its queue-full memory-ack run + sample rows' },
  { name: 'max RSS of the whole bench process', value: maxRss / MiB, unit: 'MiB', note: 'includes the 20k sample rows and raw-insert ceiling' },
]
report({
  title: 'Ingest: Logplex drain end to end (HTTP → parse → group commit → chDB)',
  setup: `${LINES} router lines (~100 KB) per POST, realistic entropy; load generator in a separate Node process (keep-alive, one request in flight per connection) on the same 2 cores; each run starts once the previous run's merges have finished; ${ROUNDS} interleaved rounds of every configuration, each judged on the median of its rounds; ${RUN_MS / 1000} s per run, the first ${WARMUP_MS / 1000} s of it warm-up (every connection starts at once; rates and percentiles are over the rest, \"p99 with warm-up\" counts it too); embedded chDB; default IngestConfig unless noted. Every durable run verified rows stored = lines acknowledged.`,
  rows,
})
await store.close()
process.exit(0)
