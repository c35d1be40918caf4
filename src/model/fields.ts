/**
 * The field reference: every field of the event model (DESIGN.md), its type, unit and where it
 * is stored. One table for parsers (what they may emit), the query compiler (how a name resolves
 * to SQL — identifiers come only from here, never from user text) and docs/fields.md (generated
 * from this file, tested so it cannot drift).
 */
import type { EventType } from './event.js'

/** Value type of a field as the query language sees it. */
export type FieldType = 'string' | 'int' | 'float' | 'bool' | 'datetime' | 'uuid'

/** Where a field lives in the `events` table. */
export type FieldStorage =
  /**
   * A real column of `events`. With `chType`, a parsed field promoted to its own column (the
   * `router.*` fields): the migration declares it from this table and the writer moves the
   * parser's `attrs` value there.
   */
  | { readonly kind: 'column'; readonly column: string; readonly chType?: string }
  /**
   * A path of the `attrs` JSON column (a dynamic path: ClickHouse keeps the value's own type).
   * `chType` is the type the parsers write; the compiler reads the path with a cast to `type`.
   */
  | { readonly kind: 'attr'; readonly path: string; readonly chType: string }
  /** Computed at query time from other columns (SQL built by the compiler, not user text). */
  | { readonly kind: 'computed'; readonly sql: string }

/** Unit of a numeric field. */
export type FieldUnit = 'ms' | 'bytes' | 'percent' | 'ratio' | 'count' | 'pages' | 'iops' | 'seconds'

/** One row of the field reference. */
export interface FieldDef {
  readonly name: string
  readonly type: FieldType
  readonly storage: FieldStorage
  readonly unit?: FieldUnit
  /** Line kinds that set this field; 'all' for the built-ins every event has. */
  readonly kinds: readonly EventType[] | 'all'
  readonly example: string
  readonly doc: string
}

const col = (column: string): FieldStorage => ({ kind: 'column', column })
const attr = (path: string, chType: string): FieldStorage => ({ kind: 'attr', path, chType })

const S = 'Nullable(String)'
const LC = 'LowCardinality(Nullable(String))'
const U16 = 'Nullable(UInt16)'
const U32 = 'Nullable(UInt32)'
const U64 = 'Nullable(UInt64)'
const I32 = 'Nullable(Int32)'
const F64 = 'Nullable(Float64)'
const B = 'Nullable(Bool)'
const DT = "Nullable(DateTime64(6, 'UTC'))"

const router = (name: string, type: FieldType, chType: string, example: string, doc: string, unit?: FieldUnit): FieldDef => ({
  name: `router.${name}`, type, storage: { kind: 'column', column: `router_${name}`, chType }, kinds: ['router'], example, doc, ...(unit ? { unit } : {}),
})

/**
 * `router.*` — Heroku router lines. Empty values are null, never "". Router lines are 50–70% of
 * a drain's volume, so their fields are real columns rather than JSON paths: measured on this
 * machine, ~130 typed JSON paths made a 370-row insert take 19.9 ms and 3,700 rows 96 ms; with
 * the router fields as columns and the rest as dynamic JSON paths, 12.8 ms and 57 ms.
 */
