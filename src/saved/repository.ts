/** User saved queries in the `saved_queries` table (ReplacingMergeTree; reads use FINAL). */
import { randomBytes } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import type { SavedQuery, SavedQueryInput } from './model.js'
import { dateTimeText, nextVersion } from '../store/index.js'

interface Row { id: string; name: string; description: string; query: string; default_ts: string; chart: string; params: string; created_at: string; updated_at: string }


const toSaved = (r: Row): SavedQuery => ({
  id: r.id, name: r.name, description: r.description, query: r.query, default_ts: r.default_ts,
  chart: r.chart ? (JSON.parse(r.chart) as SavedQuery['chart']) : null,
  params: r.params ? (JSON.parse(r.params) as SavedQuery['params']) : [],
  builtin: false, created_at: r.created_at, updated_at: r.updated_at,
})

/** CRUD for one store; every call is scoped by project id. */
export class SavedQueryRepository {
  constructor(private readonly client: ClickHouseClient) {}

  /** A project's saved queries, by name. */
  async list(projectId: string): Promise<SavedQuery[]> {
    const rs = await this.client.query({
      query: `SELECT id, name, description, query, default_ts, chart, params, toString(created_at) AS created_at, toString(updated_at) AS updated_at
              FROM saved_queries FINAL WHERE project_id = {project:String} AND deleted = 0 ORDER BY name`,
      query_params: { project: projectId },
      format: 'JSONEachRow',
    })
    return (await rs.json<Row>()).map(toSaved)
  }

  /** One saved query of a project, or null. */
  async get(projectId: string, id: string): Promise<SavedQuery | null> {
    const rs = await this.client.query({
      query: `SELECT id, name, description, query, default_ts, chart, params, toString(created_at) AS created_at, toString(updated_at) AS updated_at
              FROM saved_queries FINAL WHERE project_id = {project:String} AND id = {id:String} AND deleted = 0`,
      query_params: { project: projectId, id },
      format: 'JSONEachRow',
    })
    const r = (await rs.json<Row>())[0]
    return r ? toSaved(r) : null
  }

  /** Create or replace; returns the stored query. */
  async save(projectId: string, input: SavedQueryInput, existing?: SavedQuery): Promise<SavedQuery> {
    const id = existing?.id ?? `q_${randomBytes(9).toString('base64url')}`
    const now = dateTimeText()
    const createdAt = existing?.created_at ?? now
    await this.client.insert({
      table: 'saved_queries',
      format: 'JSONEachRow',
      values: [{
        id, project_id: projectId, name: input.name, description: input.description, query: input.query,
        default_ts: input.default_ts, chart: input.chart ? JSON.stringify(input.chart) : '', params: JSON.stringify(input.params),
        created_at: createdAt, updated_at: now, version: nextVersion(), deleted: 0,
      }],
    })
    return { ...input, id, builtin: false, created_at: createdAt, updated_at: now }
  }

  /** Delete (a tombstone row). */
  async delete(projectId: string, q: SavedQuery): Promise<void> {
    await this.client.insert({
      table: 'saved_queries',
      format: 'JSONEachRow',
      values: [{
        id: q.id, project_id: projectId, name: q.name, description: q.description, query: q.query, default_ts: q.default_ts,
        chart: '', params: '[]', created_at: q.created_at ?? dateTimeText(), updated_at: dateTimeText(), version: nextVersion(), deleted: 1,
      }],
    })
  }
}
