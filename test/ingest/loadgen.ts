/**
 * A Logplex load generator, run as its own process (`node --import tsx test/ingest/loadgen.ts`)
 * so it does not share the server's event loop. Sends octet-counted router-line bodies
 * (~275 B lines, random request ids and paths: realistic entropy, PERFORMANCE-NOTES Part 3)
 * over keep-alive connections, one request in flight per connection like a Logplex drain.
 * Options come as JSON in argv[2]; a JSON summary is printed on exit. With `ackFile`, each frame
 * is logged before it is sent (`S <i>`) and after a 2xx (`A <i>`), synchronously, so a crash
 * test knows exactly which frames were acknowledged.
 */
import { appendFileSync } from 'node:fs'
import http from 'node:http'
import { rng } from '../helpers/rng.js'

/** Options of one run. */
export interface LoadOptions {
  readonly url: string
  readonly key: string
  readonly connections: number
  readonly durationMs: number
  readonly linesPerBody: number
  /** Target lines/s across all connections; 0 = as fast as responses allow. */
  readonly rate: number
  /**
   * Epoch ms used for line timestamps with `ackFile`, so a body can be rebuilt from its index.
   * Without `ackFile`, lines carry the current time (stampNow).
   */
  readonly baseMs: number
  readonly ackFile?: string
  /** Stop after this many consecutive connection errors (the server is gone). */
  readonly maxErrors?: number
  /**
   * The first ms of the run are warm-up: requests started then count in `acked`/`linesAcked` but
   * not in `steady` (every connection starts in the same millisecond, which real drains never
   * do: that first burst is queued behind itself). 0 = no warm-up.
   */
  readonly warmupMs?: number
}

/** Latency percentiles (ms) and throughput of a set of requests. */
export interface LoadWindow {
  readonly linesAcked: number
  readonly elapsedMs: number
  readonly p50: number
  readonly p90: number
  readonly p95: number
  readonly p99: number
  readonly max: number
}

/** What a run did: its whole window (every request, the whole run), and more. */
export interface LoadSummary extends LoadWindow {
  readonly requests: number
  readonly acked: number
  readonly statuses: Record<string, number>
  /** The requests started after the warm-up, over the time after it (the whole run without one). */
  readonly steady: LoadWindow
}

const PATHS = ['/', '/api/v1/users', '/api/v1/orders', '/login', '/assets/app.js', '/search', '/cart', '/checkout', '/api/v2/events', '/health']
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT']

const hex = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('')

/** The Frame-Id of body `i`. */
export const frameIdOf = (i: number) => `LOADGEN${String(i).padStart(25, '0')}`

/** Body number `i`: `lines` router frames, octet-counted, each ending in LF. */
export function bodyFor(i: number, lines: number, baseMs: number): Buffer {
  const r = rng(i + 1)
  let out = ''
  for (let j = 0; j < lines; j++) {
    const ts = new Date(baseMs + i * 10 + j).toISOString().replace('Z', '000+00:00')
    const status = r() < 0.05 ? 503 : r() < 0.1 ? 404 : 200
    const msg = `<158>1 ${ts} host heroku router - at=info method=${METHODS[Math.floor(r() * METHODS.length)]} path="${PATHS[Math.floor(r() * PATHS.length)]}?page=${Math.floor(r() * 100)}" host=myapp.herokuapp.com request_id=${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)} fwd="${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}" dyno=web.${1 + Math.floor(r() * 4)} connect=${Math.floor(r() * 3)}ms service=${Math.floor(r() * 300)}ms status=${status} bytes=${Math.floor(r() * 20000)} protocol=https\n`
    out += `${Buffer.byteLength(msg)} ${msg}`
  }
  return Buffer.from(out)
}

const stampOffsets = new WeakMap<Buffer, number[]>()

function timestampOffsets(body: Buffer): number[] {
  const offsets: number[] = []
  for (let at = 0; at < body.length;) {
    const sp = body.indexOf(0x20, at)
    const len = Number(body.toString('latin1', at, sp))
    offsets.push(sp + 1 + 7) // after "<158>1 ": the 32-byte RFC 5424 timestamp
    at = sp + 1 + len
  }
  return offsets
}

/**
 * Re-stamp a copy of body `template` with the current time, the way Logplex delivers lines: each
 * body carries the latest lines, so successive bodies move forward in time. (Reusing the templates'
 * fixed timestamps made every INSERT cover the same second, so every background merge interleaved
 * all its parts row by row: ~5.3 µs/row per merge instead of ~3.9 for time-ordered parts.)
 * Line `j` of `n` gets now − (n − 1 − j) ms, so lines within a body are in order too.
 */
