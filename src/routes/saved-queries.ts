/**
 * `/v1/queries`: saved queries (read token). Built-ins from queries/ are listed in every project
 * and can be run but not changed. A query that does not compile is refused at save time with the
 * language's error object.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { AppError } from '../errors.js'
import { prepareQuery } from '../query-api/prepare.js'
import { resolveParams, savedQueryInput, type SavedQuery, type SavedQueryRepository } from '../saved/index.js'
import { answer, type QueryDeps } from './query.js'
import { jsonBodyLimit, readBody } from './json-body.js'
import { requireReadToken, type ReadVars } from './read-auth.js'

/** What the saved-query routes need. */
export interface SavedDeps extends QueryDeps {
  readonly saved: SavedQueryRepository
  readonly builtins: readonly SavedQuery[]
}

const runBody = z.object({
  ts: z.string().max(100).optional(),
  timezone: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(1_000_000).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
})

/** Saved-query routes, mounted at `/v1/queries`. */
export function savedQueryRoutes(deps: SavedDeps): Hono<{ Variables: ReadVars }> {
  const app = new Hono<{ Variables: ReadVars }>()
  app.use('*', requireReadToken(deps.projects), jsonBodyLimit())

  const find = async (projectId: string, id: string): Promise<SavedQuery> => {
    const q = deps.builtins.find((b) => b.id === id) ?? (await deps.saved.get(projectId, id))
    if (!q) throw new AppError(404, 'query_not_found', `no saved query ${JSON.stringify(id)}`)
    return q
  }
  const validate = (projectId: string, input: z.infer<typeof savedQueryInput>) => {
    // Compile once with the declared defaults so a broken query is refused now, not at run time.
    prepareQuery({ query: input.query, ts: input.default_ts, params: Object.fromEntries(input.params.flatMap((p) => (p.default === undefined ? [] : [[p.name, p.default]]))) }, projectId, deps.limits)
  }

  app.get('/', async (c) => c.json({ queries: [...deps.builtins, ...(await deps.saved.list(c.get('projectId')))] }))
  app.post('/', async (c) => {
    const input = await readBody(c, savedQueryInput)
    validate(c.get('projectId'), input)
    return c.json(await deps.saved.save(c.get('projectId'), input), 201)
  })
  app.get('/:id', async (c) => c.json(await find(c.get('projectId'), c.req.param('id'))))
  app.put('/:id', async (c) => {
    const existing = await find(c.get('projectId'), c.req.param('id'))
    if (existing.builtin) throw new AppError(403, 'builtin_read_only', 'built-in queries cannot be changed; save a copy instead')
    const input = await readBody(c, savedQueryInput)
    validate(c.get('projectId'), input)
    return c.json(await deps.saved.save(c.get('projectId'), input, existing))
  })
  app.delete('/:id', async (c) => {
    const existing = await find(c.get('projectId'), c.req.param('id'))
    if (existing.builtin) throw new AppError(403, 'builtin_read_only', 'built-in queries cannot be deleted')
    await deps.saved.delete(c.get('projectId'), existing)
    return c.body(null, 204)
  })
  app.post('/:id/run', async (c) => {
    const q = await find(c.get('projectId'), c.req.param('id'))
    const body = c.req.header('content-length') === '0' ? {} : await readBody(c, runBody).catch((e) => {
      if (e instanceof AppError && e.code === 'invalid_json') return {}
      throw e
    })
    return answer(c, deps, { query: q.query, ts: body.ts ?? q.default_ts, timezone: body.timezone, limit: body.limit, params: resolveParams(q, body.params) }, c.get('projectId'))
  })
  return app
}
