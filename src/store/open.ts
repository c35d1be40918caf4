/**
 * Opens the store. The only module that knows whether it is the embedded engine (chDB, in-process,
 * data in DATA_DIR) or a ClickHouse server (CLICKHOUSE_URL); everything else gets a
 * `@clickhouse/client` ClickHouseClient and runs the same SQL on either.
 */
import { accessSync, constants, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { Readable } from 'node:stream'
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client'

type ClientConfig = NonNullable<Parameters<typeof createClient>[0]>
import { createChdbConnection } from 'chdb/connection'
import { Session, drainPending } from 'chdb'
import { defaultMergeThreads } from './merge-threads.js'
import { chdbLanes, sqlStringLiteral } from './chdb-lanes.js'
import { defaultQueryConnections } from './threadpool.js'

/** What the store needs from the configuration. */
export interface StoreOptions {
  /** ClickHouse server URL; when absent, the embedded engine is used. */
  readonly url?: string | undefined
  readonly user?: string
  readonly password?: string
  readonly database?: string
  /** Embedded data directory. */
  readonly dataDir: string
  /** Embedded engine's server-wide memory cap, MB. */
  readonly maxServerMemoryMb: number
  /** Embedded engine's background merge threads (default: half the cores, at least 1). */
  readonly mergeThreads?: number
  /**
   * Embedded engine's connections for users' queries (default: {@link defaultQueryConnections}):
   * that many queries run at once, each on its own connection.
   */
  readonly queryConnections?: number
  /** Per-query memory limit, MB (applied to every query, both kinds). */
  readonly queryMaxMemoryMb: number
  /** Request timeout for a server, ms. */
  readonly requestTimeoutMs?: number
}

/** Inserts Native-format data; resolves once the INSERT has committed. */
export interface NativeInserter {
  /** `target` is `INSERT INTO table (columns)`; the data's columns must match it. */
  insert(target: string, data: Buffer): Promise<void>
}

/** Result of a readiness probe: never throws. */
export type PingResult = { ok: true } | { ok: false; reason: string }

/** An open store. */
export interface Store {
  readonly kind: 'embedded' | 'server'
  /** Metadata, auth, migrations, the ingest path's lookups: short statements of our own. */
  readonly client: ClickHouseClient
  /**
   * Users' queries. Embedded: {@link StoreOptions.queryConnections} connections of their own, so a
   * long search neither holds up another user's panel nor the metadata and ingest lookups on
   * `client`. Server: the same client as `client` (HTTP requests run in parallel).
   */
  readonly queryClient: ClickHouseClient
  /** Embedded: how many connections `queryClient` has (queries that run at once). Server: undefined. */
  readonly queryConnections?: number
  /**
   * The client the ingest writer inserts through. Embedded: a native connection of its own to the
   * same engine, because chDB runs one statement at a time per connection — on one connection every query waited for the INSERT in flight and every INSERT
   * for the query (measured: a `SELECT 1` queued 1.9 s behind a substring scan). Server: the same client (HTTP
   * requests run in parallel).
   */
  readonly ingestClient: ClickHouseClient
  /**
   * Inserts Native-format data through `client` (default: ingestClient). Server: the data is the
   * body of `INSERT … FORMAT Native`. Embedded: chDB takes an inline INSERT body only as text
   * (its connection joins the body to the SQL string), so the data goes to a spool file (see
   * {@link spoolPrefix}) and the engine reads it with `INSERT … FROM INFILE … FORMAT Native`.
   */
  nativeInserter(client?: ClickHouseClient): NativeInserter
  /** Human-readable location: the data directory or the server URL without credentials. */
  readonly location: string
  /** Does the store answer a query? */
  ping(): Promise<PingResult>
  /**
   * Stop the statements running with `log_comment = tag` (a query whose client went away), on
   * the embedded engine or a server (`KILL QUERY … ASYNC`: returns at once). Never throws.
   */
  cancelQueries(tag: string): Promise<void>
  /** Close the client (and, embedded, the engine). Idempotent. */
  close(): Promise<void>
  /**
   * The nice value the next embedded INSERT runs at: 5 while queries run on `queryClient` (or ran in
   * the last second), so they get the CPU first; 0 otherwise. Always 0 for a server.
   */
  insertNice(): number
  /**
   * Parts and merges of the events table, for `GET /metrics` (what a ClickHouse operator watches:
   * too many parts per partition fails INSERTs). Runs on `client`, outside the query tracking of
   * {@link insertNice}, so a metrics scrape does not slow ingest down.
   */
  partStats(): Promise<PartStats>
}

/** Parts and merges of the events table at one moment. */
export interface PartStats {
  readonly activeParts: number
  /** Active parts of the fullest partition (day): ClickHouse refuses INSERTs past `parts_to_throw_insert`. */
  readonly maxPartsPerPartition: number
  readonly mergesRunning: number
}

const PART_STATS_SQL = `SELECT
  (SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active) AS active_parts,
  (SELECT max(n) FROM (SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active GROUP BY partition_id)) AS max_parts_per_partition,
  (SELECT count() FROM system.merges WHERE database = currentDatabase() AND table = 'events') AS merges_running`

async function partStats(query: ClickHouseClient['query']): Promise<PartStats> {
  const rs = await query({ query: PART_STATS_SQL, format: 'JSONEachRow' })
  const [r] = await rs.json<{ active_parts: string; max_parts_per_partition: string; merges_running: string }>()
  return { activeParts: Number(r?.active_parts ?? 0), maxPartsPerPartition: Number(r?.max_parts_per_partition ?? 0), mergesRunning: Number(r?.merges_running ?? 0) }
}

/** Open the embedded engine or connect to a server, per `opts`. */
export function openStore(opts: StoreOptions): Store {
  const settings: ClickHouseSettings = {
    max_memory_usage: String(opts.queryMaxMemoryMb * 1024 * 1024),
    // Dates in and out as UTC, whatever the host's zone.
    date_time_input_format: 'best_effort',
  }
  if (opts.url) return openServer(opts, settings)
  return openEmbedded(opts, settings)
}

function openServer(opts: StoreOptions, settings: ClickHouseSettings): Store {
  const client = createClient({
    url: opts.url,
    username: opts.user ?? 'default',
    password: opts.password ?? '',
    database: opts.database ?? 'default',
    request_timeout: opts.requestTimeoutMs ?? 30_000,
    clickhouse_settings: settings,
  })
  const u = new URL(opts.url!)
  u.username = ''
  u.password = ''
  const inserter = (c: ClickHouseClient): NativeInserter => ({
    async insert(target, data) {
      const res = await c.exec({ query: `${target} FORMAT Native`, values: Readable.from([data]) })
      res.stream.resume() // nothing to read; frees the HTTP socket
    },
  })
  return wrap('server', client, client, client, inserter, u.toString(), async () => {})
}

/**
 * Queries before ingest on a shared box: the embedded engine runs INSERTs at nice 5, so a
 * dashboard query (nice 0) gets the CPU first and ingest takes what is left (its queue absorbs the
 * difference; Logplex waits a little longer for the ack). ClickHouse applies it only with
 * CAP_SYS_NICE (otherwise a no-op). Measured (query bench, 10M events, queries back to back under
 * the 35k lines/s load, two runs on the same code): most shapes 2.3–6.3× idle → 1.8–3.0× (ingest
 * achieved 27.5k → 20.5k lines/s); BENCHMARKS.md has the latest run. Merges at nice 10 as well left more small parts behind and made the smallest queries
 * slower (Crashes and restarts 6.3× → 9.8× idle), so merges keep the default priority.
 */
const INSERT_NICE = 5

/**
 * …but only while queries run (or ran within this long): with no query to yield to, nice 5 only
 * made INSERTs lose the CPU to background merges, and drain acks waited for it (50 connections,
 * 3 interleaved runs each: p99 340–392 ms at nice 5, 259–275 ms at nice 0, same throughput).
 */
const QUERY_QUIET_MS = 1000

/** Counts the statements in flight on a client, and when the last one ended: are any running, or did one end within {@link QUERY_QUIET_MS}? */
function trackActivity(client: ClickHouseClient): () => boolean {
  let active = 0
  let lastEnd = -Infinity
  const done = () => { active--; lastEnd = performance.now() }
  for (const m of ['query', 'command', 'exec', 'insert'] as const) {
    const orig = (client[m] as (...a: unknown[]) => Promise<unknown>).bind(client)
    ;(client as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
      active++
      const p = orig(...a)
      p.then(done, done)
      return p
    }
  }
  return () => active > 0 || performance.now() - lastEnd < QUERY_QUIET_MS
}

function openEmbedded(opts: StoreOptions, settings: ClickHouseSettings): Store {
  const dir = path.resolve(opts.dataDir, 'clickhouse')
  mkdirSync(dir, { recursive: true })
  // Server-level options can only be given when the engine starts, so open a Session with them
  // first; createChdbConnection on the same path then shares that engine (one per process).
  const session = new Session(dir, {
    connectionArgs: [
      `--max_server_memory_usage=${opts.maxServerMemoryMb * 1024 * 1024}`,
      `--background_pool_size=${opts.mergeThreads ?? defaultMergeThreads()}`,
    ],
  })
  // chdb/connection implements @clickhouse/client's Connection contract, but types it against
  // @clickhouse/client-common, whose declarations differ nominally from the bundled copy.
  // ClickHouse 26.x lowers a query's threads while the server's free memory (cap minus tracked)
  // is under threads × `max_threads_min_free_memory_per_thread` (1 GiB by default): under the
  // 2 GiB cap every query ran on ONE thread of two (measured: a 10M-row substring scan 1.1 s on
  // one thread either way; numbers_mt at half speed). The per-query limit (`max_memory_usage`)
  // already bounds each query, so ask for 256 MiB of headroom per thread instead.
  const embeddedSettings: ClickHouseSettings = {
    ...settings,
    max_threads_min_free_memory_per_thread: String(256 * 1024 * 1024),
  }
  const connect = (lanes: number, settings?: ClickHouseSettings) => createClient({
    connection: chdbLanes(Array.from({ length: lanes }, () => createChdbConnection({ path: dir }))) as unknown as NonNullable<ClientConfig['connection']>,
    ...(settings ? { clickhouse_settings: settings } : {}),
  })
  const client = connect(1, embeddedSettings)
  const queryConnections = opts.queryConnections ?? defaultQueryConnections()
  const queryClient = connect(queryConnections, embeddedSettings)
  const queriesRunning = trackActivity(queryClient)
  const insertNice = () => (queriesRunning() ? INSERT_NICE : 0)
  // The ingest connection only runs Native INSERTs: none of the query settings apply, and chDB
  // would prefix every INSERT with a SET per setting (~0.4 ms of a ~10 ms INSERT).
  const ingestClient = connect(1)
  const spool = spoolPrefix(opts.dataDir)
  let seq = 0
  const inserter = (c: ClickHouseClient): NativeInserter => ({
    async insert(target, data) {
      const file = `${spool}${process.pid}-${++seq}.native`
      // Synchronous on purpose: a few MB to /dev/shm take ~1–2 ms, while each async fs step waits
      // for the event loop, which under load is busy parsing requests (measured at 50 connections:
      // 58–65 ms per INSERT spent in open/writev/close, more than the INSERT itself).
      writeFileSync(file, data)
      try {
        await c.command({ query: `${target} FROM INFILE ${sqlStringLiteral(file)} SETTINGS os_threads_nice_value_query = ${insertNice()} FORMAT Native` })
      } finally {
        rmSync(file, { force: true })
      }
    },
  })
  const store = wrap('embedded', client, queryClient, ingestClient, inserter, dir, async () => {
    session.close()
    // close() can return before the engine lets go while an operation is still running.
    await drainPending()
  }, insertNice)
  return { ...store, queryConnections }
}

/**
 * Where the embedded inserter writes its spool files: the path prefix of every file, once the
 * files a crash left behind for this data directory are removed. A file lives only for the INSERT
 * that reads it and is never the durable copy (a request is answered after the INSERT commits), so
 * memory-backed /dev/shm is preferred: on this machine's ext4 writing and removing the file took
 * ~1–1.5 ms of a ~12 ms 370-row INSERT. Falls back to the data directory. Files, not a directory,
 * in /dev/shm (named by the data directory's hash), so a store that is never closed leaves nothing.
 */
function spoolPrefix(dataDir: string): string {
  const tag = `sluice-spool-${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)}-`
  for (const dir of ['/dev/shm', path.resolve(dataDir, 'ingest-spool')]) {
    try {
      mkdirSync(dir, { recursive: true })
      accessSync(dir, constants.W_OK)
      for (const f of readdirSync(dir)) if (f.startsWith(tag)) rmSync(path.join(dir, f), { force: true })
      return path.join(dir, tag)
    } catch {
      // not usable here: try the next place
    }
  }
  throw new Error(`no writable directory for ingest spool files under /dev/shm or ${dataDir}`)
}


function wrap(
  kind: Store['kind'], client: ClickHouseClient, queryClient: ClickHouseClient, ingestClient: ClickHouseClient, inserter: (c: ClickHouseClient) => NativeInserter,
  location: string, after: () => Promise<void>, insertNice: () => number = () => 0,
): Store {
  let closed: Promise<void> | undefined
  return {
    kind,
    client,
    queryClient,
    ingestClient,
    nativeInserter: (c = ingestClient) => inserter(c),
    location,
    insertNice,
    partStats: () => partStats(client.query.bind(client)),
    async cancelQueries(tag) {
      const kill = async () => {
        const rs = await client.query({ query: "KILL QUERY WHERE Settings['log_comment'] = {tag:String} ASYNC", query_params: { tag }, format: 'JSONEachRow' })
        return (await rs.json()).length
      }
      try {
        // A statement handed to the engine a moment before may not be listed yet: look once more.
        if ((await kill()) === 0) await new Promise((r) => setTimeout(r, 100)).then(kill)
      } catch {
        // nothing to stop, or no right to (a server user without KILL QUERY): it ends at its time limit
      }
    },
    async ping() {
      try {
        const rs = await client.query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' })
        const rows = await rs.json<{ ok: number }>()
        return rows[0]?.ok === 1 ? { ok: true } : { ok: false, reason: 'unexpected answer to SELECT 1' }
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) }
      }
    },
    close() {
      closed ??= (async () => {
        await client.close()
        if (queryClient !== client) await queryClient.close()
        if (ingestClient !== client) await ingestClient.close()
        await after()
      })()
      return closed
    },
  }
}
