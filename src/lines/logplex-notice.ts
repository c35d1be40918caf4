/**
 * Logplex / log-shuttle drop notices (HEROKU-FORMATS.md §1.5):
 * - drain frame: `Error L10 (output buffer overflow): N messages dropped since TS.`
 * - in-stream (2020+): `Error L10 (output buffer overflow): drain 'd.…' dropped N messages since TS.`
 * - `L11 (Tail buffer overflow) -> This tail session dropped N messages since TS`
 * - log-shuttle: `Error L12: N messages dropped since TS.` / `Error L13: N messages lost since TS.`
 * - `Error L14 (certificate validation): error="…" uri="…"`
 */
import type { Attrs } from '../model/index.js'
import { formatMicros, parseTimestampMicros } from '../logplex/index.js'
import { makeEvent, type LineParser } from './event.js'
import { findErrorCode } from './platform-error.js'

const COUNT = /(?:dropped|lost) (\d+) messages|(\d+) messages (?:dropped|lost)/
const SINCE = /since (\S+?)\.?\s*$/
const DRAIN = /drain '([^']+)'/

/** Parse a Logplex notice into a `logplex` event. */
export const parseLogplexNotice: LineParser = (msg, tsMicros, source, proc, procType, size) => {
  const attrs: Attrs = {}
  const code = findErrorCode(msg) ?? (/^L1\d\b/.test(msg.trimStart()) ? msg.trimStart().slice(0, 3) : null)
  const count = COUNT.exec(msg)
  if (count) attrs['logplex.dropped'] = Number(count[1] ?? count[2])
  const since = SINCE.exec(msg)
  if (since) {
    const t = parseTimestampMicros(since[1]!, 0, since[1]!.length)
    if (!Number.isNaN(t)) attrs['logplex.since'] = formatMicros(t)
  }
  const drain = DRAIN.exec(msg)
  if (drain) attrs['logplex.drain'] = drain[1]!
  // L11 only concerns a `heroku logs --tail` session; the others lost data.
  const level = code === null ? 'info' : code === 'L11' ? 'warn' : 'error'
  return makeEvent(tsMicros, source, proc, procType, 'logplex', level, code, null, msg, size, attrs)
}
