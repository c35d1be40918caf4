/**
 * The generator's `INSERT INTO events SELECT … FROM numbers(first, count)`: one statement per
 * chunk builds realistic Heroku events in the engine, far faster than building rows in JS
 * (PERFORMANCE-NOTES.md §2.4: ~570k rows/s in-engine). Row `n` of `total` gets a timestamp at
 * `start + (n + jitter) · span/total`, so chunks arrive in time order like a live drain.
 * Mix: ~60% router, ~34% app (incl. ~0.1% needle lines), ~5.5% dyno/api/metrics, 0.05% L10.
 */
import { APP_ALIASES, APP_ATTRS, APP_IS_WORKER, APP_LEVEL, APP_MESSAGE, APP_REQUEST_ID } from './event-sql-app.js'
import { ROUTER_ALIASES, ROUTER_ATTRS, ROUTER_COLUMNS, ROUTER_MESSAGE } from './event-sql-router.js'
import { SYSTEM_ALIASES, SYSTEM_KINDS } from './event-sql-system.js'
import { h, u } from './sql-helpers.js'

/** Columns the statement fills, in order (the rest of `events` is defaulted). */
export const GENERATED_COLUMNS = [
  'project_id', 'ts', 'received_ts', 'id', 'environment', 'app', 'source', 'proc', 'proc_type', 'event_type',
  'level', 'error_code', 'request_id', 'message', 'size', 'drain', 'frame_id', 'retention_days', 'attrs',
  ...ROUTER_COLUMNS.map(([c]) => c),
] as const

/**
 * Kind thresholds on `h(1) % 10000`, cumulative. The needle (h(99) % 1000 = 0, 0.1%) overrides the
 * kind with an app error line.
 */
const KIND = `multiIf(
  g_needle, 'app', g_k < 6000, 'router', g_k < 9450, 'app', g_k < 9600, 'dyno', g_k < 9610, 'api',
  g_k < 9850, 'runtime_metrics', g_k < 9920, 'postgres_metrics', g_k < 9995, 'redis_metrics', 'logplex')`

const PROC = `multiIf(
  g_type = 'router', 'router',
  g_type = 'app', concat(if(${APP_IS_WORKER}, 'worker.', 'web.'), toString(g_dn)),
  g_type IN ('dyno', 'runtime_metrics'), concat(if(${h(21)} % 4 = 0, 'worker.', 'web.'), toString(g_dn)),
  g_type = 'api', 'api', g_type = 'postgres_metrics', 'heroku-postgres', g_type = 'redis_metrics', 'heroku-redis', 'logplex')`

const S = SYSTEM_KINDS
const byKind = (router: string, app: string, pick: (k: (typeof S)[keyof typeof S]) => string): string => `multiIf(
  g_type = 'router', ${router}, g_type = 'app', ${app},
  g_type = 'dyno', ${pick(S.dyno)}, g_type = 'api', ${pick(S.api)}, g_type = 'runtime_metrics', ${pick(S.runtime_metrics)},
  g_type = 'postgres_metrics', ${pick(S.postgres_metrics)}, g_type = 'redis_metrics', ${pick(S.redis_metrics)}, ${pick(S.logplex)})`

/** What one chunk needs. */
export interface ChunkParams {
  readonly projectId: string
  /** Epoch microseconds of the oldest event. */
  readonly startMicros: number
  /** Microseconds between consecutive rows (span / total). */
  readonly stepMicros: number
  readonly first: number
  readonly count: number
}

/** The SELECT producing rows `[first, first + count)` (columns as {@link GENERATED_COLUMNS}); params as query_params. */
export function eventsSelect(): string {
  const aliases = [
    `${h(1)} % 10000 AS g_k`,
    `(${h(99)} % 1000 = 0) AS g_needle`,
    `${KIND} AS g_type`,
    `fromUnixTimestamp64Micro(toInt64({start:Int64} + (number + ${u(2)}) * {step:Float64}), 'UTC') AS g_ts`,
    `multiIf(${h(4)} % 100 < 80, 'production', ${h(4)} % 100 < 95, 'staging', 'review') AS g_env`,
    `if(${h(5)} % 100 < 70, 'acme-web', 'acme-api') AS g_app`,
    `1 + ${h(8)} % 6 AS g_dn`,
    `toString(generateUUIDv4(1)) AS g_rid`,
    `concat('d.', toString(reinterpretAsUUID(unhex(lower(hex(MD5(concat(g_app, g_env)))))))) AS g_drain`,
    ...ROUTER_ALIASES, ...APP_ALIASES, ...SYSTEM_ALIASES,
    `${PROC} AS g_proc`,
    `${byKind(ROUTER_MESSAGE, APP_MESSAGE, (k) => k.message)} AS g_message`,
  ]
  const columns = [
    '{project:String}',
    'g_ts',
    `g_ts + toIntervalMillisecond(20 + ${h(3)} % 2000)`,
    'generateUUIDv4(2)',
    'g_env',
    'g_app',
    "if(g_type IN ('router', 'dyno', 'runtime_metrics', 'logplex'), 'heroku', 'app')",
    'g_proc',
    "if(match(g_proc, '\\\\.[0-9]+$'), splitByChar('.', g_proc)[1], g_proc)",
    'g_type',
    byKind("g_at", APP_LEVEL, (k) => k.level),
    byKind("nullIf(g_code, '')", 'NULL', (k) => k.errorCode),
    `if(g_type = 'router', g_rid, if(g_type = 'app', ${APP_REQUEST_ID}, NULL))`,
    'g_message',
    'toUInt32(length(g_message))',
    'g_drain',
    // One Logplex-Frame-Id per ~370 lines, like a 100 KB drain POST.
    `lower(hex(cityHash64(intDiv(number, 370), 11)))`,
    '30',
    byKind(ROUTER_ATTRS, APP_ATTRS, (k) => k.attrs),
    ...ROUTER_COLUMNS.map(([, expr]) => expr),
  ]
  const visible = columns.map((c, i) => `${c} AS c${i + 1}`)
  return `SELECT ${visible.join(',\n  ')},\n  ${aliases.join(',\n  ')}\nFROM numbers_mt({first:UInt64}, {count:UInt64})`
}

/** The INSERT for one chunk: the SELECT's visible columns c1…cN, so the helper aliases (g_*) stay out. */
export function insertChunkSql(): string {
  const cols = GENERATED_COLUMNS.map((_, i) => `c${i + 1}`)
  return `INSERT INTO events (${GENERATED_COLUMNS.join(', ')})\nSELECT ${cols.join(', ')} FROM (\n${eventsSelect()}\n)`
}

/** Query params of one chunk. */
export function chunkParams(p: ChunkParams): Record<string, string | number> {
  return { project: p.projectId, start: p.startMicros, step: p.stepMicros, first: p.first, count: p.count }
}
