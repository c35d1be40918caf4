/**
 * Projects and their credentials: create, list, issue tokens, rotate keys, verify. An ingest key
 * (in the drain URL) can only write; a read token (`Authorization: Bearer`) can only read.
 * Verification hashes the presented secret, finds the credential by digest in an in-memory cache
 * and confirms with a constant-time comparison; the cache reloads after changes, every 30 s, and
 * (rate-limited) on a miss, so several processes sharing one ClickHouse server agree within seconds.
 */
import { ProjectRepository, type Credential, type Project } from './repository.js'
import { digestsEqual, generateSecret, hashSecret, newId, type CredentialKind } from './secrets.js'
import { AppError } from '../errors.js'
import { dateTimeText } from '../store/index.js'

/** Who an ingest key belongs to. */
export interface IngestPrincipal { readonly projectId: string; readonly retentionDays: number }
/** Who a read token belongs to. */
export interface ReadPrincipal { readonly projectId: string }

/** A new project and the secrets to give its owner (shown once, never stored in clear). */
export interface CreatedProject { readonly project: Project; readonly ingestKey: string; readonly readToken: string }

const RELOAD_MS = 30_000
const MISS_RELOAD_MS = 5_000
const ENV_LABEL = 'env'

/** Project and credential operations with a verification cache. */
export class ProjectService {
  private byHash = new Map<string, Credential>()
  private projects = new Map<string, Project>()
  private loadedAt = 0
  private lastMissReload = 0
  private loading: Promise<void> | undefined

  constructor(private readonly repo: ProjectRepository, private readonly defaults: { retentionDays: number; now?: () => number }) {}

  private now(): number { return this.defaults.now?.() ?? Date.now() }

