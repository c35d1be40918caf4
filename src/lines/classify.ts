/**
 * Which parser a line goes to. APP-NAME/PROCID are the routing keys (HEROKU-FORMATS.md trip-up 5):
 * `heroku/router`, `heroku/web.N`, `heroku/api` (before ~2017), `heroku/logplex`, `app/api`,
 * `app/heroku-postgres|redis|pgbouncer`, `app/log-shuttle`, `app/<dyno>`. Content is looked at only
 * to tell metrics from other dyno lines, and for lines whose source is unknown ('' — message-only
 * imports), where it is the only clue.
 */
import type { ParsedEvent } from '../model/index.js'
import { parseApi } from './api.js'
import { parseApp } from './app.js'
import { parseDyno } from './dyno.js'
import { DEFAULT_LINE_OPTIONS, type LineOptions, type LineParser } from './event.js'
import { parseLogplexNotice } from './logplex-notice.js'
import { parseMetrics } from './metrics.js'
import { parseNginx } from './nginx.js'
import { procTypeOf } from './proc-type.js'
import { parseRouter } from './router.js'

/** Line kinds; each has exactly one parser in {@link PARSERS}. */
export type LineKind = 'router' | 'nginx' | 'dyno' | 'api' | 'metrics' | 'logplex' | 'app'

/** The parser of each kind (a `Record`, so a new kind without a parser fails the build). */
export const PARSERS: Readonly<Record<LineKind, LineParser>> = {
  router: parseRouter, nginx: parseNginx, dyno: parseDyno, api: parseApi, metrics: parseMetrics,
  logplex: parseLogplexNotice, app: parseApp,
}

const isMetrics = (m: string): boolean => m.indexOf('sample#') !== -1 || m.indexOf(' val=') !== -1 && /(?:^|\s)measure=/.test(m)
const LOGPLEX_CODE = /(?:^|\s)(?:Error )?L1\d\b/
const ROUTER_LIKE = /^\s*(?:sock=\w+ )?(?:at=\w+|\w+ code=H\d\d)\b.*\bstatus=/

/** The kind of a line from its source, proc and (only where needed) message. */
export function classify(source: string, proc: string, msg: string): LineKind {
  if (source === 'heroku') {
    switch (proc) {
      case 'router': return 'router'
      case 'logplex': return 'logplex'
      case 'api': return 'api'
      case 'nginx': return 'nginx'
      case 'slug-compiler': case 'slugc': return 'api'
      default: return isMetrics(msg) ? 'metrics' : 'dyno'
    }
  }
  if (source === 'app') {
    switch (proc) {
      case 'api': return 'api'
      case 'heroku-postgres': case 'heroku-redis': case 'heroku-pgbouncer': return isMetrics(msg) ? 'metrics' : 'app'
      case 'log-shuttle': return LOGPLEX_CODE.test(msg) ? 'logplex' : 'app'
      default: return 'app'
    }
  }
  if (source === '') {
    if (ROUTER_LIKE.test(msg)) return 'router'
    if (isMetrics(msg)) return 'metrics'
    if (LOGPLEX_CODE.test(msg) && /messages (?:dropped|lost)|dropped \d+ messages/.test(msg)) return 'logplex'
  }
  return 'app'
}

/** Classify a line and parse it with its kind's parser. Never throws for any string input. */
export function classifyAndParse(
  source: string, proc: string, message: string, tsMicros: number, size: number, opts: LineOptions = DEFAULT_LINE_OPTIONS,
): ParsedEvent {
  return PARSERS[classify(source, proc, message)](message, tsMicros, source, proc, procTypeOf(proc), size, opts)
}
