/**
 * The request's `ts` → an absolute range in epoch microseconds. Forms (BadgerQL/Insights):
 * an ISO-8601 duration (`PT3H`, the default: that long until now), `today`, `yesterday`, `week`,
 * `month` (calendar windows in the request's IANA timezone), `START/END` (each a date-time or a
 * duration back from now, e.g. `P1W/P0D`; `start/PT1H` and `PT1H/end` as in ISO 8601), or one
 * date-time meaning "since then". Date-times without an offset are read in the timezone.
 */

/** An absolute time range. */
export interface TimeRange {
  readonly fromMicros: number
  readonly toMicros: number
}

/** Result of {@link parseTimeRange}. */
export type TimeRangeResult =
  | { readonly ok: true; readonly range: TimeRange }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } }

interface Dur {
  readonly months: number
  readonly ms: number
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i

function parseDuration(s: string): Dur | null {
  const m = DURATION.exec(s)
  if (!m || s.toUpperCase() === 'P' || s.toUpperCase().endsWith('T')) return null
  const n = (i: number) => Number(m[i] ?? 0)
  return { months: n(1) * 12 + n(2), ms: ((n(3) * 7 + n(4)) * 86400 + n(5) * 3600 + n(6) * 60 + n(7)) * 1000 }
}

/** Wall-clock parts of an instant in `tz`. */
function partsIn(ms: number, tz: string): number[] {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
  const get = (t: string) => Number(f.formatToParts(new Date(ms)).find((p) => p.type === t)!.value)
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')]
}

/** The instant whose wall clock in `tz` reads the given parts (month 1-based). */
function zoned(y: number, mo: number, d: number, h: number, mi: number, s: number, msec: number, tz: string): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, msec)
  let t = wall
  for (let i = 0; i < 3; i++) {
    const p = partsIn(t, tz)
    const seen = Date.UTC(p[0]!, p[1]! - 1, p[2]!, p[3]!, p[4]!, p[5]!, msec)
    t += wall - seen
  }
  return t
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/

function parseDateTime(s: string, tz: string): number | null {
  const m = DATETIME.exec(s)
  if (!m) return null
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate() || h > 23 || mi > 59 || sec > 59) return null
  const frac = (m[7] ?? '').padEnd(3, '0').slice(0, 3)
  if (m[8]) {
    const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${frac}${m[8] === 'Z' ? 'Z' : m[8].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`)
    return Number.isNaN(ms) ? null : ms
  }
  return zoned(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Number(frac), tz)
}

/** Subtract (sign -1) or add (sign 1) a duration; months move on the calendar in `tz`. */
function shift(ms: number, d: Dur, sign: 1 | -1, tz: string): number {
  let t = ms
  if (d.months) {
    const p = partsIn(t, tz)
    const total = p[0]! * 12 + (p[1]! - 1) + sign * d.months
    const y = Math.floor(total / 12)
    const mo = (total % 12) + 1
    const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate()
    t = zoned(y, mo, Math.min(p[2]!, dim), p[3]!, p[4]!, p[5]!, t % 1000, tz)
  }
  return t + sign * d.ms
}

function startOfDay(ms: number, tz: string, daysBack = 0): number {
  const p = partsIn(ms, tz)
  const day = new Date(Date.UTC(p[0]!, p[1]! - 1, p[2]! - daysBack))
  return zoned(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 0, 0, 0, 0, tz)
}

const bad = (message: string): TimeRangeResult => ({ ok: false, error: { code: 'invalid_time_range', message } })

/**
 * What the store's DateTime64 holds: 1900-01-01 to 2299-12-31. A range reaching past either end
 * ("since 0000-01-01", "P1000Y") is cut there: it means "everything", and outside those years the
 * bounds were written as no date the engine reads (year -1) or not computed at all.
 */
const MIN_MS = Date.UTC(1900, 0, 1)
const MAX_MS = Date.UTC(2300, 0, 1) - 1

function range(fromMs: number, toMs: number): TimeRangeResult {
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) return bad('the time range reaches outside the years 1900–2299')
  if (!(fromMs < toMs)) return bad('the time range is empty: its start is not before its end')
  const from = Math.min(Math.max(fromMs, MIN_MS), MAX_MS)
  const to = Math.min(Math.max(toMs, MIN_MS), MAX_MS)
  if (!(from < to)) return bad('the time range lies outside the years 1900–2299')
  return { ok: true, range: { fromMicros: Math.round(from * 1000), toMicros: Math.round(to * 1000) } }
}

/** Resolve `ts` against `now` in `timezone`. Never throws. */
export function parseTimeRange(ts: string | undefined, timezone: string, now: Date): TimeRangeResult {
  try {
    return resolve(ts, timezone, now)
  } catch {
    // Date arithmetic past what a JS Date holds (±273,790 years): "P1000000Y".
    return bad('the time range reaches outside the years 1900–2299')
  }
}

function resolve(ts: string | undefined, timezone: string, now: Date): TimeRangeResult {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone })
  } catch {
    return { ok: false, error: { code: 'invalid_timezone', message: `unknown time zone ${JSON.stringify(timezone)}` } }
  }
  const nowMs = now.getTime()
  const text = (ts ?? '').trim() || 'PT3H'
  switch (text.toLowerCase()) {
    case 'today':
      return range(startOfDay(nowMs, timezone), nowMs)
    case 'yesterday':
      return range(startOfDay(nowMs, timezone, 1), startOfDay(nowMs, timezone))
    case 'week': {
      // ISO weeks start on Monday.
      const p = partsIn(nowMs, timezone)
      const dow = (new Date(Date.UTC(p[0]!, p[1]! - 1, p[2]!)).getUTCDay() + 6) % 7
      return range(startOfDay(nowMs, timezone, dow), nowMs)
    }
    case 'month': {
      const p = partsIn(nowMs, timezone)
      return range(startOfDay(nowMs, timezone, p[2]! - 1), nowMs)
    }
  }
  const dur = parseDuration(text)
  if (dur) return range(shift(nowMs, dur, -1, timezone), nowMs)
  const slash = text.split('/')
  if (slash.length === 2) {
    const [a, b] = slash as [string, string]
    const da = parseDuration(a)
    const db = parseDuration(b)
    const ta = da ? null : parseDateTime(a, timezone)
    const tb = db ? null : parseDateTime(b, timezone)
    if ((!da && ta === null) || (!db && tb === null)) return bad(`cannot read the time range ${JSON.stringify(text)}; use e.g. "P1W/P0D" or "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z"`)
    if (da && db) return range(shift(nowMs, da, -1, timezone), shift(nowMs, db, -1, timezone))
    if (ta !== null && db) return range(ta, shift(ta, db, 1, timezone))
    if (da && tb !== null) return range(shift(tb, da, -1, timezone), tb)
    return range(ta!, tb!)
  }
  const since = parseDateTime(text, timezone)
  if (since !== null) return range(since, nowMs)
  return bad(`cannot read the time range ${JSON.stringify(text)}; use an ISO-8601 duration like "PT3H", today, yesterday, week, month, "START/END" or a date-time`)
}
