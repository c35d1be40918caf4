/**
 * Builds the running service from a validated config: store, projects, route groups and the app.
 * `main.ts` adds the process concerns (lock, listen, signals); tests can build the same thing.
 */
import type { Hono } from 'hono'
import { createApp, type RouteGroup } from '../app.js'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import { ProjectRepository, ProjectService, hashSecret } from '../projects/index.js'
import { adminRoutes } from '../routes/admin.js'
import { healthRoutes } from '../routes/health.js'
import { createIngest, ingestConfigFromEnv, IngestError, type Ingest, type IngestAuth } from '../ingest/index.js'
import { bootstrapProjects, type BootstrapResult } from './bootstrap.js'
import { Registry } from '../metrics/index.js'
import { eventsRoutes } from '../routes/events.js'
import { metricsRoutes } from '../routes/metrics.js'
import { noticesRoutes } from '../routes/notices.js'
import { queryRoutes, type QueryDeps } from '../routes/query.js'
import { savedQueryRoutes } from '../routes/saved-queries.js'
import { loadBuiltins, SavedQueryRepository, type SavedQuery } from '../saved/index.js'
import { compileQuery, type QueryLimits } from '../query/index.js'
import { spillSettings } from '../query-api/run.js'
import { createQueryGate } from '../query-api/gate.js'
import { registerQueryMetrics } from '../query-api/metrics.js'
import { migrate, openStore, registerStoreGauges, storeOptionsFromConfig, type PingResult, type Store } from '../store/index.js'
import { LAUNCH_THREADPOOL_SIZE, OTHER_THREADS, threadpoolSize } from '../store/threadpool.js'
import type { Closeable } from './shutdown.js'

/** The composed service. */
export interface Service {
  readonly app: Hono
  readonly store: Store
  readonly projects: ProjectService
  readonly ingest: Ingest
  readonly registry: Registry
  /**
   * Resolves once migrations ran (retrying while the store is unreachable) and the start-up
   * credentials are in place (bootstrap.ts), with what the bootstrap did; false if stopped first.
   * Until then /ready answers 503 and ingest requests get 503 + Retry-After, never 403.
   */
  readonly ready: Promise<BootstrapResult | false>
  /** Flushed/closed at shutdown, in order, before the store. */
  readonly closeables: Closeable[]
  /** Mark the service as stopping: /ready answers 503 from then on. */
  beginShutdown(): void
}

/** Query slots of one Sluice process on a ClickHouse server. */
const SERVER_QUERY_SLOTS = 16