export const ROUTER_FIELDS: readonly FieldDef[] = [
  router('at', 'string', LC, 'error', 'info, warning or error'),
  router('code', 'string', LC, 'H12', 'H-code on error lines'),
  router('desc', 'string', LC, 'Request timeout', 'description of the H-code (drifts over time: key on `code`)'),
  router('method', 'string', LC, 'GET', 'HTTP method'),
  router('path', 'string', S, '/api/v2/events?page=2', 'request path and query string'),
  router('route', 'string', LC, '/users/:id/orders', 'the path without its query string, ids and asset fingerprints replaced (`:id`, `:uuid`, `:hex`, `:token`; `application-:hex.js`): group by this for endpoints'),
  router('host', 'string', LC, 'myapp.herokuapp.com', 'Host header'),
  // Not a column of its own: it is always the row's `request_id` (storing it twice cost 343 MiB of
  // 2 GB at 10M events, and the bytes of every insert). Migration 3 drops the old column.
  { ...router('request_id', 'string', S, '8601b555-6a83-4c12-8269-97c8e32cdb22', 'Heroku X-Request-Id (the same as top-level `request_id`, which is indexed: filter on that)'),
    storage: { kind: 'computed', sql: "if(event_type = 'router', request_id, NULL)" } },
  router('fwd', 'string', S, '204.204.204.204', 'X-Forwarded-For (may be a comma list)'),
  router('dyno', 'string', LC, 'web.1', 'dyno that served the request'),
  router('connect', 'int', U32, '1', 'time to connect to the dyno', 'ms'),
  router('service', 'int', U32, '18', 'time the dyno took to answer', 'ms'),
  router('status', 'int', U16, '503', 'HTTP status returned'),
  router('bytes', 'int', U64, '1980', 'response size', 'bytes'),
  router('protocol', 'string', LC, 'https', 'http/https (legacy) or http1.1/http2.0 (Router 2.0)'),
  router('tls', 'bool', B, 'true', 'Router 2.0: request arrived over TLS'),
  router('tls_version', 'string', LC, 'tls1.3', 'TLS version (Private Spaces, Router 2.0)'),
  router('sock', 'string', LC, 'backend', 'client or backend (H18, H27)'),
  router('cause', 'string', LC, 'bad header', 'cause of an H26'),
  router('agent', 'string', S, 'curl/8.0', 'user agent (H31)'),
]

/**
 * `@preview`: the event's parsed fields as one JSON object. Router rows keep theirs in columns, so
 * they are rebuilt as `{"router": {…}}` (nulls are left out by the query runner's
 * output_format_json_skip_null_value_in_named_tuples); other rows show `attrs`, serialized as it is:
 * a cast to plain JSON first (`attrs::JSON`) re-parsed the engine's own text, which writes a Float64
 * of 2^64 or more as plain digits it cannot read back, so one such value failed every default query
 * over its time range.
 */
function previewSql(): string {
  const names = ROUTER_FIELDS.map((f) => f.name.slice('router.'.length))
  const cols = ROUTER_FIELDS.map((f) => (f.storage.kind === 'column' ? f.storage.column : f.storage.kind === 'computed' ? f.storage.sql : ''))
  const types = ROUTER_FIELDS.map((f, i) => `${names[i]} ${f.storage.kind === 'column' ? (f.storage.chType ?? '').replace(/^LowCardinality\((.*)\)$/, '$1') : 'Nullable(String)'}`)
  return `if(event_type = 'router', toJSONString(CAST(tuple(tuple(${cols.join(', ')})), 'Tuple(router Tuple(${types.join(', ')}))')), toJSONString(attrs))`
}

/** Built-in fields every event has (real columns, or computed from them). */
export const BUILTIN_FIELDS: readonly FieldDef[] = [
  { name: '@ts', type: 'datetime', storage: col('ts'), kinds: 'all', example: '2024-05-01T00:00:00.002000Z', doc: 'event time from the syslog header, UTC, microseconds kept' },
  { name: '@received_ts', type: 'datetime', storage: col('received_ts'), kinds: 'all', example: '2024-05-01T00:00:00.120000Z', doc: 'when Sluice accepted the event' },
  { name: '@id', type: 'uuid', storage: col('id'), kinds: 'all', example: '5f0c…', doc: 'unique id of the event (derived from drain + frame id when Logplex sends one, so retries map to the same id)' },
  { name: '@size', type: 'int', unit: 'bytes', storage: col('size'), kinds: 'all', example: '271', doc: 'bytes of the raw message' },
  { name: '@preview', type: 'string', storage: { kind: 'computed', sql: previewSql() }, kinds: 'all', example: '{"router":{"status":200}}', doc: "the event's parsed fields as one JSON object (for discovery)" },
  { name: 'message', type: 'string', storage: col('message'), kinds: 'all', example: 'at=info method=GET path="/" …', doc: 'the message text after the syslog header, as sent (secrets redacted in app lines)' },
  { name: 'environment', type: 'string', storage: col('environment'), kinds: 'all', example: 'production', doc: "the drain URL's `env` parameter" },
  { name: 'app', type: 'string', storage: col('app'), kinds: 'all', example: 'myapp', doc: 'the Heroku app the drain belongs to (drain registry or `app` URL parameter)' },
  { name: 'source', type: 'string', storage: col('source'), kinds: 'all', example: 'heroku', doc: 'syslog APP-NAME: `app` or `heroku`' },
  { name: 'proc', type: 'string', storage: col('proc'), kinds: 'all', example: 'web.1', doc: 'syslog PROCID: `web.1`, `router`, `api`, `heroku-postgres`…' },
  { name: 'proc_type', type: 'string', storage: col('proc_type'), kinds: 'all', example: 'web', doc: '`proc` without the number: `web`, `worker`, `router`…' },
  { name: 'event_type', type: 'string', storage: col('event_type'), kinds: 'all', example: 'router', doc: 'router, app, dyno, api, runtime_metrics, postgres_metrics, redis_metrics, pgbouncer_metrics, logplex, event, notice' },
  { name: 'level', type: 'string', storage: col('level'), kinds: 'all', example: 'error', doc: 'severity inferred from content: debug info warn error fatal (null when nothing says); never from the syslog PRI' },
  { name: 'error_code', type: 'string', storage: col('error_code'), kinds: 'all', example: 'H12', doc: 'Heroku platform code wherever one appears: H12, R14, L10…' },
  { name: 'request_id', type: 'string', storage: col('request_id'), kinds: 'all', example: '8601b555-6a83-4c12-8269-97c8e32cdb22', doc: 'from router lines and, where present, app lines (JSON key, Rails tag)' },
]

