/**
 * `POST /v1/query` and `POST /v1/query/explain` (read token). JSON answers carry the rows and
 * `meta`; `Accept: application/x-ndjson` or `text/csv` streams the rows instead (exports may go
 * past the JSON cap).
 */
import { Hono, type Context } from 'hono'
import { stream } from 'hono/streaming'
import { z } from 'zod'
import type { ClickHouseClient } from '@clickhouse/client'
import { AppError } from '../errors.js'
import type { ProjectService } from '../projects/index.js'
import type { QueryLimits } from '../query/index.js'
import { prepareQuery, type QueryRequest } from '../query-api/prepare.js'
import { newQueryTag, streamQuery } from '../query-api/run.js'
import type { QueryOutcome } from '../query-api/metrics.js'
import type { QueryGate } from '../query-api/gate.js'
import { runNewestFirst } from '../query-api/newest-first.js'
import { requireReadToken, type ReadVars } from './read-auth.js'
import { jsonBodyLimit, readBody } from './json-body.js'

/** What the query routes need. */
export interface QueryDeps {
  readonly client: ClickHouseClient
  readonly projects: ProjectService
  /** Limits for JSON answers. */
  readonly limits: QueryLimits
  /** Limits for streamed exports (larger result caps). */
  readonly exportLimits: QueryLimits
  /** Store settings added to every query (e.g. spilling big GROUP BYs to disk). */
  readonly extraSettings?: Record<string, number>
  /** Called after every query with its duration and outcome (for /metrics). */
  readonly onQuery?: (ms: number, outcome: QueryOutcome) => void
  /** Stop the statements tagged `tag` (Store.cancelQueries). */
  readonly cancel?: (tag: string) => Promise<void>
  /** Admission: how many queries run at once, per project, and how long one may wait. */
  readonly gate?: QueryGate
}

/** Body of /v1/query and /v1/query/explain. */
export const queryBody = z.object({
  query: z.string().min(1, 'the query is empty').max(20_000),
  ts: z.string().max(100).optional(),
  timezone: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(1_000_000).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
})

/**
 * Answer a prepared request in the format the client accepts. If the client goes away first, the
 * query is stopped: one still waiting for a connection never starts, one running is killed (its
 * statements carry a `log_comment` tag), so an abandoned 30-second search does not hold a
 * connection and the CPU until its time limit.
 */
export async function answer(c: Context, deps: QueryDeps, req: QueryRequest, projectId: string): Promise<Response> {
  const accept = c.req.header('accept') ?? ''
  const exportFormat = accept.includes('application/x-ndjson') ? 'JSONEachRow' : accept.includes('text/csv') ? 'CSVWithNames' : null
  const started = performance.now()
  let outcome: QueryOutcome = 'error'
  const tag = newQueryTag()
  const signal = c.req.raw.signal
  const stop = () => { void deps.cancel?.(tag) }
  signal.addEventListener('abort', stop, { once: true })
  const opts = { extra: { ...deps.extraSettings, log_comment: tag }, signal }
  let streaming = false
  let release = () => {}
  try {
    if (exportFormat) {
      const q = prepareQuery(req, projectId, deps.exportLimits)
      if (deps.gate) release = await deps.gate.acquire(projectId, signal)
      const body = await streamQuery(deps.client, q, exportFormat, opts)
      c.header('content-type', exportFormat === 'JSONEachRow' ? 'application/x-ndjson' : 'text/csv; charset=utf-8')
      outcome = 'ok'
      streaming = true
      return stream(c, async (s) => {
        try {
          for await (const chunk of body) {
            if (Array.isArray(chunk)) for (const row of chunk as { text: string }[]) await s.write(row.text + '\n')
            else await s.write(chunk as Uint8Array)
          }
        } finally {
          signal.removeEventListener('abort', stop)
          release()
        }
      })
    }
    const q = prepareQuery(req, projectId, deps.limits)
    if (deps.gate) release = await deps.gate.acquire(projectId, signal)
    const result = await runNewestFirst(deps.client, q, deps.limits.maxLimit, opts)
    outcome = 'ok'
    return c.json(result)
  } catch (e) {
    if (e instanceof AppError && e.code === 'query_cancelled') outcome = 'cancelled'
    throw e
  } finally {
    if (!streaming) {
      signal.removeEventListener('abort', stop)
      release()
    }
    deps.onQuery?.(performance.now() - started, outcome)
  }
}

/** Query routes, mounted at `/v1/query`. */
export function queryRoutes(deps: QueryDeps): Hono<{ Variables: ReadVars }> {
  const app = new Hono<{ Variables: ReadVars }>()
  app.use('*', requireReadToken(deps.projects), jsonBodyLimit())
  app.post('/', async (c) => answer(c, deps, await readBody(c, queryBody), c.get('projectId')))
  app.post('/explain', async (c) => {
    const q = prepareQuery(await readBody(c, queryBody), c.get('projectId'), deps.limits)
    return c.json({ sql: q.sql, params: q.params, settings: q.settings, english: q.english, columns: q.columns })
  })
  return app
}
