/** JSON request bodies of the API (query, saved queries, admin): bounded, then checked with zod. */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { z } from 'zod'
import { AppError } from '../errors.js'

/**
 * The most a JSON request body of the API may hold: a query is at most 20,000 characters,
 * so 1 MiB leaves room for saved-query definitions and `params`, and a runaway client cannot make
 * the server buffer gigabytes. Over it: 413 `body_too_large`, whether or not a Content-Length was
 * sent (a chunked body is counted as it arrives).
 */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024

/** Middleware: refuse a request body over {@link JSON_BODY_LIMIT_BYTES}. */
export const jsonBodyLimit = (): MiddlewareHandler => bodyLimit({
  maxSize: JSON_BODY_LIMIT_BYTES,
  // The rest of the body is never read, so the connection cannot carry another request: say so,
  // or a keep-alive client sends its next request on a socket the server is closing.
  onError: () => { throw new AppError(413, 'body_too_large', `request body over ${JSON_BODY_LIMIT_BYTES} bytes`, { limit: JSON_BODY_LIMIT_BYTES }, { connection: 'close' }) },
})

/** Parse a JSON body against a schema or throw `invalid_body`. */
export async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const raw = await c.req.json().catch(() => undefined)
  if (raw === undefined) throw new AppError(400, 'invalid_json', 'the body must be a JSON object')
  const r = schema.safeParse(raw)
  if (!r.success) throw new AppError(400, 'invalid_body', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '))
  return r.data
}
