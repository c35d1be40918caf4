/**
 * Right answers for the query benchmark, computed with plain SQL straight on the store right after
 * generation (before the server owns the data directory). The bench runs the same questions through
 * `POST /v1/query` over the same absolute windows and must get these numbers before it times anything.
 */
import type { ClickHouseClient } from '@clickhouse/client'
import { NEEDLE } from './event-sql-app.js'

/** An absolute window, as ISO-8601 instants (the `ts` parameter's `START/END` form). */
export interface Window { readonly from: string; readonly to: string }

/** What the answers must be. */
export interface Expectations {
  /** The 6-hour window ending at the newest generated event. */
  readonly window6h: Window
  /** The whole generated range (7 days). */
  readonly all: Window
  /** router events by status in window6h. */
  readonly statusCounts6h: Readonly<Record<string, number>>
  /** Router events with status ≥ 500 in window6h, and the number of distinct minutes they fall in. */
  readonly errors6h: number
  readonly errorMinutes6h: number
  /** Rows whose message contains the needle (case-sensitive / insensitive) over the whole range. */
  readonly needle: number
  readonly needleCi: number
  /** Timestamps of the newest 100 needle rows, digits only (`20261121032022376900`). */
  readonly newestNeedle: readonly string[]
}

/** A timestamp's digits (`2026-11-21 03:20:22.376900` and `2026-11-21T03:20:22.376900Z` agree). */
export const tsDigits = (t: string): string => t.replace(/\D/g, '').padEnd(20, '0')

const iso = (micros: number): string => new Date(Math.floor(micros / 1000)).toISOString()

/** Compute the expectations for `projectId`, whose newest generated event is at `endMicros`. */
export async function computeExpectations(client: ClickHouseClient, projectId: string, startMicros: number, endMicros: number): Promise<Expectations> {
  // Millisecond-aligned bounds, so the ISO text the route parses names exactly the same instants.
  const to = (Math.floor(endMicros / 1000) + 1) * 1000
  const from6 = to - 6 * 3600 * 1e6
  const from = Math.floor(startMicros / 1000) * 1000
  const q = async <T>(sql: string, params: Record<string, unknown> = {}): Promise<T[]> =>
    (await (await client.query({ query: sql, query_params: { p: projectId, ...params }, format: 'JSONEachRow' })).json<T>())
  const w6 = { a: from6, b: to }
  const inW6 = 'project_id = {p:String} AND ts >= fromUnixTimestamp64Micro({a:Int64}) AND ts < fromUnixTimestamp64Micro({b:Int64})'
  const byStatus = await q<{ s: number | null; n: string }>(`SELECT router_status AS s, count() AS n FROM events WHERE ${inW6} AND event_type = 'router' GROUP BY s`, w6)
  const [err] = await q<{ n: string; m: string }>(`SELECT count() AS n, uniqExact(toStartOfMinute(ts)) AS m FROM events WHERE ${inW6} AND router_status >= 500`, w6)
  const [needle] = await q<{ n: string; ci: string }>(
    `SELECT countIf(position(message, {needle:String}) > 0) AS n, countIf(positionCaseInsensitive(message, {needle:String}) > 0) AS ci FROM events WHERE project_id = {p:String}`,
    { needle: NEEDLE },
  )
  const newest = await q<{ t: string }>(
    `SELECT toString(ts) AS t FROM events WHERE project_id = {p:String} AND position(message, {needle:String}) > 0 ORDER BY ts DESC LIMIT 100`,
    { needle: NEEDLE },
  )
  return {
    window6h: { from: iso(from6), to: iso(to) },
    all: { from: iso(from), to: iso(to) },
    statusCounts6h: Object.fromEntries(byStatus.map((r) => [String(r.s), Number(r.n)])),
    errors6h: Number(err!.n),
    errorMinutes6h: Number(err!.m),
    needle: Number(needle!.n),
    needleCi: Number(needle!.ci),
    newestNeedle: newest.map((r) => tsDigits(r.t)),
  }
}
