/**
 * `/v1/admin/*`: project administration for the CLI while the server runs (the embedded store
 * belongs to this process, so the CLI cannot open it). Guarded by the admin token.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { AppError } from '../errors.js'
import { digestsEqual, drainUrl, hashSecret, type ProjectService } from '../projects/index.js'
import { jsonBodyLimit } from './json-body.js'

/** What the admin routes need. */
export interface AdminDeps {
  readonly projects: ProjectService
  /** sha256 of the admin token. */
  readonly adminTokenHash: string
  readonly publicUrl: string
  readonly graceHours: number
}

const createBody = z.object({ name: z.string(), retention_days: z.number().int().min(1).max(3650).optional() })
const rotateBody = z.object({ grace_hours: z.number().min(0).max(24 * 90).optional() })

/** Admin routes, mounted at `/v1/admin`. */
export function adminRoutes(deps: AdminDeps): Hono {
  const app = new Hono()
  app.use('*', async (c, next) => {
    const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')
    if (!m || !digestsEqual(hashSecret(m[1]!.trim()), deps.adminTokenHash)) {
      throw new AppError(401, 'invalid_admin_token', 'admin endpoints need `Authorization: Bearer ADMIN_TOKEN`')
    }
    await next()
  }, jsonBodyLimit())
  app.get('/projects', async (c) => {
    const projects = await deps.projects.listProjects()
    return c.json({ projects: projects.map((p) => ({ id: p.id, name: p.name, retention_days: p.retentionDays, created_at: p.createdAt })) })
  })
  app.post('/projects', async (c) => {
    const body = parse(createBody, await c.req.json().catch(() => null))
    const r = await deps.projects.createProject(body.name, body.retention_days ? { retentionDays: body.retention_days } : {})
    return c.json({ project: r.project.name, project_id: r.project.id, ingest_key: r.ingestKey, read_token: r.readToken, drain_url: drainUrl(deps.publicUrl, r.ingestKey) }, 201)
  })
  app.post('/projects/:name/tokens', async (c) => {
    const token = await deps.projects.createReadToken(c.req.param('name'))
    return c.json({ project: c.req.param('name'), read_token: token }, 201)
  })
  app.post('/projects/:name/rotate-key', async (c) => {
    const body = parse(rotateBody, await c.req.json().catch(() => ({})))
    const r = await deps.projects.rotateIngestKey(c.req.param('name'), body.grace_hours ?? deps.graceHours)
    return c.json({ project: c.req.param('name'), ingest_key: r.ingestKey, old_keys_expire_at: r.oldKeysExpireAt, drain_url: drainUrl(deps.publicUrl, r.ingestKey) }, 201)
  })
  return app
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value)
  if (!r.success) {
    throw new AppError(400, 'invalid_body', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '))
  }
  return r.data
}
