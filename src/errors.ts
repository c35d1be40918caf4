/**
 * The one error type routes throw; `app.ts` turns it (and anything else) into a JSON response
 * `{error: {code, message, …}}`. Codes are stable: clients and tests key on them.
 */

/** An error with an HTTP status and a stable code. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'AppError'
  }
}

/** Body of every error response. */
export function errorBody(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, ...details } }
}
