/**
 * A strict logfmt scanner for app lines (https://brandur.org/logfmt): every token must be
 * `key=value` (value bare, `"double quoted"` with backslash escapes, or empty). A line with bare
 * words (`service: p50=23 …`) is plain text, so prose that merely contains `=` is not mangled.
 * Returns the pairs, or null when the line is not logfmt. Never throws.
 */

/** One `key=value`; `value` is null for `key=`. */
export interface LogfmtPair {
  readonly key: string
  readonly value: string | null
  readonly quoted: boolean
}

/** Parse `s` as logfmt, or null when it is not (strictly) logfmt. */
export function parseLogfmt(s: string): LogfmtPair[] | null {
  const out: LogfmtPair[] = []
  const n = s.length
  let i = 0
  while (i < n) {
    let c = s.charCodeAt(i)
    if (c === 32 || c === 9) { i++; continue }
    const ks = i
    while (i < n) {
      c = s.charCodeAt(i)
      if (c === 61 || c === 32 || c === 9 || c === 34) break
      i++
    }
    if (i === ks || i >= n || c !== 61) return null
    const key = s.slice(ks, i)
    i++
    if (s.charCodeAt(i) === 34) {
      let j = i + 1
      let esc = false
      while (j < n) {
        const d = s.charCodeAt(j)
        if (d === 92) { esc = true; j += 2; continue }
        if (d === 34) break
        j++
      }
      if (j >= n) return null
      const raw = s.slice(i + 1, j)
      out.push({ key, value: esc ? raw.replace(/\\(.)/g, '$1') : raw, quoted: true })
      i = j + 1
      const after = s.charCodeAt(i)
      if (i < n && after !== 32 && after !== 9) return null
    } else {
      const vs = i
      while (i < n) {
        c = s.charCodeAt(i)
        if (c === 32 || c === 9) break
        if (c === 34) return null
        i++
      }
      out.push({ key, value: i === vs ? null : s.slice(vs, i), quoted: false })
    }
  }
  return out.length === 0 ? null : out
}
