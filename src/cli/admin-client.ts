/**
 * How a CLI command reaches project administration. The embedded store belongs to one process:
 * while a server runs, admin commands go through its `/v1/admin` API (guarded by the admin token);
 * with no server running, the CLI takes the data directory's lock and opens the store itself.
 * With CLICKHOUSE_URL, the store is shared and the CLI opens it directly.
 */
import type { Config } from '../config.js'
import { ProjectRepository, ProjectService, drainUrl } from '../projects/index.js'
import { acquireLock, adminToken, readLock, releaseLock } from '../server/runtime-files.js'
import { migrate, openStore, storeOptionsFromConfig, type Store } from '../store/index.js'

/** A project as the CLI prints it. */
export interface ProjectOut { readonly id: string; readonly name: string; readonly retention_days: number; readonly created_at: string }
/** `project create` output (the `--json` shape). */
export interface CreatedOut { readonly project: string; readonly ingest_key: string; readonly read_token: string; readonly drain_url: string }

/** Administration, over HTTP or directly. */
export interface Admin {
  /** Says how the command reached the store, for the user. */
  readonly via: string
  createProject(name: string, retentionDays?: number): Promise<CreatedOut>
  listProjects(): Promise<ProjectOut[]>
  createToken(project: string): Promise<string>
  rotateKey(project: string, graceHours?: number): Promise<{ ingest_key: string; old_keys_expire_at: string; drain_url: string }>
  close(): Promise<void>
}

/** An error the CLI prints as one line and exits 1 on. */
export class CliError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
  }
}

/** Pick HTTP or direct access, per the rules above. `url` is an explicit server URL (flag/env). */
export async function openAdmin(config: Config, url: string | undefined): Promise<Admin> {
  if (url) return httpAdmin(url, adminToken(config.dataDir, config.SLUICE_ADMIN_TOKEN), `via the server at ${url}`)
  if (!config.CLICKHOUSE_URL) {
    const holder = readLock(config.dataDir)
    if (holder?.role === 'server') {
      return httpAdmin(holder.url, adminToken(config.dataDir, config.SLUICE_ADMIN_TOKEN), `via the running server at ${holder.url} (pid ${holder.pid})`)
    }
    const lock = acquireLock(config.dataDir, { role: 'cli', url: '' })
    if (!lock.ok) {
      throw new CliError('store_busy', `${config.dataDir} is in use by ${lock.holder.role} process ${lock.holder.pid}; try again when it finishes`)
    }
    try {
      return await directAdmin(config, `directly on the embedded store in ${config.dataDir} (no server running)`, () => releaseLock(config.dataDir))
    } catch (e) {
      releaseLock(config.dataDir)
      throw e
    }
  }
  return directAdmin(config, `directly on the ClickHouse server`, () => {})
}

async function directAdmin(config: Config, via: string, release: () => void): Promise<Admin> {
  const store: Store = openStore(storeOptionsFromConfig(config))
  await migrate(store.client)
  const svc = new ProjectService(new ProjectRepository(store.client), { retentionDays: config.RETENTION_DAYS })
  return {
    via,
    async createProject(name, retentionDays) {
      const r = await svc.createProject(name, retentionDays ? { retentionDays } : {})
      return { project: r.project.name, ingest_key: r.ingestKey, read_token: r.readToken, drain_url: drainUrl(config.publicUrl, r.ingestKey) }
    },
    async listProjects() {
      return (await svc.listProjects()).map((p) => ({ id: p.id, name: p.name, retention_days: p.retentionDays, created_at: p.createdAt }))
    },
    createToken: (project) => svc.createReadToken(project),
    async rotateKey(project, graceHours) {
      const r = await svc.rotateIngestKey(project, graceHours ?? config.KEY_ROTATION_GRACE_HOURS)
      return { ingest_key: r.ingestKey, old_keys_expire_at: r.oldKeysExpireAt, drain_url: drainUrl(config.publicUrl, r.ingestKey) }
    },
    async close() {
      await store.close()
      release()
    },
  }
}

function httpAdmin(base: string, token: string, via: string): Admin {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response
    try {
      res = await fetch(`${base.replace(/\/+$/, '')}/v1/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    } catch (e) {
      throw new CliError('server_unreachable', `cannot reach the server at ${base}: ${(e as Error).message}`)
    }
    const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } } & T
    if (!res.ok) throw new CliError(json.error?.code ?? `http_${res.status}`, json.error?.message ?? `HTTP ${res.status}`)
    return json
  }
  return {
    via,
    createProject: (name, retentionDays) => call<CreatedOut>('POST', '/projects', { name, ...(retentionDays ? { retention_days: retentionDays } : {}) }),
    listProjects: async () => (await call<{ projects: ProjectOut[] }>('GET', '/projects')).projects,
    createToken: async (project) => (await call<{ read_token: string }>('POST', `/projects/${encodeURIComponent(project)}/tokens`)).read_token,
    rotateKey: (project, graceHours) => call('POST', `/projects/${encodeURIComponent(project)}/rotate-key`, graceHours === undefined ? {} : { grace_hours: graceHours }),
    close: async () => {},
  }
}
