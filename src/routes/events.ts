/**
 * `POST /v1/events` (mounted at /v1/events): Logplex drain bodies (`application/logplex-1`) and
 * custom events (`application/x-ndjson` / `application/json`). Status codes follow Logplex's retry
 * rules (HEROKU-FORMATS.md §1.4): 2xx only after commit; 401/403 bad key, 413 over the body limit,
 * 415 wrong type (permanent: Logplex drops the frame); 429/503 + Retry-After for everything
 * transient (Logplex re-sends the same Frame-Id). Errors are thrown as IngestError (an AppError);
 * app.ts renders them.
 */
import { Hono, type Context } from 'hono'
import {
  IngestError, ingestDrain, ingestKey, mediaType, parseCustomEvents, readBody, writeOrQuarantine,
  type Ingest, type IngestAuth, type IngestPrincipal,
} from '../ingest/index.js'

/** What the events routes need. */
export interface EventsRouteDeps {
  readonly ingest: Ingest
  readonly auth: IngestAuth
}

const LOGPLEX = 'application/logplex-1'
const NDJSON = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json'])

/** Authenticate by ingest key: 401 without one, 403 for a key that is not valid. */
export async function principalOf(c: Context, auth: IngestAuth, missing: 'missing_key' | 'bad_key' = 'missing_key'): Promise<IngestPrincipal> {
  const key = ingestKey(c)
  if (!key) throw new IngestError(missing, 'an ingest key is required (api_key parameter, X-API-Key header or basic auth)')
  const p = await auth.verifyIngestKey(key)
  if (!p) throw new IngestError('bad_key', 'the ingest key is not valid')
  return p
}

/** The events route group. */
export function eventsRoutes(deps: EventsRouteDeps): Hono {
  const { ingest } = deps
  const app = new Hono()
  app.post('/', async (c) => {
    const principal = await principalOf(c, deps.auth)
    const type = mediaType(c)
    const logplex = type === LOGPLEX
    if (!logplex && !NDJSON.has(type)) {
      throw new IngestError('unsupported_content_type', `Content-Type must be ${LOGPLEX} (Logplex) or application/x-ndjson (custom events)`, undefined, { got: type })
    }
    const body = await readBody(c, ingest.config.bodyLimitBytes)
    const environment = c.req.query('env') ?? ''
    const appName = c.req.query('app') ?? ''
    if (logplex) {
      const count = Number.parseInt(c.req.header('logplex-msg-count') ?? '', 10)
      await ingestDrain(ingest, {
        principal, environment, app: appName, body,
        drain: c.req.header('logplex-drain-token') ?? '',
        frameId: c.req.header('logplex-frame-id') ?? '',
        msgCount: Number.isFinite(count) ? count : null,
      })
      return c.body(null, 204)
    }
    return customEvents(c, ingest, principal, environment, appName, body)
  })
  return app
}

async function customEvents(c: Context, ingest: Ingest, principal: IngestPrincipal, environment: string, app: string, body: Buffer) {
  const wait = ingest.writer.storeRetryAfter()
  if (wait > 0) throw new IngestError('store_unavailable', 'the event store is unavailable; retry later', wait)
  const { rows, errors } = parseCustomEvents(body.toString('utf8'), { principal, environment, app, receivedMicros: Date.now() * 1000 })
  ingest.metrics.linesReceived.inc(rows.length + errors.length, { kind: 'event' })
  if (rows.length === 0 && errors.length > 0) {
    throw new IngestError('unprocessable', 'no line of the body is a valid event', undefined, { accepted: 0, errors })
  }
  const rate = ingest.limiter.take(principal.projectId, rows.length)
  if (!rate.ok) throw new IngestError('rate_limited', 'too many events for this project; retry later', rate.retryAfterSeconds)
  await writeOrQuarantine(ingest, rows, 'events')
  return c.json({ accepted: rows.length, errors }, errors.length > 0 ? 207 : 200)
}
