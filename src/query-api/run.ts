/**
 * Runs a compiled query on the store and shapes the answer. Settings (read-only, time, rows and
 * result limits) go in the query's own `SETTINGS` clause, not in `clickhouse_settings`: the embedded
 * connection applies `clickhouse_settings` as session-wide `SET`s that would outlive the query (a
 * read-only flag that stuck would break the writer's next insert). The clause is scoped to the one
 * query on both the embedded engine and a server.
 */
import type { ClickHouseClient } from '@clickhouse/client'
import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import { AppError } from '../errors.js'

/** The compiled query as the language hands it over. */
export interface RunnableQuery {
  readonly sql: string
  readonly params: Record<string, unknown>
  readonly settings: Record<string, string | number>
}

/** `meta` of a JSON answer. */
export interface QueryMeta {
  readonly fields: { name: string; type: string }[]
  readonly rows: number
  readonly elapsed_ms: number
  readonly rows_read: number
  readonly bytes_read: number
  readonly truncated: boolean
}

/** A JSON answer. */
export interface QueryAnswer {
  readonly results: Record<string, unknown>[]
  readonly meta: QueryMeta
}

const SETTING_NAME = /^[a-z_][a-z0-9_]*$/

/** Numbers as JSON numbers; `@preview` of router rows without its null fields. */
const OUTPUT_SETTINGS = { output_format_json_quote_64bit_integers: 0, output_format_json_skip_null_value_in_named_tuples: 1 }

/** `sql` with `settings` appended as a SETTINGS clause (names and values come from our code). */
export function withSettings(sql: string, settings: Record<string, string | number>): string {
  const parts = Object.entries(settings).map(([k, v]) => {
    if (!SETTING_NAME.test(k)) throw new Error(`bad setting name ${k}`)
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`bad setting value for ${k}`)
      return `${k} = ${v}`
    }
    if (!/^[A-Za-z0-9_.:-]*$/.test(v)) throw new Error(`bad setting value for ${k}`)
    return `${k} = '${v}'`
  })
  return parts.length ? `${sql}\nSETTINGS ${parts.join(', ')}` : sql
}

/**
 * Settings for big aggregations and sorts: past half the per-query memory they spill to disk
 * instead of failing (a GROUP BY over millions of request ids or raw paths needs it).
 */
export function spillSettings(queryMaxMemoryMb: number): Record<string, number> {
  const half = Math.floor((queryMaxMemoryMb * 1024 * 1024) / 2)
  return { max_bytes_before_external_group_by: half, max_bytes_before_external_sort: half }
}

/**
 * An error the engine wrote into the output after it had started sending rows (the JSON is then
 * cut short and followed by `Code: N. DB::Exception: … (TYPE)`), as a typed error, or null.
 */
export function trailingException(text: string): { type: string; message: string } | null {
  const m = /Code: \d+\. DB::Exception: ([\s\S]*?)\(([A-Z_]+)\)/.exec(text)
  return m ? { message: m[1]!.trim(), type: m[2]! } : null
}

/**
 * How a query runs besides its own settings: store settings added to it (spilling, and the
 * `log_comment` from {@link newQueryTag} that `Store.cancelQueries` finds it by), and the signal
 * that stops it before it starts (the client went away).
 */
export interface RunOptions {
  readonly extra?: Record<string, number | string>
  readonly signal?: AbortSignal
}

/** A fresh tag for a query's `log_comment`: its statements can be found and stopped by it. */
export const newQueryTag = (): string => `sluice-q-${randomUUID()}`

