/**
 * From a request (query text, ts, timezone, limit, params) to a compiled query for one project, or
 * an AppError carrying the language's error object. The project id comes from the token, never the body.
 */
import { AppError } from '../errors.js'
import { compileQuery, parseTimeRange, type CompiledQuery, type QueryLimits } from '../query/index.js'

/** What a caller asks. */
export interface QueryRequest {
  readonly query: string
  readonly ts?: string | undefined
  readonly timezone?: string | undefined
  readonly limit?: number | undefined
  readonly params?: Record<string, unknown> | undefined
}

/** Compile for `projectId` or throw a 400 with the language's error. */
export function prepareQuery(req: QueryRequest, projectId: string, limits: QueryLimits, now = new Date()): CompiledQuery {
  const timezone = req.timezone ?? 'UTC'
  if (!validTimezone(timezone)) throw new AppError(400, 'invalid_timezone', `unknown time zone ${JSON.stringify(timezone)}; use an IANA name like "Europe/Paris"`)
  const range = parseTimeRange(req.ts, timezone, now)
  if (!range.ok) throw new AppError(400, range.error.code, range.error.message)
  const r = compileQuery(req.query, {
    projectId,
    range: range.range,
    timezone,
    params: req.params ?? {},
    limits,
    ...(req.limit !== undefined ? { limit: req.limit } : {}),
  })
  if (!r.ok) {
    const { code, message, ...rest } = r.error
    throw new AppError(400, code, message, rest)
  }
  return r.query
}

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}