  /** Reload projects and credentials from the store. */
  async reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const [projects, creds] = await Promise.all([this.repo.listProjects(), this.repo.listCredentials()])
        this.projects = new Map(projects.map((p) => [p.id, p]))
        this.byHash = new Map(creds.map((c) => [c.secretHash, c]))
        this.loadedAt = this.now()
      } finally {
        this.loading = undefined
      }
    })()
    return this.loading
  }

  private async fresh(): Promise<void> {
    if (this.now() - this.loadedAt > RELOAD_MS) await this.reload()
  }

  private async lookup(secret: string, kind: CredentialKind): Promise<Credential | null> {
    if (!secret) return null
    await this.fresh()
    const digest = hashSecret(secret)
    let c = this.byHash.get(digest)
    if (!c && this.now() - this.lastMissReload > MISS_RELOAD_MS) {
      this.lastMissReload = this.now()
      await this.reload()
      c = this.byHash.get(digest)
    }
    if (!c || c.kind !== kind || !digestsEqual(digest, c.secretHash)) return null
    if (c.expiresAt && Date.parse(c.expiresAt.replace(' ', 'T') + 'Z') <= this.now()) return null
    return c
  }

  /** The project an ingest key writes to, or null. */
  async verifyIngestKey(key: string): Promise<IngestPrincipal | null> {
    const c = await this.lookup(key, 'ingest')
    const p = c && this.projects.get(c.projectId)
    return p ? { projectId: p.id, retentionDays: p.retentionDays } : null
  }

  /** The project a read token reads, or null. */
  async verifyReadToken(token: string): Promise<ReadPrincipal | null> {
    const c = await this.lookup(token, 'read')
    return c && this.projects.has(c.projectId) ? { projectId: c.projectId } : null
  }

  /** Every project. */
  async listProjects(): Promise<Project[]> {
    await this.reload()
    return [...this.projects.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** A project by name; throws `project_not_found`. */
  async getProject(name: string): Promise<Project> {
    await this.reload()
    const p = [...this.projects.values()].find((x) => x.name === name)
    if (!p) throw new AppError(404, 'project_not_found', `no project named ${JSON.stringify(name)}`)
    return p
  }

  /** Create a project with a fresh ingest key and read token. Throws `project_exists`. */
  async createProject(name: string, opts: { retentionDays?: number; ingestKey?: string; readToken?: string } = {}): Promise<CreatedProject> {
    validateName(name)
    await this.reload()
    if ([...this.projects.values()].some((p) => p.name === name)) {
      throw new AppError(409, 'project_exists', `a project named ${JSON.stringify(name)} already exists`)
    }
    const project: Project = { id: newId('p_'), name, retentionDays: opts.retentionDays ?? this.defaults.retentionDays, createdAt: dateTimeText(this.now()) }
    await this.repo.saveProject(project)
    const ingestKey = opts.ingestKey ?? generateSecret('ingest')
    const readToken = opts.readToken ?? generateSecret('read')
    await this.addCredential(project.id, 'ingest', ingestKey, opts.ingestKey ? ENV_LABEL : 'created')
    await this.addCredential(project.id, 'read', readToken, opts.readToken ? ENV_LABEL : 'created')
    await this.reload()
    return { project, ingestKey, readToken }
  }

  /** Issue another read token for a project. */
  async createReadToken(projectName: string, label = 'token create'): Promise<string> {
    const p = await this.getProject(projectName)
    const token = generateSecret('read')
    await this.addCredential(p.id, 'read', token, label)
    await this.reload()
    return token
  }

  /**
   * Issue a new ingest key; the project's current keys keep working for `graceHours` (so drains
   * can be switched over without losing lines), then stop.
   */
  async rotateIngestKey(projectName: string, graceHours: number): Promise<{ ingestKey: string; oldKeysExpireAt: string }> {
    const p = await this.getProject(projectName)
    const expiresAt = dateTimeText(this.now() + graceHours * 3_600_000)
    for (const c of this.byHash.values()) {
      if (c.projectId === p.id && c.kind === 'ingest' && (!c.expiresAt || c.expiresAt > expiresAt)) {
        await this.repo.saveCredential({ ...c, expiresAt })
      }
    }
    const ingestKey = generateSecret('ingest')
    await this.addCredential(p.id, 'ingest', ingestKey, 'key rotate')
    await this.reload()
    return { ingestKey, oldKeysExpireAt: expiresAt }
  }

  /**
   * Make sure project `name` exists and accepts exactly the given ingest key and read token (from
   * SLUICE_INGEST_KEY / SLUICE_READ_TOKEN). Credentials a previous environment set are replaced;
   * ones issued by the CLI stay. Returns whether the project was created.
   */
  async ensureProject(name: string, ingestKey: string | undefined, readToken: string | undefined): Promise<boolean> {
    await this.reload()
    let p = [...this.projects.values()].find((x) => x.name === name)
    const created = !p
    if (!p) {
      p = { id: newId('p_'), name, retentionDays: this.defaults.retentionDays, createdAt: dateTimeText(this.now()) }
      await this.repo.saveProject(p)
    }
    for (const [kind, secret] of [['ingest', ingestKey], ['read', readToken]] as const) {
      if (!secret) continue
      const digest = hashSecret(secret)
      const existing = this.byHash.get(digest)
      if (existing && existing.projectId !== p.id) {
        throw new AppError(409, 'credential_in_use', `the ${kind} secret given in the environment belongs to another project`)
      }
      for (const c of this.byHash.values()) {
        if (c.projectId === p.id && c.kind === kind && c.label === ENV_LABEL && c.secretHash !== digest) await this.repo.deleteCredential(c)
      }
      if (!existing) await this.addCredential(p.id, kind, secret, ENV_LABEL)
      else if (existing.expiresAt) await this.repo.saveCredential({ ...existing, expiresAt: null })
    }
    await this.reload()
    return created
  }

  private async addCredential(projectId: string, kind: CredentialKind, secret: string, label: string): Promise<void> {
    await this.repo.saveCredential({ id: newId('c_'), projectId, kind, secretHash: hashSecret(secret), label, createdAt: dateTimeText(this.now()), expiresAt: null })
  }
}


function validateName(name: string): void {
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(name)) {
    throw new AppError(400, 'invalid_project_name', 'a project name is 1–63 letters, digits, `_` or `-`, starting with a letter or digit')
  }
}
