/**
 * Versioned schema migrations. Each runs once, in order, and is recorded in
 * `schema_migrations`; every statement is also idempotent on its own (IF NOT EXISTS), so a run
 * interrupted half-way is safe to repeat. Never edit a released migration: add a new one.
 */
import { PROMOTED_COLUMNS } from '../model/index.js'

/** One migration: a version, a name, and its statements. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: readonly string[]
}

/**
 * Columns of the parsed fields promoted out of `attrs` (the router's), from the field table.
 * Adding one later needs a new migration (`ALTER TABLE events ADD COLUMN …`); a test compares the
 * live table with the field table, so the two cannot drift unnoticed.
 */
const PROMOTED_V1 = PROMOTED_COLUMNS.map((c) => `  ${c.column} ${c.chType},`).join('\n')

/**
 * events: one row per log line / custom event / notice.
 * - PARTITION BY day: retention drops whole parts; queries prune by partition min/max.
 * - ORDER BY (project_id, event_type, ts): every query is bounded by project and time (the
 *   compiler adds both) and most filter on one kind of event (router, postgres_metrics…), so the
 *   primary index turns them into narrow ranges; event_type has a dozen values, so a time bound
 *   alone still prunes well. Measured on 3M generated events against (project_id, ts): substring
 *   LIKE 329 → 116 ms, Postgres metrics 53 → 15 ms, H-codes 40 → 38 ms, 6-hour status counts
 *   26 → 15 ms; newest 100 matches 67 → 123 ms (the query runner narrows the window first).
 * - `message` and `ts` use LZ4 (the default), not ZSTD: every search decompresses `message` and
 *   every query reads `ts`; measured LIKE 551 → 329 ms for 168 → 207 bytes/row on disk.
 * - TTL per row from `retention_days` (copied from the project at ingest): per-project retention
 *   without a table per project.
 * - Router fields are real columns (typed, LowCardinality where repetitive); every other parsed
 *   field and an app's own keys live in `attrs` as dynamic JSON paths. Typed JSON paths cost insert
 *   time per declared path on every row (~130 of them doubled the per-insert time), so only the
 *   router's fields, 50–70% of all lines, get columns.
 * - Skip indexes for the selective lookups: event_type/error_code sets, bloom filters for
 *   request_id and frame_id (retry dedup). No token/n-gram index on `message`: measured on this
 *   machine it cost 16 µs of insert CPU per row (46 → 30 µs, a third of the store's insert
 *   budget; .tmp probe in the issue note), while a brute-force LIKE over 10M rows stays under 1 s.
 */
const EVENTS = `
CREATE TABLE IF NOT EXISTS events (
  project_id LowCardinality(String),
  ts DateTime64(6, 'UTC') CODEC(Delta(8), LZ4),
  received_ts DateTime64(6, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  id UUID,
  environment LowCardinality(String),
  app LowCardinality(String),
  source LowCardinality(String),
  proc LowCardinality(String),
  proc_type LowCardinality(String),
  event_type LowCardinality(String),
  level LowCardinality(Nullable(String)),
  error_code LowCardinality(Nullable(String)),
  request_id Nullable(String) CODEC(ZSTD(1)),
  message String,
  size UInt32,
  drain LowCardinality(String),
  frame_id String CODEC(ZSTD(1)),
  retention_days UInt16,
${PROMOTED_V1}
  attrs JSON(max_dynamic_paths = 512),
  INDEX idx_event_type event_type TYPE set(32) GRANULARITY 4,
  INDEX idx_error_code error_code TYPE set(256) GRANULARITY 4,
  INDEX idx_request_id request_id TYPE bloom_filter(0.01) GRANULARITY 4,
  INDEX idx_frame_id frame_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (project_id, event_type, ts)
TTL toDateTime(ts) + toIntervalDay(retention_days)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 0`

/**
 * Metadata tables: small, updated rarely. ReplacingMergeTree(version, deleted) keeps the newest
 * version of a row per key; readers use FINAL (cheap at this size).
 */
