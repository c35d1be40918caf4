/**
 * The query benchmark's HTTP side: run a query exactly as a user does (`POST /v1/query`, or
 * `POST /v1/queries/:id/run` for a saved one, with a read token), and time repeated runs
 * client-side (round trip, JSON included), as p50/p95 with the engine's rows_read.
 */
import { percentile } from '../report.js'

/** A JSON answer of the query routes (DESIGN.md "HTTP surface"). */
export interface QueryAnswer {
  readonly results: Record<string, unknown>[]
  readonly meta: { readonly rows: number; readonly elapsed_ms: number; readonly rows_read: number; readonly bytes_read: number; readonly truncated: boolean }
}

/** Where and how to ask. */
export interface Api { readonly url: string; readonly token: string }

/** What to run: ad-hoc text, or a saved query by id. */
export type QuerySpec =
  | { readonly kind: 'adhoc'; readonly query: string; readonly ts: string }
  | { readonly kind: 'saved'; readonly id: string; readonly ts: string }

/** Timing of repeated runs. */
export interface Timing { readonly p50: number; readonly p95: number; readonly max: number; readonly rowsRead: number; readonly runs: number }

/** Run once; throws with the server's error body on a non-200 answer. */
export async function runQuery(api: Api, spec: QuerySpec): Promise<QueryAnswer> {
  const [path, body] = spec.kind === 'adhoc'
    ? ['/v1/query', { query: spec.query, ts: spec.ts }]
    : [`/v1/queries/${encodeURIComponent(spec.id)}/run`, { ts: spec.ts }]
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`${path} ${JSON.stringify(body)} → ${res.status} ${text.slice(0, 500)}`)
  return JSON.parse(text) as QueryAnswer
}

/** One warm-up run, then `runs` timed runs one after another. */
export async function timeQuery(api: Api, spec: QuerySpec, runs: number): Promise<Timing> {
  await runQuery(api, spec)
  const ms: number[] = []
  let rowsRead = 0
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const a = await runQuery(api, spec)
    ms.push(performance.now() - t0)
    rowsRead = a.meta.rows_read
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms), rowsRead, runs }
}

/** GET a JSON resource with the read token. */
export async function getJson<T>(api: Api, path: string): Promise<T> {
  const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.token}` } })
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${(await res.text()).slice(0, 300)}`)
  return (await res.json()) as T
}

/** The server's own gauges from `GET /metrics` (no auth), by name. */
async function gauges(api: Api): Promise<Map<string, number>> {
  const text = await (await fetch(`${api.url}/metrics`)).text()
  return new Map([...text.matchAll(/^([a-z_]+) (\S+)$/gm)].map((m) => [m[1]!, Number(m[2])]))
}

/**
 * Wait until the server's ingest queue is empty and no merge runs on the events table (two polls
 * in a row, 500 ms apart), at most `timeoutMs`.
 */
export async function settle(api: Api, timeoutMs: number): Promise<{ settled: boolean; seconds: number }> {
  const t0 = performance.now()
  let quiet = 0
  while (performance.now() - t0 < timeoutMs) {
    const g = await gauges(api)
    const busy = ['sluice_ingest_queue_rows', 'sluice_ingest_inserts_in_flight', 'sluice_store_merges_running'].some((k) => g.get(k) !== 0)
    quiet = busy ? 0 : quiet + 1
    if (quiet >= 2) return { settled: true, seconds: (performance.now() - t0) / 1000 }
    await new Promise((r) => setTimeout(r, 500))
  }
  return { settled: false, seconds: (performance.now() - t0) / 1000 }
}

/** Timing of short requests while a long query runs again and again (another user's search). */
export interface BesideTiming {
  /** The short query, alone and then beside the long one. */
  readonly alone: Timing
  readonly beside: Timing
  /** `GET /v1/queries` (a metadata read), alone and beside. */
  readonly listAlone: Timing
  readonly listBeside: Timing
  /** How many times the long query completed meanwhile. */
  readonly longRuns: number
}

async function timeRuns(f: () => Promise<unknown>, runs: number): Promise<Timing> {
  await f()
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await f()
    ms.push(performance.now() - t0)
    // Not in step with the long query: a short request arrives at any point of it.
    await new Promise((r) => setTimeout(r, 20 + ((i * 37) % 90)))
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms), rowsRead: 0, runs }
}

/**
 * Time `short` and `GET /v1/queries` alone, then while `long` runs back to back from another
 * client: does one user's search hold up another's panel, or the metadata reads?
 */
export async function timeBeside(api: Api, long: QuerySpec, short: QuerySpec, runs: number): Promise<BesideTiming> {
  const list = () => getJson(api, '/v1/queries')
  const alone = await timeRuns(() => runQuery(api, short), runs)
  const listAlone = await timeRuns(list, runs)
  let stop = false
  let longRuns = 0
  const loop = (async () => {
    while (!stop) {
      await runQuery(api, long)
      longRuns++
    }
  })()
  try {
    await new Promise((r) => setTimeout(r, 200))
    const beside = await timeRuns(() => runQuery(api, short), runs)
    const listBeside = await timeRuns(list, runs)
    return { alone, beside, listAlone, listBeside, longRuns }
  } finally {
    stop = true
    await loop
  }
}
