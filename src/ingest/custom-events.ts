/**
 * Custom events: `POST /v1/events` with `application/x-ndjson` (or `application/json`), one JSON
 * object per line, Honeybadger's events API shape. Each line stands alone: a bad line is reported
 * by number and the good lines are stored.
 *
 * Stored as event_type `event` (the column's value set is closed: DESIGN.md), source `event`.
 * Recognised keys: `ts` (ISO-8601 text, or an epoch number in seconds, milliseconds, microseconds
 * or nanoseconds, told apart by size; digits in a string count as a number) → `@ts` (default:
 * received time);
 * `message` (string) → `message` (default: the line as sent, so full-text search finds it);
 * `level` (debug…fatal) → `level`; `request_id` (string) → `request_id`. Everything else is
 * flattened into attrs; the user's own `event_type` lands at `app.event_type`, like any key that
 * collides with a built-in name.
 */
import { LEVELS, type Attrs, type EventRow, type Level } from '../model/index.js'
import type { IngestPrincipal } from './deps.js'
import { randomEventId } from './event-id.js'
import { flattenInto } from './flatten.js'

/** Why one line was not stored. */
export interface LineError {
  /** 1-based line number in the body. */
  readonly line: number
  readonly code: 'invalid_json' | 'not_an_object' | 'invalid_ts'
  readonly message: string
}

/** Where the events came from. */
export interface CustomEventContext {
  readonly principal: IngestPrincipal
  readonly environment: string
  readonly app: string
  readonly receivedMicros: number
}

/** Rows for the good lines and one error per bad line. */
export interface CustomEventsParse {
  readonly rows: EventRow[]
  readonly errors: LineError[]
}

const LEVEL_SET: ReadonlySet<string> = new Set(LEVELS)

/**
 * Parse an NDJSON body. Also accepted: a JSON array (one event per element), one JSON object
 * spread over several lines (a pretty-printed `application/json` body), and a leading UTF-8 byte
 * order mark (Windows editors and PowerShell write one).
 */
export function parseCustomEvents(body: string, ctx: CustomEventContext): CustomEventsParse {
  const rows: EventRow[] = []
  const errors: LineError[] = []
  if (body.charCodeAt(0) === 0xfeff) body = body.slice(1)
  const trimmed = body.trimStart()
  if (trimmed.startsWith('[')) {
    // `application/json` clients may send one array; it is all-or-nothing JSON, so a bad array is line 1.
    let arr: unknown
    try { arr = JSON.parse(trimmed) } catch (e) { return { rows, errors: [{ line: 1, code: 'invalid_json', message: (e as Error).message }] } }
    ;(arr as unknown[]).forEach((v, i) => addOne(v, JSON.stringify(v), i + 1, ctx, rows, errors))
    return { rows, errors }
  }
  const lines = body.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.replace(/\r$/, '')
    if (text.trim() === '') continue
    let v: unknown
    try { v = JSON.parse(text) } catch (e) {
      errors.push({ line: i + 1, code: 'invalid_json', message: (e as Error).message })
      continue
    }
    addOne(v, text, i + 1, ctx, rows, errors)
  }
  // Nothing parsed line by line, but the whole body is one object: a pretty-printed event.
  if (rows.length === 0 && errors.length > 1 && trimmed.startsWith('{')) {
    let whole: unknown
    try { whole = JSON.parse(trimmed) } catch { return { rows, errors } }
    const one: CustomEventsParse = { rows: [], errors: [] }
    addOne(whole, JSON.stringify(whole), 1, ctx, one.rows, one.errors)
    return one
  }
  return { rows, errors }
}

function addOne(v: unknown, text: string, line: number, ctx: CustomEventContext, rows: EventRow[], errors: LineError[]): void {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    errors.push({ line, code: 'not_an_object', message: 'each line must be a JSON object' })
    return
  }
  const { ts, message, level, request_id: requestId, ...rest } = v as Record<string, unknown>
  const tsMicros = ts === undefined ? ctx.receivedMicros : toMicros(ts)
  if (tsMicros === null) {
    errors.push({ line, code: 'invalid_ts', message: '`ts` must be ISO-8601 text or an epoch number (seconds, milliseconds, microseconds or nanoseconds)' })
    return
  }
  const lvl = typeof level === 'string' && LEVEL_SET.has(level.toLowerCase()) ? (level.toLowerCase() as Level) : null
  if (level !== undefined && lvl === null) rest['level'] = level
  if (message !== undefined && typeof message !== 'string') rest['message'] = message
  if (requestId !== undefined && typeof requestId !== 'string') rest['request_id'] = requestId
  const attrs: Record<string, Attrs[string]> = {}
  flattenInto(attrs, rest)
  rows.push({
    projectId: ctx.principal.projectId, retentionDays: ctx.principal.retentionDays,
    environment: ctx.environment, app: ctx.app, drain: '', frameId: '',
    id: randomEventId(), receivedMicros: ctx.receivedMicros, tsMicros,
    source: 'event', proc: '', procType: '', eventType: 'event', level: lvl, errorCode: null,
    requestId: typeof requestId === 'string' ? requestId : null,
    message: typeof message === 'string' ? message : text,
    size: Buffer.byteLength(text), attrs,
  })
}

/**
 * `ts` as epoch microseconds. Text is ISO-8601 (fraction kept to µs). A number is epoch time in
 * the unit its size says: below 10^11 seconds (10^11 ms would be 1973; 10^11 s is the year 5138),
 * below 10^14 milliseconds, below 10^17 microseconds, else nanoseconds. Taking seconds for
 * milliseconds put an event in January 1970, where the retention TTL removed it at the next merge:
 * lost without a word.
 */
export function toMicros(ts: unknown): number | null {
  if (typeof ts === 'string' && /^\d{9,19}(\.\d+)?$/.test(ts)) ts = Number(ts)
  if (typeof ts === 'number') {
    if (!Number.isFinite(ts) || ts < 0) return null
    return Math.round(ts < 1e11 ? ts * 1e6 : ts < 1e14 ? ts * 1e3 : ts < 1e17 ? ts : ts / 1e3)
  }
  if (typeof ts !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(ts)) return null
  const ms = Date.parse(ts)
  if (Number.isNaN(ms) || ms < 0) return null
  // Date.parse keeps milliseconds; add the 4th–6th fraction digits when given.
  const frac = /[T ]\d{2}:\d{2}:\d{2}\.\d{3}(\d{1,3})/.exec(ts)?.[1]
  return ms * 1000 + (frac ? Number(frac.padEnd(3, '0')) : 0)
}
