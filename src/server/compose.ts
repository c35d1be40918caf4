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
import { migrate, openStore, storeOptionsFromConfig, type PingResult, type Store } from '../store/index.js'
import type { Closeable } from './shutdown.js'

/** The composed service. */
export interface Service {
  readonly app: Hono
  readonly store: Store
  readonly projects: ProjectService
  /** Resolves true once migrations ran (retrying while the store is unreachable), false if stopped first. */
  readonly ready: Promise<boolean>
  /** Flushed/closed at shutdown, in order, before the store. */
  readonly closeables: Closeable[]
  /** Mark the service as stopping: /ready answers 503 from then on. */
  beginShutdown(): void
}

/** Compose the service. `adminToken` guards /v1/admin. */
export function composeService(config: Config, logger: Logger, adminToken: string): Service {
  const store = openStore(storeOptionsFromConfig(config))
  const projects = new ProjectService(new ProjectRepository(store.client), { retentionDays: config.RETENTION_DAYS })
  let migrated = false
  let stopping = false
  let lastError = 'migrations have not run yet'
  const ready = (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await migrate(store.client)
        logger.info({ applied: r.applied, version: r.current, store: store.kind, location: store.location }, 'store ready')
        migrated = true
        return true
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e)
        if (stopping) return false
        logger.warn({ attempt, err: lastError }, 'store not reachable; retrying')
        await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** Math.min(attempt, 6))))
      }
    }
  })()
  const ping = async (): Promise<PingResult> => {
    if (!migrated) return { ok: false, reason: lastError }
    return store.ping()
  }
  const closeables: Closeable[] = []
  const routes: RouteGroup[] = [
    { prefix: '/', app: healthRoutes({ ping, isShuttingDown: () => stopping }) },
    { prefix: '/v1/admin', app: adminRoutes({ projects, adminTokenHash: hashSecret(adminToken), publicUrl: config.publicUrl, graceHours: config.KEY_ROTATION_GRACE_HOURS }) },
  ]
  const app = createApp({ logger, routes })
  return { app, store, projects, ready, closeables, beginShutdown: () => { stopping = true } }
}
