/**
 * Errors of the ingest path, as data: a stable code, the HTTP status chosen for Logplex's retry
 * rules (HEROKU-FORMATS.md §1.4: any 4xx but 429 makes Logplex DROP the frame, 429/5xx make it
 * retry the same Frame-Id), and a Retry-After for the transient ones.
 */

import { AppError } from '../errors.js'

/** Every ingest error code and its HTTP status. */
export const INGEST_ERRORS = {
  missing_key: 401,
  bad_key: 403,
  bad_content_encoding: 400,
  body_too_large: 413,
  unsupported_content_type: 415,
  unsupported_content_encoding: 415,
  unprocessable: 422,
  rejected_by_store: 422,
  rate_limited: 429,
  queue_full: 503,
  store_unavailable: 503,
  shutting_down: 503,
} as const

/** Stable code of an ingest error. */
export type IngestErrorCode = keyof typeof INGEST_ERRORS

/**
 * An ingest failure; `retryAfterSeconds` is set exactly for the transient ones (429/503) and
 * becomes a `Retry-After` header through app.ts's one error mapping.
 */
export class IngestError extends AppError {
  declare readonly code: IngestErrorCode
  constructor(code: IngestErrorCode, message: string, readonly retryAfterSeconds?: number, details: Record<string, unknown> = {},
    headers: Record<string, string> = {}) {
    super(INGEST_ERRORS[code], code, message, details,
      retryAfterSeconds === undefined ? headers : { ...headers, 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) })
    this.name = 'IngestError'
  }
}
