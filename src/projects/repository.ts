/**
 * Projects and credentials in the store's metadata tables (ReplacingMergeTree: the newest
 * `version` of a row wins; reads use FINAL). All values are bound parameters.
 */
import type { ClickHouseClient } from '@clickhouse/client'
import { type CredentialKind } from './secrets.js'
import { dateTimeText, nextVersion } from '../store/index.js'

/** A project. */
export interface Project {
  readonly id: string
  readonly name: string
  readonly retentionDays: number
  readonly createdAt: string
}

/** A stored credential (never the secret itself). */
export interface Credential {
  readonly id: string
  readonly projectId: string
  readonly kind: CredentialKind
  readonly secretHash: string
  readonly label: string
  readonly createdAt: string
  /** When set, the credential stops working at this time (a rotated ingest key's grace period). */
  readonly expiresAt: string | null
}

interface ProjectRow { id: string; name: string; retention_days: number; created_at: string }
interface CredentialRow { id: string; project_id: string; kind: CredentialKind; secret_hash: string; label: string; created_at: string; expires_at: string | null }

const toProject = (r: ProjectRow): Project => ({ id: r.id, name: r.name, retentionDays: Number(r.retention_days), createdAt: r.created_at })
const toCredential = (r: CredentialRow): Credential => ({
  id: r.id, projectId: r.project_id, kind: r.kind, secretHash: r.secret_hash, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at,
})


/** Data access for projects and credentials. */
export class ProjectRepository {
  constructor(private readonly client: ClickHouseClient) {}

  /** Every live project, by name. */
  async listProjects(): Promise<Project[]> {
    const rs = await this.client.query({
      query: 'SELECT id, name, retention_days, toString(created_at) AS created_at FROM projects FINAL WHERE deleted = 0 ORDER BY name',
      format: 'JSONEachRow',
    })
    return (await rs.json<ProjectRow>()).map(toProject)
  }

  /** Insert or update a project. */
  async saveProject(p: Project): Promise<void> {
    await this.client.insert({
      table: 'projects',
      format: 'JSONEachRow',
      values: [{ id: p.id, name: p.name, retention_days: p.retentionDays, created_at: p.createdAt || dateTimeText(), version: nextVersion(), deleted: 0 }],
    })
  }

  /** Every live credential (all projects); small enough to cache in memory. */
  async listCredentials(): Promise<Credential[]> {
    const rs = await this.client.query({
      query: `SELECT id, project_id, kind, secret_hash, label, toString(created_at) AS created_at,
                     if(isNull(expires_at), NULL, toString(expires_at)) AS expires_at
              FROM credentials FINAL WHERE deleted = 0 ORDER BY created_at`,
      format: 'JSONEachRow',
    })
    return (await rs.json<CredentialRow>()).map(toCredential)
  }

  /** Insert or update a credential. */
  async saveCredential(c: Credential): Promise<void> {
    await this.client.insert({
      table: 'credentials',
      format: 'JSONEachRow',
      values: [{
        id: c.id, project_id: c.projectId, kind: c.kind, secret_hash: c.secretHash, label: c.label,
        created_at: c.createdAt || dateTimeText(), expires_at: c.expiresAt, version: nextVersion(), deleted: 0,
      }],
    })
  }

  /** Remove a credential for good. */
  async deleteCredential(c: Credential): Promise<void> {
    await this.client.insert({
      table: 'credentials',
      format: 'JSONEachRow',
      values: [{ ...credentialRow(c), version: nextVersion(), deleted: 1 }],
    })
  }
}

function credentialRow(c: Credential) {
  return { id: c.id, project_id: c.projectId, kind: c.kind, secret_hash: c.secretHash, label: c.label, created_at: c.createdAt, expires_at: c.expiresAt }
}