const meta = (name: string, columns: string, key: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  ${columns},
  version UInt64,
  deleted UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(version, deleted)
ORDER BY ${key}`

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events and metadata tables',
    statements: [
      EVENTS,
      meta('projects', `id String, name String, retention_days UInt16, created_at DateTime64(3, 'UTC')`, 'id'),
      // An ingest key or read token. `secret_hash` is sha256 of the secret part; `expires_at`
      // is set when a key is rotated (the old key keeps working until then).
      meta('credentials', `id String, project_id String, kind LowCardinality(String), secret_hash String, label String, created_at DateTime64(3, 'UTC'), expires_at Nullable(DateTime64(3, 'UTC'))`, 'id'),
      meta('drains', `project_id String, token String, app String, environment String, first_seen DateTime64(3, 'UTC'), last_seen DateTime64(3, 'UTC')`, '(project_id, token)'),
      meta('saved_queries', `id String, project_id String, name String, description String, query String, default_ts String, chart String, params String, created_at DateTime64(3, 'UTC'), updated_at DateTime64(3, 'UTC')`, '(project_id, id)'),
      meta('dashboards', `id String, project_id String, name String, spec String, created_at DateTime64(3, 'UTC'), updated_at DateTime64(3, 'UTC')`, '(project_id, id)'),
      meta('alarms', `id String, project_id String, name String, spec String, created_at DateTime64(3, 'UTC'), updated_at DateTime64(3, 'UTC')`, '(project_id, id)'),
    ],
  },
  {
    version: 2,
    name: 'sharper request_id bloom filter',
    // A lookup of many request ids at once (the semi-join of "slow requests with their app log
    // lines": 50 ids) passes a granule when any id hits its filter: at 1% false positives 50 ids
    // read ~40% of the table. At 0.1% per 8,192-row granule: ~5%. Measured at 10M events: the
    // 50-id lookup 370 → 95 ms, the whole query ~1.1 s → ~0.7 s; the index 12 → 18 MiB.
    // MATERIALIZE runs as a background mutation over existing parts.
    statements: [
      'ALTER TABLE events DROP INDEX IF EXISTS idx_request_id',
      'ALTER TABLE events ADD INDEX IF NOT EXISTS idx_request_id request_id TYPE bloom_filter(0.001) GRANULARITY 1',
      'ALTER TABLE events MATERIALIZE INDEX idx_request_id',
    ],
  },
  {
    version: 3,
    name: 'router.request_id is the row request_id',
    // router_request_id held the same value as request_id on every router row (343 MiB of ~2 GB at
    // 10M events, and ~6% of every insert's bytes); router.request_id now reads request_id.
    statements: ['ALTER TABLE events DROP COLUMN IF EXISTS router_request_id'],
  },
  {
    version: 4,
    name: 'no set index on event_type',
    // event_type is the sort key's second column, so the primary index already narrows every
    // event_type filter to its ranges; the set index only cost two files in every part
    // (measured: ~0.2 ms per file of a ~10 ms 370-row INSERT on this machine's ext4).
    statements: ['ALTER TABLE events DROP INDEX IF EXISTS idx_event_type'],
  },
  {
    version: 5,
    name: 'fewer merge passes per row',
    // Background merges were a third of the server's CPU at 50 drain connections. A merge costs
    // ~4 µs per row whatever the codecs or indexes (.probe/mergecols.mts), so the lever is how
    // many times a row is merged: with base 12 a merge waits for more parts of similar size, so
    // each row is rewritten fewer times on its way to a big part (more small parts live at once).
    // Measured (real server, 50 connections, two runs each): merge CPU 4.0–4.2 → 3.1–3.3 s per
    // 8 s run, 95–107k → 111–114k lines/s. See docs/ingest.md for the query side.
    statements: ['ALTER TABLE events MODIFY SETTING merge_selector_base = 12'],
  },
  {
    version: 6,
    name: 'bloom filter on router_path',
    // A raw path is nearly unique (ids in it), so one path lives in a few granules: drilling into
    // a path (`filter router.path == "…"`) went 140 → 15 ms at 10M events, and the percentile
    // rewrite's bound reads only the granules of its candidate paths (p95 by path ~490 → ~440 ms).
    // Insert and merge cost were within run-to-run noise (.probe/inscost.mts, 2 runs each).
    // MATERIALIZE runs as a background mutation over existing parts.
    statements: [
      'ALTER TABLE events ADD INDEX IF NOT EXISTS idx_router_path router_path TYPE bloom_filter(0.001) GRANULARITY 1',
      'ALTER TABLE events MATERIALIZE INDEX idx_router_path',
    ],
  },
]

/** DDL of the migrations bookkeeping table (created before anything else). */
export const MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY version`
