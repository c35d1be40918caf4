/**
 * App fields → attrs (DESIGN.md "App lines"): JSON objects and logfmt become top-level fields,
 * nested objects dot paths; a key whose first segment collides with a built-in name
 * (RESERVED_TOP_LEVEL in src/model/fields.ts) is kept as `app.<key>`. Bounded: at most
 * {@link MAX_APP_ATTRS} fields and {@link MAX_DEPTH} levels (deeper values are kept as JSON text),
 * so a hostile line cannot blow up the `attrs` column.
 */
import { RESERVED_TOP_LEVEL, type Attrs } from '../model/index.js'
import { REDACTED, isSensitiveKey } from '../redact/index.js'
import { LEVEL_KEYS } from './level.js'
import { REQUEST_ID_KEYS } from './request-id.js'

/** Most fields one app line may add. */
export const MAX_APP_ATTRS = 200
/** Deepest nesting flattened into dot paths. */
export const MAX_DEPTH = 6

/** What a key means to the app parser (cached: the same few keys repeat on every line). */
export interface KeyInfo {
  /** attrs path of the key at top level: `app.<key>` when its first segment is reserved. */
  readonly path: string
  readonly sensitive: boolean
  readonly level: boolean
  readonly requestId: boolean
}

const KEY_CACHE = new Map<string, KeyInfo>()
/** Bound on distinct cached keys (a line may invent keys; the cache is then simply rebuilt). */
const KEY_CACHE_MAX = 4096

/** {@link KeyInfo} of a key. */
export function keyInfo(key: string): KeyInfo {
  let info = KEY_CACHE.get(key)
  if (info === undefined) {
    const dot = key.indexOf('.')
    const first = dot === -1 ? key : key.slice(0, dot)
    info = {
      // `__proto__` would set the attrs object's prototype instead of a field.
      path: RESERVED_TOP_LEVEL.has(first) || key === '__proto__' ? `app.${key}` : key,
      sensitive: isSensitiveKey(key),
      level: LEVEL_KEYS.has(key.toLowerCase()),
      requestId: REQUEST_ID_KEYS.has(key),
    }
    if (KEY_CACHE.size >= KEY_CACHE_MAX) KEY_CACHE.clear()
    KEY_CACHE.set(key, info)
  }
  return info
}

/** The attrs path of an app key: `app.<key>` when its first segment is reserved. */
export function appKey(key: string): string {
  return keyInfo(key).path
}

/** Flatten a parsed JSON object into attrs (values: string, number, boolean, null; arrays as JSON). */
export function flattenJson(attrs: Attrs, obj: Record<string, unknown>, prefix: string, depth: number, redact: boolean, count: { n: number }): void {
  for (const k in obj) {
    if (count.n >= MAX_APP_ATTRS) return
    if (k === '') continue
    const v = obj[k]
    const info = keyInfo(k)
    const path = prefix === '' ? info.path : `${prefix}.${k}`
    if (redact && info.sensitive && v !== null && typeof v !== 'object') {
      attrs[path] = REDACTED
      count.n++
    } else if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      attrs[path] = v
      count.n++
    } else if (typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) {
      flattenJson(attrs, v as Record<string, unknown>, path, depth + 1, redact, count)
    } else if (v !== undefined) {
      attrs[path] = redact && info.sensitive ? REDACTED : JSON.stringify(v)
      count.n++
    }
  }
}

const NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d+)?$/

/** A logfmt value as stored: numbers and booleans typed (unquoted only), empty as null. */
export function logfmtValue(v: string | null, quoted: boolean): string | number | boolean | null {
  if (v === null || quoted) return v
  if (v === 'true') return true
  if (v === 'false') return false
  const c = v.charCodeAt(0)
  if ((c >= 48 && c <= 57) || c === 45) {
    if (NUMBER.test(v)) return Number(v)
  }
  return v
}
