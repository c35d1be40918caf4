/**
 * RFC 3339 timestamps as Logplex passes them through (HEROKU-FORMATS.md §1.2 TIMESTAMP, trip-up 7):
 * 0–6 fractional digits, `Z` or any `±HH:MM` offset, normalised to epoch microseconds UTC.
 * Hand-rolled (no Date, no regex): it runs once per frame on the hot path.
 */

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const mp = (m + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

let lastYmd = -1
let lastDays = 0

/** Value of `n` ASCII digits at `s[i..]`, or -1 when one is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

/** Value of the two ASCII digits at `b[i..i+2)`, or -1 when one is not a digit. */
function twoDigits(b: Uint8Array, i: number): number {
  const hi = b[i]! - 48
  const lo = b[i + 1]! - 48
  return hi >= 0 && hi <= 9 && lo >= 0 && lo <= 9 ? hi * 10 + lo : -1
}

/** Length of the shape {@link logplexTimestampMicros} reads. */
export const LOGPLEX_TIMESTAMP_LENGTH = 32

/**
 * The shape Logplex itself writes, `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`, read from the body's bytes
 * at `b[start..start+32)`: a typed-array read costs about a third of a `charCodeAt`, and this runs
 * on every frame. NaN when the bytes are not exactly that shape or not a valid time; callers then
 * use {@link parseTimestampMicros}, which gives the same value for every input this accepts.
 */
export function logplexTimestampMicros(b: Uint8Array, start: number): number {
  if (start + LOGPLEX_TIMESTAMP_LENGTH > b.length) return NaN
  if (b[start + 4] !== 45 || b[start + 7] !== 45 || b[start + 10] !== 84 || b[start + 13] !== 58 || b[start + 16] !== 58 || b[start + 19] !== 46) return NaN
  if (b[start + 26] !== 43 || twoDigits(b, start + 27) !== 0 || b[start + 29] !== 58 || twoDigits(b, start + 30) !== 0) return NaN
  const century = twoDigits(b, start)
  const year = twoDigits(b, start + 2)
  const mo = twoDigits(b, start + 5)
  const d = twoDigits(b, start + 8)
  const h = twoDigits(b, start + 11)
  const mi = twoDigits(b, start + 14)
  const se = twoDigits(b, start + 17)
  const f1 = twoDigits(b, start + 20)
  const f2 = twoDigits(b, start + 22)
  const f3 = twoDigits(b, start + 24)
  if (century < 0 || year < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return NaN
  if (f1 < 0 || f2 < 0 || f3 < 0) return NaN
  return toMicros(century * 100 + year, mo, d, h, mi, se, f1 * 10000 + f2 * 100 + f3, 0)
}

/** Epoch microseconds of a validated date and time; `offsetMin` is the zone's offset from UTC. */
function toMicros(y: number, mo: number, d: number, h: number, mi: number, se: number, frac: number, offsetMin: number): number {
  // Frames of one body share a date: remember the last one (saves the civil-date arithmetic).
  const ymd = y * 10000 + mo * 100 + d
  if (ymd !== lastYmd) {
    lastYmd = ymd
    lastDays = daysFromCivil(y, mo, d)
  }
  const secs = lastDays * 86400 + h * 3600 + mi * 60 + se - offsetMin * 60
  return secs * 1_000_000 + frac
}

/**
 * Parse `YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|±HH:MM)` occupying exactly `s[start..end)`.
 * With `offsetOptional`, a missing zone means UTC (`hk log` output). Returns NaN when invalid.
 * Fractions beyond 6 digits are truncated to microseconds.
 */
export function parseTimestampMicros(s: string, start: number, end: number, offsetOptional = false): number {
  if (end - start < 19) return NaN
  const y = digits(s, start, 4)
  const mo = digits(s, start + 5, 2)
  const d = digits(s, start + 8, 2)
  const h = digits(s, start + 11, 2)
  const mi = digits(s, start + 14, 2)
  const se = digits(s, start + 17, 2)
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return NaN
  if (s.charCodeAt(start + 4) !== 45 || s.charCodeAt(start + 7) !== 45 || s.charCodeAt(start + 13) !== 58 || s.charCodeAt(start + 16) !== 58) return NaN
  const t = s.charCodeAt(start + 10)
  if (t !== 84 && t !== 116 && t !== 32) return NaN // 'T', 't' or ' ' (RFC 3339 §5.6 note)
  let i = start + 19
  let frac = 0
  if (i < end && s.charCodeAt(i) === 46) {
    i++
    let n = 0
    while (i < end) {
      const c = s.charCodeAt(i) - 48
      if (c < 0 || c > 9) break
      if (n < 6) frac = frac * 10 + c
      n++
      i++
    }
    if (n === 0) return NaN
    for (let k = n; k < 6; k++) frac *= 10
  }
  let offsetMin = 0
  if (i === end) {
    if (!offsetOptional) return NaN
  } else {
    const z = s.charCodeAt(i)
    if (z === 90 || z === 122) {
      i++
    } else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, 2)
      const om = digits(s, i + 4, 2)
      if (oh < 0 || om < 0 || s.charCodeAt(i + 3) !== 58 || oh > 23 || om > 59) return NaN
      offsetMin = (oh * 60 + om) * (z === 45 ? -1 : 1)
      i += 6
    } else {
      return NaN
    }
    if (i !== end) return NaN
  }
  return toMicros(y, mo, d, h, mi, se, frac, offsetMin)
}

/** Epoch microseconds as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (the form fields.ts documents for datetimes). */
export function formatMicros(micros: number): string {
  const ms = Math.floor(micros / 1000)
  const iso = new Date(ms).toISOString() // …SS.mmmZ
  const us = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0')
  return `${iso.slice(0, 19)}.${us}Z`
}
