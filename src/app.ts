/**
 * createApp(deps): mounts the route groups and owns the one place where errors become responses.
 * Route groups are factories taking explicit dependencies; tests call `app.request()`.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { AppError, errorBody } from './errors.js'
import { redactUrl, type Logger } from './logger.js'

/** A route group: a path prefix and a Hono app mounted there. */
export interface RouteGroup {
  readonly prefix: string
  // Groups declare their own context variables (e.g. the read token's project); any Env mounts.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly app: Hono<any>
}

/** What the app needs. */
export interface AppDeps {
  readonly logger: Logger
  readonly routes: readonly RouteGroup[]
  /** Called once per response, e.g. to count responses by status for /metrics. */
  readonly onResponse?: (status: number, path: string, ms: number) => void
}

/** Build the HTTP app. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  app.use('*', requestLog(deps))
  for (const r of deps.routes) app.route(r.prefix, r.app)
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404))
  app.onError((err, c) => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v)
      return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode)
    }
    if (err instanceof HTTPException) {
      const status = err.status
      const code = status === 413 ? 'body_too_large' : status === 401 ? 'unauthorized' : `http_${status}`
      return c.json(errorBody(code, err.message || 'request failed'), status as ContentfulStatusCode)
    }
    deps.logger.error({ err: { message: err.message, stack: err.stack }, path: c.req.path }, 'unhandled error')
    return c.json(errorBody('internal_error', 'internal error; the server log has details'), 500)
  })
  return app
}

function requestLog(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now()
    await next()
    const ms = performance.now() - start
    const path = c.req.path
    deps.onResponse?.(c.res.status, path, ms)
    // Health probes are frequent and uninteresting.
    if (path === '/health' || path === '/ready' || path === '/metrics') return
    deps.logger.info(
      { method: c.req.method, url: redactUrl(c.req.url.replace(/^https?:\/\/[^/]+/, '')), status: c.res.status, ms: Math.round(ms * 10) / 10 },
      'request',
    )
  }
}
