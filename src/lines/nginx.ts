/**
 * Pre-2012 `heroku[nginx]` access lines (Dev Center error-codes capture, gist jkvor/654399), kept
 * as `router` events since they describe the same requests:
 * `GET / HTTP/1.1 | 75.36.147.245 | 8132 | http | 503` and the combined log format
 * `IP - user [date] "GET / HTTP/1.1" 503 607 "-" "agent" host`.
 */
import { routeOf } from './route.js'
import type { Attrs } from '../model/index.js'
import { makeEvent, type LineParser } from './event.js'

const PIPES = /^\s*([A-Z]+) (\S+) HTTP\/[\d.]+ \| (\S+) \| (\d+) \| (\w+) \| (\d{3})/
const COMBINED = /^\s*(\S+) \S+ \S+ \[[^\]]*\] "([A-Z]+) (\S+) [^"]*" (\d{3}) (\d+|-)(?: "[^"]*" "([^"]*)"(?: (\S+))?)?/

/** Parse an nginx access line into a `router` event. */
export const parseNginx: LineParser = (msg, tsMicros, source, proc, procType, size) => {
  const attrs: Attrs = {}
  let status: number | null = null
  let r = PIPES.exec(msg)
  if (r) {
    attrs['router.method'] = r[1]!
    attrs['router.path'] = r[2]!
    attrs['router.fwd'] = r[3]!
    attrs['router.bytes'] = Number(r[4])
    attrs['router.protocol'] = r[5]!
    status = Number(r[6])
  } else if ((r = COMBINED.exec(msg))) {
    attrs['router.fwd'] = r[1]!
    attrs['router.method'] = r[2]!
    attrs['router.path'] = r[3]!
    status = Number(r[4])
    attrs['router.bytes'] = r[5] === '-' ? null : Number(r[5])
    if (r[6] !== undefined) attrs['router.agent'] = r[6]
    if (r[7] !== undefined) attrs['router.host'] = r[7]
  }
  if (status !== null) attrs['router.status'] = status
  if (typeof attrs['router.path'] === 'string') attrs['router.route'] = routeOf(attrs['router.path'])
  const level = status === null ? null : status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info'
  return makeEvent(tsMicros, source, proc, procType, 'router', level, null, null, msg, size, attrs)
}