export function stampNow(template: Buffer): Buffer {
  const out = Buffer.from(template)
  const offsets = stampOffsets.get(template) ?? timestampOffsets(template)
  stampOffsets.set(template, offsets)
  const now = Date.now()
  let second = -1
  let prefix = ''
  for (let j = 0; j < offsets.length; j++) {
    const ms = now - (offsets.length - 1 - j)
    const sec = Math.floor(ms / 1000)
    if (sec !== second) { second = sec; prefix = new Date(sec * 1000).toISOString().slice(0, 20) }
    out.write(`${prefix}${String(ms - sec * 1000).padStart(3, '0')}000+00:00`, offsets[j]!, 'latin1')
  }
  return out
}

/** Send one body; resolves with the HTTP status (0 on a connection error). */
export function send(agent: http.Agent, url: URL, key: string, i: number, body: Buffer, lines: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({
      agent, host: url.hostname, port: url.port, method: 'POST', path: `/v1/events?api_key=${key}&env=load`,
      headers: { 'content-type': 'application/logplex-1', 'content-length': body.length, 'logplex-msg-count': lines, 'logplex-frame-id': frameIdOf(i), 'logplex-drain-token': 'd.00000000-0000-4000-8000-00000000load' },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)) })
    req.on('error', () => resolve(0))
    req.setTimeout(10_000, () => req.destroy())
    req.end(body)
  })
}

/** Run the load; frames are numbered from `first`. */
export async function runLoad(o: LoadOptions, first = 0): Promise<LoadSummary> {
  const url = new URL(o.url)
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections })
  const bodies = Array.from({ length: 64 }, (_, k) => bodyFor(first + k, o.linesPerBody, o.baseMs))
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  let next = first
  let acked = 0
  let errors = 0
  const start = performance.now()
  const starts: number[] = []
  const ackedAt: boolean[] = []
  const warmup = o.warmupMs ?? 0
  const interval = o.rate > 0 ? (o.linesPerBody / o.rate) * 1000 : 0
  const worker = async () => {
    while (performance.now() - start < o.durationMs && errors < (o.maxErrors ?? Infinity)) {
      const i = next++
      if (interval > 0) {
        const due = start + (i - first) * interval
        const wait = due - performance.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      }
      // The ack-logged run rebuilds every body (a crash test must be able to resend any of them).
      const body = o.ackFile ? bodyFor(i, o.linesPerBody, o.baseMs) : stampNow(bodies[(i - first) % bodies.length]!)
      if (o.ackFile) appendFileSync(o.ackFile, `S ${i}\n`)
      const t0 = performance.now()
      const status = await send(agent, url, o.key, i, body, o.linesPerBody)
      latencies.push(performance.now() - t0)
      starts.push(t0 - start)
      ackedAt.push(status >= 200 && status < 300)
      statuses[status] = (statuses[status] ?? 0) + 1
      if (status >= 200 && status < 300) {
        acked++
        errors = 0
        if (o.ackFile) appendFileSync(o.ackFile, `A ${i}\n`)
      } else if (status === 0) {
        errors++
        await new Promise((r) => setTimeout(r, 20))
      }
    }
  }
  await Promise.all(Array.from({ length: o.connections }, worker))
  agent.destroy()
  const elapsedMs = performance.now() - start
  const window = (from: number): LoadWindow => {
    const l: number[] = []
    let ok = 0
    for (let k = 0; k < latencies.length; k++) {
      if (starts[k]! < from) continue
      l.push(latencies[k]!)
      if (ackedAt[k]) ok++
    }
    l.sort((a, b) => a - b)
    const pct = (p: number) => l[Math.min(l.length - 1, Math.max(0, Math.ceil((p / 100) * l.length) - 1))] ?? NaN
    return { linesAcked: ok * o.linesPerBody, elapsedMs: elapsedMs - from, p50: pct(50), p90: pct(90), p95: pct(95), p99: pct(99), max: pct(100) }
  }
  const all = window(0)
  return { requests: next - first, acked, ...all, statuses, steady: warmup > 0 ? window(warmup) : all }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const opts = JSON.parse(process.argv[2] ?? '{}') as LoadOptions & { first?: number }
  runLoad(opts, opts.first ?? 0).then((s) => {
    process.stdout.write(`${JSON.stringify(s)}\n`, () => process.exit(0))
  })
}
