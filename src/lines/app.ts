/**
 * App lines (HEROKU-FORMATS.md §6): JSON objects (pino, structured loggers), logfmt
 * (rack-timeout, l2met), or plain text (Rails, gunicorn, Node traces). Adds `level`
 * (level keys, Rails/Python prefixes, level words), `request_id` (keys, Rails `[uuid]` tag),
 * `error_code` (any H/R/L code), and redacts secrets in the message and fields.
 */
import type { Attrs, Level } from '../model/index.js'
import { REDACTED, redactText } from '../redact/index.js'
import { flattenJson, keyInfo, logfmtValue, MAX_APP_ATTRS } from './app-attrs.js'
import { makeEvent, type LineParser } from './event.js'
import { levelOfText, levelOfValue } from './level.js'
import { parseLogfmt } from './logfmt.js'
import { findErrorCode } from './platform-error.js'
import { uuidTag } from './request-id.js'

/** Try `JSON.parse` on a line that looks like one object; null otherwise. */
function jsonObject(s: string, a: number): Record<string, unknown> | null {
  let b = s.length - 1
  while (b > a && (s.charCodeAt(b) === 32 || s.charCodeAt(b) === 9 || s.charCodeAt(b) === 13)) b--
  if (s.charCodeAt(b) !== 125) return null
  try {
    const v: unknown = JSON.parse(a === 0 && b === s.length - 1 ? s : s.slice(a, b + 1))
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null // a 10,000-byte split or a stray brace: plain text
  }
}

/** Level and request id from a parsed object's top-level keys. */
function fromKeys(obj: Record<string, unknown>): { level: Level | null; requestId: string | null } {
  let level: Level | null = null
  let requestId: string | null = null
  for (const k in obj) {
    const info = keyInfo(k)
    if (level === null && info.level) level = levelOfValue(obj[k])
    else if (requestId === null && info.requestId) {
      const v = obj[k]
      if (typeof v === 'string' && v !== '') requestId = v
      else if (typeof v === 'number') requestId = String(v)
    }
  }
  return { level, requestId }
}

/** Parse an app message into an `app` event. */
export const parseApp: LineParser = (msg, tsMicros, source, proc, procType, size, opts) => {
  const attrs: Attrs = {}
  let level: Level | null = null
  let requestId: string | null = null
  let a = 0
  while (a < msg.length && (msg.charCodeAt(a) === 32 || msg.charCodeAt(a) === 9)) a++
  const obj = msg.charCodeAt(a) === 123 ? jsonObject(msg, a) : null
  if (obj !== null) {
    flattenJson(attrs, obj, '', 0, opts.redact, { n: 0 })
    const k = fromKeys(obj)
    level = k.level
    requestId = k.requestId
  } else if (msg.indexOf('=') !== -1) {
    const pairs = parseLogfmt(msg)
    if (pairs !== null) {
      let n = 0
      for (const p of pairs) {
        if (n++ >= MAX_APP_ATTRS) break
        const v = logfmtValue(p.value, p.quoted)
        const info = keyInfo(p.key)
        attrs[info.path] = opts.redact && v !== null && info.sensitive ? REDACTED : v
        if (level === null && info.level) level = levelOfValue(v)
        else if (requestId === null && info.requestId && v !== null && v !== '') requestId = String(v)
      }
    }
  }
  if (level === null) level = levelOfText(a === 0 ? msg : msg.slice(a))
  if (requestId === null && msg.indexOf('[') !== -1) requestId = uuidTag(msg)
  const errorCode = msg.indexOf('Error ') !== -1 || msg.indexOf('code=') !== -1 ? findErrorCode(msg) : null
  if (errorCode !== null && level === null) level = 'error'
  const message = opts.redact ? redactText(msg) : msg
  return makeEvent(tsMicros, source, proc, procType, 'app', level, errorCode, requestId, message, size, attrs)
}
