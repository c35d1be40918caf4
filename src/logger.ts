/**
 * pino logger: one JSON object a line. Secrets never reach the output: header and field paths are
 * redacted by pino, and URLs are passed through {@link redactUrl} before they are logged.
 */
import pino, { type Logger, type DestinationStream } from 'pino'

export type { Logger } from 'pino'

/** Paths pino censors wherever they appear in a log object. */
const REDACT_PATHS = [
  'authorization', 'Authorization', 'api_key', 'apiKey', 'password', 'token', 'secret',
  'ingest_key', 'read_token', 'admin_token',
  '*.authorization', '*.Authorization', '*.api_key', '*.password', '*.token', '*.secret',
  '*.ingest_key', '*.read_token', '*.admin_token', '*["x-api-key"]', '*["X-API-Key"]',
  'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie',
]

/** Create the process logger. `destination` is for tests (defaults to stdout). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'sluice' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  )
}

const SECRET_PARAMS = /([?&](?:api_key|apikey|key|token|access_token|password)=)[^&#]*/gi

/** A URL or path with secret query values and userinfo replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]').replace(/\/\/[^/@\s]*@/, '//[redacted]@')
}