const dyno = (name: string, type: FieldType, chType: string, example: string, doc: string, unit?: FieldUnit): FieldDef => ({
  name: `dyno.${name}`, type, storage: attr(`dyno.${name}`, chType), kinds: ['dyno'], example, doc, ...(unit ? { unit } : {}),
})

/** `dyno.*` — dyno manager lines (`heroku[web.1]`). */
export const DYNO_FIELDS: readonly FieldDef[] = [
  dyno('event', 'string', LC, 'state_change', 'state_change, starting, exited, stopping, signal, restarting, cycling, idling, unidling, awaiting_client, memory, error, other'),
  dyno('state_from', 'string', LC, 'up', 'previous state of a state change'),
  dyno('state_to', 'string', LC, 'crashed', 'new state of a state change'),
  dyno('exit_status', 'int', I32, '137', 'process exit status'),
  dyno('command', 'string', S, 'bundle exec puma -C config/puma.rb', 'command the process was started with'),
  dyno('signal', 'string', LC, 'SIGTERM', 'signal sent or received'),
  dyno('memory_mb', 'float', F64, '1024.5', 'memory use reported by R14/R15 and `Process running mem=`'),
  dyno('memory_pct', 'float', F64, '200', 'memory use as a percentage of quota', 'percent'),
  dyno('error_desc', 'string', LC, 'Memory quota exceeded', 'description of an R-code'),
]

const api = (name: string, type: FieldType, chType: string, example: string, doc: string): FieldDef => ({
  name: `api.${name}`, type, storage: attr(`api.${name}`, chType), kinds: ['api'], example, doc,
})

/** `api.*` — platform API lines (`app[api]`, `heroku[api]` before 2017). */
export const API_FIELDS: readonly FieldDef[] = [
  api('action', 'string', LC, 'release', 'release, deploy, build, config, scale, rollback, addon, attach, detach, run, other'),
  api('status', 'string', LC, 'succeeded', 'build: started, succeeded, failed (slug compiler: finished); config: set, removed; addon: provisioned; release: running (release phase)'),
  api('release', 'int', U32, '42', 'release number (vNN)'),
  api('user', 'string', S, 'dev@example.com', 'who did it'),
  api('commit', 'string', S, 'a1b2c3d', 'git commit of a deploy or build'),
  api('config_vars', 'string', S, 'DATABASE_URL,REDIS_URL', 'config var names set or removed (comma list)'),
  api('formation', 'string', S, 'web=2:Standard-1X', 'scale formation'),
  api('addon', 'string', S, 'postgresql-flexible-35202', 'add-on involved (`@ref:` name)'),
  api('attachment', 'string', LC, 'DATABASE', 'add-on attachment name of an attach/detach'),
  api('command', 'string', S, 'rails console', 'command of a one-off `run`'),
]

