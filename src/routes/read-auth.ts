/**
 * Read-token auth for query routes: `Authorization: Bearer READ_TOKEN`. Missing → 401
 * `missing_token`; unknown, expired, or an ingest key → 401 `invalid_token`.
 */
import type { MiddlewareHandler } from 'hono'
import { AppError } from '../errors.js'
import type { ProjectService } from '../projects/index.js'

/** Context variables set by {@link requireReadToken}. */
export interface ReadVars { projectId: string }

/** Middleware: resolve the read token to its project or refuse. */
export function requireReadToken(projects: ProjectService): MiddlewareHandler<{ Variables: ReadVars }> {
  return async (c, next) => {
    const header = c.req.header('authorization')
    if (!header) throw new AppError(401, 'missing_token', 'send a read token as `Authorization: Bearer TOKEN`', {}, { 'WWW-Authenticate': 'Bearer' })
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
    const principal = m ? await projects.verifyReadToken(m[1]!) : null
    if (!principal) throw new AppError(401, 'invalid_token', 'the read token is not valid (ingest keys cannot query)', {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
    c.set('projectId', principal.projectId)
    await next()
  }
}