/** Run and return all rows (capped by the query's own limits) with statistics. */
export async function runQuery(client: ClickHouseClient, q: RunnableQuery, maxRows: number, opts: RunOptions = {}): Promise<QueryAnswer> {
  const started = performance.now()
  try {
    const rs = await client.query({
      query: withSettings(q.sql, { ...q.settings, ...opts.extra, ...OUTPUT_SETTINGS }),
      query_params: q.params,
      format: 'JSON',
      ...(opts.signal ? { abort_signal: opts.signal } : {}),
    })
    const text = await rs.text()
    let json: { data: Record<string, unknown>[]; meta?: { name: string; type: string }[]; rows_before_limit_at_least?: number; statistics?: { rows_read?: number; bytes_read?: number } }
    try {
      json = JSON.parse(text) as typeof json
    } catch {
      throw trailingException(text) ?? new Error(`the store returned an unreadable answer (${text.length} bytes)`)
    }
    const data = json.data as Record<string, unknown>[]
    const stats = json.statistics ?? { elapsed: 0, rows_read: 0, bytes_read: 0 }
    const truncated = data.length > maxRows || (json.rows_before_limit_at_least ?? 0) > data.length
    const results = data.length > maxRows ? data.slice(0, maxRows) : data
    return {
      results,
      meta: {
        fields: json.meta ?? [],
        rows: results.length,
        elapsed_ms: Math.round((performance.now() - started) * 10) / 10,
        rows_read: Number(stats.rows_read ?? 0),
        bytes_read: Number(stats.bytes_read ?? 0),
        truncated,
      },
    }
  } catch (e) {
    throw storeQueryError(e)
  }
}

/** Run and stream the answer in `format` (JSONEachRow or CSVWithNames) for large exports. */
export async function streamQuery(client: ClickHouseClient, q: RunnableQuery, format: 'JSONEachRow' | 'CSVWithNames', opts: RunOptions = {}): Promise<Readable> {
  try {
    const rs = await client.query({
      query: withSettings(q.sql, { ...q.settings, ...opts.extra, ...OUTPUT_SETTINGS }),
      query_params: q.params,
      format,
      ...(opts.signal ? { abort_signal: opts.signal } : {}),
    })
    return rs.stream() as unknown as Readable
  } catch (e) {
    throw storeQueryError(e)
  }
}

/** The answer to a query whose client went away (499: nobody reads it; logged and counted). */
export const queryCancelled = (): AppError => new AppError(499, 'query_cancelled', 'the client went away; the query was stopped')

/** Store errors that a user's query can cause, mapped to stable codes; the rest are 503/500. */
export function storeQueryError(e: unknown): AppError {
  const err = e as { type?: string; code?: string; message?: string; name?: string }
  const msg = (err.message ?? String(e)).split('\n')[0]!.slice(0, 500)
  if (err.type === 'QUERY_WAS_CANCELLED' || err.name === 'AbortError') return queryCancelled()
  switch (err.type) {
    case 'TOO_MANY_ROWS':
    case 'TOO_MANY_BYTES':
      return new AppError(422, 'query_too_large', `the query would read more than the limit allows; narrow the time range or filter more (${msg})`)
    case 'TIMEOUT_EXCEEDED':
      return new AppError(422, 'query_timeout', `the query ran past the time limit; narrow the time range or filter more (${msg})`)
    case 'MEMORY_LIMIT_EXCEEDED':
      // "(total)": the engine's cap over everything running at once (queries side by side,
      // ingest, merges), which may have room again once they end.
      if (/\(total\)/.test(msg)) return new AppError(422, 'query_memory_limit', `the query needs more memory than the store has free while other work runs; retry later, or narrow the time range or filter more (${msg})`)
      return new AppError(422, 'query_memory_limit', `the query needs more memory than the limit allows (${msg})`)
    case 'TOO_MANY_ROWS_OR_BYTES':
      return new AppError(422, 'query_result_too_large', `the result is larger than the limit allows (${msg})`)
  }
  if (/ECONNREFUSED|ECONNRESET|socket hang up|ETIMEDOUT/.test(msg)) {
    return new AppError(503, 'store_unavailable', 'the store does not answer; try again', {}, { 'Retry-After': '5' })
  }
  return new AppError(500, 'query_failed', `the store could not run the query: ${msg}`)
}