/** Compose the service. `adminToken` guards /v1/admin. */
export function composeService(config: Config, logger: Logger, adminToken: string): Service {
  const store = openStore(storeOptionsFromConfig(config))
  const projects = new ProjectService(new ProjectRepository(store.client), { retentionDays: config.RETENTION_DAYS })
  // Migrations ran and the environment's credentials are in place: before that an ingest key set
  // through SLUICE_INGEST_KEY is not in the store yet, and its drain would get 403 (Logplex drops
  // the frame for good); seen in the SIGTERM process test, requests racing the first start.
  let started = false
  let stopping = false
  let lastError = 'migrations have not run yet'
  const ready = (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await migrate(store.client)
        const threads = threadpoolSize()
        logger.info({ applied: r.applied, version: r.current, store: store.kind, location: store.location, query_connections: store.queryConnections, uv_threadpool: store.queryConnections && threads }, 'store ready')
        if (store.queryConnections && store.queryConnections + OTHER_THREADS > threads) {
          logger.warn({ query_connections: store.queryConnections, uv_threadpool: threads }, `UV_THREADPOOL_SIZE is below STORE_QUERY_CONNECTIONS + ${OTHER_THREADS}: drain INSERTs can wait for queries to end; start the process with UV_THREADPOOL_SIZE=${store.queryConnections + OTHER_THREADS} or more (npm start sets ${LAUNCH_THREADPOOL_SIZE})`)
        }
        break
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e)
        if (stopping) return false
        logger.warn({ attempt, err: lastError }, 'store not reachable; retrying')
        await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** Math.min(attempt, 6))))
      }
    }
    try {
      return await bootstrapProjects(projects, config, logger)
    } finally {
      // A failed bootstrap (a credential in use by another project) is logged by main.ts; the
      // keys already in the store keep working.
      started = true
    }
  })()
  const ping = async (): Promise<PingResult> => {
    if (!started) return { ok: false, reason: lastError }
    return store.ping()
  }
  const closeables: Closeable[] = []
  // Ingest (drain, custom events, notices, /metrics): warmed once migrations ran, flushed at shutdown.
  const registry = new Registry()
  registerStoreGauges(registry, store)
  const ingest = createIngest({ client: store.client, inserters: [store.nativeInserter()], logger, registry, config: ingestConfigFromEnv(config) })
  void ready.then(() => ingest.start(), () => {})
  closeables.push({ name: 'ingest', close: () => ingest.close() })
  const limits = queryLimits(config)
  // Embedded: one slot per query connection. A server runs many statements at once; 16 keeps one
  // Sluice process from flooding it.
  const gate = createQueryGate({ slots: store.queryConnections ?? SERVER_QUERY_SLOTS, maxWaitMs: config.QUERY_TIMEOUT_S * 1000 })
  const queryDeps: QueryDeps = {
    client: store.queryClient,
    projects,
    limits,
    exportLimits: { ...limits, maxLimit: 1_000_000, maxResultRows: 1_000_000 },
    extraSettings: spillSettings(config.QUERY_MAX_MEMORY_MB),
    onQuery: registerQueryMetrics(registry, gate),
    cancel: (tag) => store.cancelQueries(tag),
    gate,
  }
  const builtins = compiledBuiltins(limits)
  const ingestAuth: IngestAuth = {
    verifyIngestKey: (key) => {
      if (!started) throw new IngestError('store_unavailable', 'starting up; retry later', 1)
      return projects.verifyIngestKey(key)
    },
  }
  const routes: RouteGroup[] = [
    { prefix: '/', app: healthRoutes({ ping, isShuttingDown: () => stopping }) },
    { prefix: '/', app: metricsRoutes({ registry }) },
    { prefix: '/v1/events', app: eventsRoutes({ ingest, auth: ingestAuth }) },
    { prefix: '/v1/notices', app: noticesRoutes({ ingest, auth: ingestAuth }) },
    { prefix: '/v1/query', app: queryRoutes(queryDeps) },
    { prefix: '/v1/queries', app: savedQueryRoutes({ ...queryDeps, saved: new SavedQueryRepository(store.client), builtins }) },
    { prefix: '/v1/admin', app: adminRoutes({ projects, adminTokenHash: hashSecret(adminToken), publicUrl: config.publicUrl, graceHours: config.KEY_ROTATION_GRACE_HOURS }) },
  ]
  const app = createApp({ logger, routes, onResponse: (status, path) => ingest.recordResponse(status, path) })
  return { app, store, projects, ingest, registry, ready, closeables, beginShutdown: () => { stopping = true } }
}

/** Query limits from the configuration. */
export function queryLimits(config: Config): QueryLimits {
  return {
    maxExecutionSeconds: config.QUERY_TIMEOUT_S,
    maxRowsToRead: config.QUERY_MAX_ROWS_TO_READ,
    maxResultRows: config.QUERY_MAX_RESULT_ROWS,
    defaultLimit: 1000,
    maxLimit: config.QUERY_MAX_RESULT_ROWS,
  }
}

/**
 * The built-in queries, each compiled once with its defaults: a broken one stops the process at
 * start (and fails CI), rather than failing when a user first runs it.
 */
export function compiledBuiltins(limits: QueryLimits): SavedQuery[] {
  const builtins = loadBuiltins()
  const problems: string[] = []
  for (const q of builtins) {
    const params = Object.fromEntries(q.params.flatMap((p) => (p.default === undefined ? [] : [[p.name, p.default]])))
    const r = compileQuery(q.query, { projectId: 'check', range: { fromMicros: 0, toMicros: 3_600_000_000 }, timezone: 'UTC', params, limits })
    if (!r.ok) problems.push(`${q.id}: ${r.error.code} at ${r.error.line}:${r.error.column}: ${r.error.message}\n${r.error.excerpt}`)
  }
  if (problems.length) throw new Error(`broken built-in queries:\n${problems.join('\n')}`)
  return builtins
}
