/**
 * Heroku platform error codes (HEROKU-FORMATS.md §2.1): `Error H12 (Request timeout) -> …`,
 * `Error R14 (Memory quota exceeded)`, `Error L13: …`, `code=H12`. Scanned without regexes.
 */

/** `s[i..i+3)` is a platform code: H, R or L then two digits. */
export function isCodeAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i)
  if (c !== 72 && c !== 82 && c !== 76) return false
  const d1 = s.charCodeAt(i + 1) - 48
  const d2 = s.charCodeAt(i + 2) - 48
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false
  const after = s.charCodeAt(i + 3)
  return Number.isNaN(after) || !((after >= 48 && after <= 57) || (after >= 65 && after <= 90) || (after >= 97 && after <= 122))
}

/** The `Error XNN (desc) -> detail` prefix at `i`, or null. `detail` is '' when there is none. */
export interface PlatformError {
  readonly code: string
  readonly desc: string | null
  /** Offset just after `-> ` (or after the description when there is no arrow). */
  readonly rest: number
}

/** Parse `Error XNN (desc)[ -> ]` at offset `i` (also `Error XNN:` and bare `XNN (desc)`). */
export function parsePlatformError(s: string, i: number): PlatformError | null {
  let p = i
  if (s.startsWith('Error ', p)) p += 6
  if (!isCodeAt(s, p)) return null
  const code = s.slice(p, p + 3)
  p += 3
  let desc: string | null = null
  if (s.charCodeAt(p) === 32 && s.charCodeAt(p + 1) === 40) {
    const close = s.indexOf(')', p + 2)
    if (close !== -1) {
      desc = s.slice(p + 2, close)
      p = close + 1
    }
  } else if (s.charCodeAt(p) === 58) {
    p++
  }
  if (s.charCodeAt(p) === 58) p++
  while (s.charCodeAt(p) === 32) p++
  if (s.startsWith('->', p)) {
    p += 2
    while (s.charCodeAt(p) === 32) p++
  }
  return { code, desc, rest: p }
}

/** First platform code in free text (`Error R13 (…)`, `code=H12`, `Error L13:`), or null. */
export function findErrorCode(s: string): string | null {
  let i = s.indexOf('Error ')
  while (i !== -1) {
    if (isCodeAt(s, i + 6)) return s.slice(i + 6, i + 9)
    i = s.indexOf('Error ', i + 6)
  }
  i = s.indexOf('code=')
  while (i !== -1) {
    const q = s.charCodeAt(i + 5) === 34 ? i + 6 : i + 5
    if ((i === 0 || s.charCodeAt(i - 1) === 32) && isCodeAt(s, q)) return s.slice(q, q + 3)
    i = s.indexOf('code=', i + 5)
  }
  return null
}
