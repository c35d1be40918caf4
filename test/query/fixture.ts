/**
 * A small events dataset for running compiled queries on the embedded ClickHouse: router, app,
 * dyno, metrics and api events of project `p1` between 2024-05-01T00:00Z and 03:00Z, plus one
 * event of another project and one before the range (neither may ever appear in a result).
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileQuery, type CompileContext, type QueryLimits } from '../../src/query/index.js'
import { MIGRATIONS, MIGRATIONS_TABLE } from '../../src/store/migrations.js'

/** Limits used by the query tests. */
export const LIMITS: QueryLimits = { maxExecutionSeconds: 30, maxRowsToRead: 10_000_000, maxResultRows: 100_000, defaultLimit: 1000, maxLimit: 10_000 }
/** 2024-05-01T00:00:00Z and 03:00:00Z in microseconds. */
export const FROM = Date.UTC(2024, 4, 1, 0, 0, 0) * 1000
export const TO = Date.UTC(2024, 4, 1, 3, 0, 0) * 1000

/** Compile context for project p1 over the fixture window. */
export function ctxFor(over: Partial<CompileContext> = {}): CompileContext {
  return { projectId: 'p1', range: { fromMicros: FROM, toMicros: TO }, timezone: 'UTC', limits: LIMITS, ...over }
}

let n = 0
function row(project: string, hhmm: string, f: Record<string, unknown>, given: Record<string, unknown>) {
  n++
  // Router fields live in their own columns (router_status…), as the writer stores them.
  const { router: routerFields, ...attrs } = given as { router?: Record<string, unknown> }
  const promoted = Object.fromEntries(Object.entries(routerFields ?? {}).map(([k, v]) => [`router_${k}`, v]))
  return {
    ...promoted,
    project_id: project, ts: `2024-05-01 ${hhmm}:00.000000`, received_ts: `2024-05-01 ${hhmm}:01.000000`,
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, environment: 'production', app: 'shop', source: 'heroku',
    proc: 'router', proc_type: 'router', event_type: 'router', level: null, error_code: null, request_id: null, message: '',
    size: 100, drain: 'd.1', frame_id: '', retention_days: 65535, ...f, attrs,
  }
}
const router = (hhmm: string, method: string, path: string, status: number, service: number, extra: Record<string, unknown> = {}, f: Record<string, unknown> = {}) =>
  row('p1', hhmm, { message: `at=info method=${method} path="${path}" status=${status}`, ...f }, { router: { method, path, status, service, dyno: 'web.1', ...extra } })

/** The fixture rows (JSONEachRow for the events table). */
export const ROWS = [
  router('00:05', 'GET', '/api/users', 200, 20, {}, { request_id: 'r1' }),
  router('00:15', 'GET', '/api/users?page=2', 200, 40),
  router('00:35', 'POST', '/api/orders', 503, 30000, { code: 'H12', at: 'error', dyno: 'web.2' }, { level: 'error', error_code: 'H12' }),
  router('01:10', 'GET', '/api/orders', 500, 120),
  router('01:20', 'GET', '/health', 200, 2, {}, { environment: 'staging' }),
  router('02:05', 'POST', '/api/orders', 503, 30001, { code: 'H12', at: 'error', dyno: 'web.2' }, { level: 'error', error_code: 'H12' }),
  row('p1', '00:10', { source: 'app', proc: 'web.1', proc_type: 'web', event_type: 'app', level: 'info', message: 'Completed 200 OK in 25ms user=42' }, { user: { id: 42 }, duration: 25.5, tags: ['a', 'b'], controller: 'UsersController' }),
  row('p1', '01:30', { source: 'app', proc: 'web.2', proc_type: 'web', event_type: 'app', level: 'error', message: 'Completed 500 Internal Server Error in 80ms user=abc' }, { user: { id: 'abc' }, duration: '80', tags: ['b'] }),
  row('p1', '01:40', { proc: 'web.1', proc_type: 'web', event_type: 'dyno', level: 'error', error_code: 'R14', message: 'Error R14 (Memory quota exceeded)' }, { dyno: { memory_mb: 1024.5, memory_pct: 200, error_desc: 'Memory quota exceeded' } }),
  row('p1', '02:10', { proc: 'web.2', proc_type: 'web', event_type: 'dyno', level: 'error', error_code: 'R14', message: 'Error R14 (Memory quota exceeded)' }, { dyno: { memory_mb: 600, memory_pct: 117.2, error_desc: 'Memory quota exceeded' } }),
  row('p1', '02:20', { source: 'heroku', proc: 'web.1', proc_type: 'web', event_type: 'runtime_metrics', message: 'source=web.1 sample#load_avg_1m=0.5' }, { sample: { load_avg_1m: 0.5, memory_total: 500 } }),
  row('p1', '02:30', { source: 'app', proc: 'api', proc_type: 'api', event_type: 'api', message: 'Release v42 created by dev@example.com' }, { api: { action: 'release', release: 42, user: 'dev@example.com' } }),
  row('p2', '00:20', { message: 'other project' }, { router: { status: 500, path: '/api/users', method: 'GET', service: 1 } }),
  { ...router('00:00', 'GET', '/too-early', 500, 1), ts: '2024-04-30 23:00:00.000000' },
]

/** A chDB client on a fresh data directory with the schema and {@link ROWS}. */
export async function openStore(): Promise<ClickHouseClient> {
  const path = mkdtempSync(join(tmpdir(), 'sluice-query-'))
  const client = createClient({ connection: createChdbConnection({ path }) } as Parameters<typeof createClient>[0])
  await client.command({ query: MIGRATIONS_TABLE })
  for (const m of MIGRATIONS) for (const s of m.statements) await client.command({ query: s })
  await client.insert({ table: 'events', values: ROWS, format: 'JSONEachRow' })
  return client
}

/** Compile `text` (failing loudly on a compile error) and run it; returns the rows. */
export async function run(client: ClickHouseClient, text: string, over: Partial<CompileContext> = {}): Promise<Record<string, unknown>[]> {
  const r = compileQuery(text, ctxFor(over))
  if (!r.ok) throw new Error(`compile error: ${JSON.stringify(r.error)}`)
  const rs = await client.query({ query: r.query.sql, query_params: r.query.params, clickhouse_settings: r.query.settings as never, format: 'JSONEachRow' })
  return rs.json<Record<string, unknown>>()
}