/** `logplex.*` — L10/L11/L12/L13 drop notices. */
export const LOGPLEX_FIELDS: readonly FieldDef[] = [
  { name: 'logplex.dropped', type: 'int', unit: 'count', storage: attr('logplex.dropped', U64), kinds: ['logplex'], example: '222', doc: 'messages dropped or lost' },
  { name: 'logplex.since', type: 'datetime', storage: attr('logplex.since', DT), kinds: ['logplex'], example: '2022-04-13T19:41:45.256379Z', doc: 'start of the drop window' },
  { name: 'logplex.drain', type: 'string', storage: attr('logplex.drain', S), kinds: ['logplex'], example: 'd.fc6b856b-3332-4546-93de-7d0ee272c3bd', doc: 'drain named by an in-stream L10 notice' },
]

const METRIC_KINDS: readonly EventType[] = ['runtime_metrics', 'postgres_metrics', 'redis_metrics', 'pgbouncer_metrics']
const sample = (name: string, kinds: readonly EventType[], doc: string, unit?: FieldUnit): FieldDef => ({
  name: `sample.${name}`, type: 'float', storage: attr(`sample.${name}`, F64), kinds, example: '0.5', doc, ...(unit ? { unit } : {}),
})
const RT: readonly EventType[] = ['runtime_metrics']
const PG: readonly EventType[] = ['postgres_metrics']
const RD: readonly EventType[] = ['redis_metrics']
const PGR: readonly EventType[] = ['postgres_metrics', 'redis_metrics']
const BOUNCER: readonly EventType[] = ['pgbouncer_metrics']

/**
 * `sample.*` — `sample#key=value` metrics. Dashes in keys become underscores; sizes are bytes.
 * Keys not listed here are still stored (as dynamic paths, numbers) and queryable.
 */
export const SAMPLE_FIELDS: readonly FieldDef[] = [
  sample('load_avg_1m', [...RT, ...PGR], 'load average, 1 minute'),
  sample('load_avg_5m', [...RT, ...PGR], 'load average, 5 minutes'),
  sample('load_avg_15m', [...RT, ...PGR], 'load average, 15 minutes'),
  sample('memory_total', [...RT, ...PGR], 'total memory in use (dyno) or of the instance (add-on)', 'bytes'),
  sample('memory_rss', RT, 'resident memory', 'bytes'),
  sample('memory_cache', RT, 'page cache memory', 'bytes'),
  sample('memory_swap', RT, 'swap in use', 'bytes'),
  sample('memory_pgpgin', RT, 'pages read from disk', 'pages'),
  sample('memory_pgpgout', RT, 'pages written to disk', 'pages'),
  sample('memory_quota', RT, 'memory quota of the dyno', 'bytes'),
  sample('diskmbytes', RT, 'disk in use', 'bytes'),
  sample('memory_free', PGR, 'free memory', 'bytes'),
  sample('memory_cached', PGR, 'cached memory', 'bytes'),
  sample('memory_postgres', PG, 'memory used by Postgres', 'bytes'),
  sample('memory_redis', RD, 'memory used by Redis', 'bytes'),
  sample('active_connections', PGR, 'open connections', 'count'),
  sample('waiting_connections', PG, 'connections waiting on a lock', 'count'),
  sample('max_connections', PG, 'connection limit of the plan', 'count'),
  sample('current_transaction', PG, 'current transaction id', 'count'),
  sample('db_size', PG, 'database size', 'bytes'),
  sample('tables', PG, 'number of tables', 'count'),
  sample('index_cache_hit_rate', PG, 'index cache hit rate', 'ratio'),
  sample('table_cache_hit_rate', PG, 'table cache hit rate', 'ratio'),
  sample('read_iops', PGR, 'disk reads per second', 'iops'),
  sample('write_iops', PGR, 'disk writes per second', 'iops'),
  sample('tmp_disk_used', PG, 'temporary disk used', 'bytes'),
  sample('tmp_disk_available', PG, 'temporary disk available', 'bytes'),
  sample('wal_percentage_used', PG, 'WAL volume used', 'ratio'),
  sample('follower_lag_commits', PG, 'commits a follower lags behind', 'count'),
  sample('hit_rate', RD, 'keyspace hit rate', 'ratio'),
  sample('evicted_keys', RD, 'keys evicted', 'count'),
  sample('client_active', BOUNCER, 'active client connections', 'count'),
  sample('client_waiting', BOUNCER, 'waiting client connections', 'count'),
  sample('server_active', BOUNCER, 'active server connections', 'count'),
  sample('server_idle', BOUNCER, 'idle server connections', 'count'),
  sample('max_wait', BOUNCER, 'longest client wait', 'seconds'),
  sample('avg_query', BOUNCER, 'average query time', 'ms'),
  sample('avg_recv', BOUNCER, 'average bytes received per second', 'bytes'),
  sample('avg_sent', BOUNCER, 'average bytes sent per second', 'bytes'),
  { name: 'sample_source', type: 'string', storage: attr('sample_source', LC), kinds: METRIC_KINDS, example: 'DATABASE', doc: "the metrics line's `source=` (dyno name or add-on attachment)" },
  { name: 'addon', type: 'string', storage: attr('addon', LC), kinds: METRIC_KINDS, example: 'postgresql-curved-12345', doc: "the metrics line's `addon=`" },
  { name: 'dyno_id', type: 'string', storage: attr('dyno_id', S), kinds: METRIC_KINDS, example: 'heroku.55681600.4fce2580-ea9f-492a-8837-a6f161bae67b', doc: "the metrics line's `dyno=`" },
]

