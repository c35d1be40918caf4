/**
 * Child process of the query benchmark: a paced Logplex drain. POSTs ~100 KB `application/logplex-1`
 * bodies (Logplex's http_drain_target_bytes = 102,400) built from real generated lines (the sample
 * the generator wrote: ~60% router, app text, metrics…) with the current time, to
 * `POST /v1/events?api_key=…&env=production`, at a fixed lines/s over keep-alive connections with one
 * request in flight each (like a Logplex drain). SIGUSR1 pauses it (no new request; those in
 * flight finish), SIGUSR2 resumes it at the same rate (time paused is not owed afterwards, nor
 * counted in `seconds`). Runs until SIGTERM, then prints one JSON summary. Options: JSON in argv[2].
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import http from 'node:http'

/** Options of one run. */
export interface IngestLoadOptions {
  readonly url: string
  readonly key: string
  readonly linesPerSecond: number
  readonly connections: number
  readonly sampleFile: string
}

/** What the child prints (after {@link LOAD_MARKER}). */
export interface IngestLoadSummary {
  /** Seconds of sending, paused time excluded. */
  readonly seconds: number
  readonly requests: number
  readonly ok: number
  readonly linesAcked: number
  readonly linesPerSecond: number
  /** Bodies due while every connection was busy (the server could not keep up). */
  readonly behind: number
  readonly statuses: Readonly<Record<string, number>>
  readonly p50Ms: number
  readonly p99Ms: number
}

/** Marker of the summary line on stdout. */
export const LOAD_MARKER = '@@INGEST_LOAD@@'

const TARGET_BYTES = 102_400

interface SampleLine { readonly source: string; readonly proc: string; readonly message: string }

function syslogTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000+00:00')
}

/** One octet-counted body of at most TARGET_BYTES, starting at sample line `from`. */
function body(lines: readonly SampleLine[], from: number): { buf: Buffer; count: number; next: number } {
  const ts = syslogTime(Date.now())
  const parts: string[] = []
  let size = 0
  let i = from
  for (;;) {
    const l = lines[i % lines.length]!
    const pri = l.source === 'heroku' ? (l.proc === 'router' ? 158 : 45) : 190
    const frame = `<${pri}>1 ${ts} host ${l.source} ${l.proc} - ${l.message}\n`
    const framed = `${Buffer.byteLength(frame)} ${frame}`
    const n = Buffer.byteLength(framed)
    if (size + n > TARGET_BYTES && parts.length > 0) break
    parts.push(framed)
    size += n
    i++
  }
  return { buf: Buffer.from(parts.join('')), count: parts.length, next: i }
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2]!) as IngestLoadOptions
  const lines = readFileSync(o.sampleFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SampleLine)
  const url = new URL(`/v1/events?api_key=${encodeURIComponent(o.key)}&env=production`, o.url)
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections })
  const perBody = body(lines, 0).count
  const bodiesPerSecond = o.linesPerSecond / perBody
  const statuses: Record<string, number> = {}
  const latencies: number[] = []
  let busy = 0, sent = 0, ok = 0, linesAcked = 0, behind = 0, cursor = 0, frame = 0
  // Active time: what the pacing and the summary count (paused spans are left out).
  let activeMs = 0, resumedAt: number | null = performance.now()
  const activeNow = () => activeMs + (resumedAt === null ? 0 : performance.now() - resumedAt)

  const post = (): void => {
    const b = body(lines, cursor)
    cursor = b.next
    const id = `qbench-${process.pid}-${frame++}`
    busy++
    sent++
    const t0 = performance.now()
    const req = http.request({
      agent, method: 'POST', host: url.hostname, port: url.port, path: url.pathname + url.search,
      headers: {
        'content-type': 'application/logplex-1', 'content-length': b.buf.length, 'logplex-msg-count': b.count,
        'logplex-frame-id': id, 'logplex-drain-token': 'd.9f7c1a52-7b1e-4c1e-9d0a-6f1b2c3d4e5f', 'user-agent': 'Logplex/v123',
      },
    }, (res) => {
      res.resume()
      res.on('end', () => {
        busy--
        latencies.push(performance.now() - t0)
        const s = String(res.statusCode ?? 0)
        statuses[s] = (statuses[s] ?? 0) + 1
        if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) { ok++; linesAcked += b.count }
      })
    })
    req.on('error', (e) => { busy--; const k = `error ${(e as NodeJS.ErrnoException).code ?? e.message}`; statuses[k] = (statuses[k] ?? 0) + 1 })
    req.end(b.buf)
  }

  // Paced: every 10 ms, send the bodies that are due, on free connections.
  const timer = setInterval(() => {
    if (resumedAt === null) return
    const due = Math.floor((activeNow() / 1000) * bodiesPerSecond)
    while (sent < due) {
      if (busy >= o.connections) { behind += due - sent; sent = due; break }
      post()
    }
  }, 10)

  process.on('SIGUSR1', () => {
    if (resumedAt === null) return
    activeMs += performance.now() - resumedAt
    resumedAt = null
  })
  process.on('SIGUSR2', () => { resumedAt ??= performance.now() })
  process.on('SIGTERM', () => {
    clearInterval(timer)
    const seconds = activeNow() / 1000
    const sorted = [...latencies].sort((a, b) => a - b)
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN
    const summary: IngestLoadSummary = {
      seconds, requests: latencies.length, ok, linesAcked, linesPerSecond: linesAcked / seconds, behind, statuses, p50Ms: at(0.5), p99Ms: at(0.99),
    }
    process.stdout.write(`${LOAD_MARKER}${JSON.stringify(summary)}\n`, () => process.exit(0))
  })
}

// Run only as a script, not when the bench imports the marker and types.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
