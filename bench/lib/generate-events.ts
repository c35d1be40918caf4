/**
 * Fills `events` with N realistic events for one project over the last 7 days, generated in the
 * engine (`INSERT INTO events SELECT … FROM numbers(…)`, event-sql.ts) in chunks, then verifies
 * what landed: row count, event_type mix, time span, and that the router columns are typed.
 */
import type { ClickHouseClient } from '@clickhouse/client'
import { chunkParams, insertChunkSql } from './event-sql.js'

/** What to generate. */
export interface GenerateOptions {
  readonly projectId: string
  readonly total: number
  /** Epoch microseconds of the newest event (default: now). */
  readonly endMicros?: number
  /** Span in microseconds (default: 7 days). */
  readonly spanMicros?: number
  /** Rows per INSERT (default 2,000,000: few parts, bounded memory). */
  readonly chunkRows?: number
}

/** What was generated and how long it took. */
export interface GenerateResult {
  readonly rows: number
  readonly seconds: number
  readonly startMicros: number
  readonly endMicros: number
}

/** One row of the verification. */
export interface GeneratedStats {
  readonly rows: number
  readonly byType: Readonly<Record<string, number>>
  readonly minTs: string
  readonly maxTs: string
  readonly spanHours: number
  readonly statusType: string
  readonly serviceType: string
  readonly pathType: string
  readonly bytesOnDisk: number
}

const DAY_MICROS = 86_400_000_000

/** Generate `total` events. The engine's own rate limits the speed (~2 cores). */
export async function generateEvents(client: ClickHouseClient, opts: GenerateOptions): Promise<GenerateResult> {
  const endMicros = opts.endMicros ?? Date.now() * 1000
  const span = opts.spanMicros ?? 7 * DAY_MICROS
  const startMicros = endMicros - span
  const chunk = opts.chunkRows ?? 2_000_000
  const sql = insertChunkSql()
  const t0 = performance.now()
  for (let first = 0; first < opts.total; first += chunk) {
    const count = Math.min(chunk, opts.total - first)
    await client.command({
      query: sql,
      query_params: chunkParams({ projectId: opts.projectId, startMicros, stepMicros: span / opts.total, first, count }),
      // The JSON column parses each attrs text; allow the chunk's memory (the default per-query cap is 1 GiB).
      clickhouse_settings: { max_memory_usage: String(4 * 1024 ** 3), max_insert_threads: '2' },
    })
  }
  return { rows: opts.total, seconds: (performance.now() - t0) / 1000, startMicros, endMicros }
}

/** Read back what landed for `projectId`. */
export async function generatedStats(client: ClickHouseClient, projectId: string): Promise<GeneratedStats> {
  const one = async <T>(query: string): Promise<T[]> =>
    (await (await client.query({ query, query_params: { p: projectId }, format: 'JSONEachRow' })).json<T>())
  const [agg] = await one<{ rows: string; min_ts: string; max_ts: string; span_h: number }>(
    `SELECT count() AS rows, toString(min(ts)) AS min_ts, toString(max(ts)) AS max_ts, dateDiff('second', min(ts), max(ts)) / 3600 AS span_h FROM events WHERE project_id = {p:String}`,
  )
  const types = await one<{ event_type: string; n: string }>(`SELECT event_type, count() AS n FROM events WHERE project_id = {p:String} GROUP BY event_type`)
  const [tt] = await one<{ s: string; sv: string; p: string }>(
    `SELECT toTypeName(router_status) AS s, toTypeName(router_service) AS sv, toTypeName(router_path) AS p FROM events WHERE project_id = {p:String} LIMIT 1`,
  )
  const [disk] = await one<{ b: string }>(`SELECT sum(bytes_on_disk) AS b FROM system.parts WHERE active AND table = 'events' AND database = currentDatabase()`)
  return {
    rows: Number(agg!.rows),
    byType: Object.fromEntries(types.map((t) => [t.event_type, Number(t.n)])),
    minTs: agg!.min_ts,
    maxTs: agg!.max_ts,
    spanHours: Number(agg!.span_h),
    statusType: tt!.s,
    serviceType: tt!.sv,
    pathType: tt!.p,
    bytesOnDisk: Number(disk!.b),
  }
}