/** `error.*` and request fields of error notices (`POST /v1/notices`). */
export const NOTICE_FIELDS: readonly FieldDef[] = [
  { name: 'error.class', type: 'string', storage: attr('error.class', LC), kinds: ['notice'], example: 'RuntimeError', doc: 'exception class' },
  { name: 'error.message', type: 'string', storage: attr('error.message', S), kinds: ['notice'], example: 'undefined method…', doc: 'exception message' },
  { name: 'error.fingerprint', type: 'string', storage: attr('error.fingerprint', S), kinds: ['notice'], example: '3f1c…', doc: 'grouping key: given, or derived from class + first in-project frames' },
  { name: 'error.backtrace', type: 'string', storage: attr('error.backtrace', S), kinds: ['notice'], example: 'app/models/user.rb:10:in `save`', doc: 'backtrace, one frame per line' },
  { name: 'request.url', type: 'string', storage: attr('request.url', S), kinds: ['notice'], example: 'https://example.com/users', doc: 'request URL of the notice' },
  { name: 'request.component', type: 'string', storage: attr('request.component', S), kinds: ['notice'], example: 'UsersController', doc: 'controller/component' },
  { name: 'request.action', type: 'string', storage: attr('request.action', S), kinds: ['notice'], example: 'create', doc: 'action' },
]

/** Every declared field, in reference order. */
export const FIELDS: readonly FieldDef[] = [
  ...BUILTIN_FIELDS, ...ROUTER_FIELDS, ...DYNO_FIELDS, ...API_FIELDS, ...LOGPLEX_FIELDS, ...SAMPLE_FIELDS, ...NOTICE_FIELDS,
]

/** Lookup by user-facing name. */
export const FIELDS_BY_NAME: ReadonlyMap<string, FieldDef> = new Map(FIELDS.map((f) => [f.name, f]))

/** Parsed fields promoted to their own columns (schema and this table must agree; a test checks). */
export const PROMOTED_COLUMNS: readonly { readonly name: string; readonly column: string; readonly chType: string }[] = FIELDS.flatMap((f) =>
  f.storage.kind === 'column' && f.storage.chType ? [{ name: f.name, column: f.storage.column, chType: f.storage.chType }] : [],
)

/**
 * Top-level names an app's JSON/logfmt key may not take: a colliding key is stored as `app.<key>`.
 * These are the built-in names and the first segments of the typed namespaces.
 */
export const RESERVED_TOP_LEVEL: ReadonlySet<string> = new Set([
  ...BUILTIN_FIELDS.map((f) => f.name),
  'router', 'dyno', 'api', 'logplex', 'sample', 'error', 'request', 'attrs', 'id', 'ts', 'size',
  'received_ts', 'sample_source', 'addon', 'dyno_id', 'project_id', 'frame_id', 'drain',
])
