/**
 * `POST /v1/notices` (mounted at /v1/notices): error reports in Honeybadger's notice format.
 * Honeybadger's status codes (https://docs.honeybadger.io/api/reporting-exceptions/): 201 `{id}`,
 * 403 bad key, 413 over 655,360 bytes, 422 unprocessable JSON, 429 rate limited — plus 503 when
 * the store cannot take it. Stored as one `notice` event, committed before the 201.
 */
import { Hono } from 'hono'
import { IngestError, noticeRow, noticeSchema, readBody, writeOrQuarantine, type Ingest, type IngestAuth } from '../ingest/index.js'
import { principalOf } from './events.js'

/** What the notices route needs. */
export interface NoticesRouteDeps {
  readonly ingest: Ingest
  readonly auth: IngestAuth
}

/** The notices route group. */
export function noticesRoutes(deps: NoticesRouteDeps): Hono {
  const { ingest } = deps
  const app = new Hono()
  app.post('/', async (c) => {
    // Honeybadger answers 403 for a missing key as for a wrong one.
    const principal = await principalOf(c, deps.auth, 'bad_key')
    const body = await readBody(c, ingest.config.noticeBodyLimitBytes)
    let json: unknown
    try {
      json = JSON.parse(body.toString('utf8'))
    } catch (e) {
      throw new IngestError('unprocessable', `the body is not JSON: ${(e as Error).message}`)
    }
    const parsed = noticeSchema.safeParse(json)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
      throw new IngestError('unprocessable', 'the body is not a notice (error.class is required)', undefined, { issues })
    }
    const rate = ingest.noticeLimiter.take(principal.projectId, 1)
    if (!rate.ok) throw new IngestError('rate_limited', 'too many notices for this project; retry later', rate.retryAfterSeconds)
    const wait = ingest.writer.storeRetryAfter()
    if (wait > 0) throw new IngestError('store_unavailable', 'the event store is unavailable; retry later', wait)
    const row = noticeRow(parsed.data, {
      principal, environment: c.req.query('env') ?? '', app: c.req.query('app') ?? '',
      receivedMicros: Date.now() * 1000, size: body.length,
    })
    ingest.metrics.linesReceived.inc(1, { kind: 'notice' })
    await writeOrQuarantine(ingest, [row], 'notices')
    return c.json({ id: row.id }, 201)
  })
  return app
}
