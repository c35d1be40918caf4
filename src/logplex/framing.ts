/**
 * RFC 6587 §3.4.1 octet counting over BYTES, as Logplex writes HTTPS-drain bodies
 * (`<len> SP <message>` back to back; `logplex_syslog_utils:frame/1` counts `iolist_size`).
 * HEROKU-FORMATS.md §1.2 and trip-up 1: LF is NOT a separator — Logplex's own L10 frame has no LF
 * and the next length prefix is glued to it — so we never split on newlines; we strip at most one
 * trailing LF from each message. A count that does not fit, a truncated tail or garbage becomes a
 * {@link FramingIssue} carrying the raw bytes: never an exception, never a silent drop.
 */

/** A frame that could not be framed or parsed; stored raw as an `unparsed` event and counted. */
export interface FramingIssue {
  readonly code: 'bad_length' | 'truncated' | 'garbage' | 'bad_header'
  readonly raw: Buffer
  readonly offset: number
  readonly message: string
}

/** One well-framed message: `body[start..end)` is the message without its trailing LF. */
export interface Frame {
  readonly kind: 'frame'
  /** Offset of the length prefix. */
  readonly offset: number
  readonly start: number
  readonly end: number
  /** End of the counted bytes (`end`, or `end + 1` when a trailing LF was stripped). */
  readonly rawEnd: number
}

/** A stretch of the body that did not frame. */
export interface FrameIssue {
  readonly kind: 'issue'
  readonly issue: FramingIssue
}

/** Frames and issues in body order. */
export type FramePiece = Frame | FrameIssue

/** Longest accepted length prefix: 10 digits (RFC 6587 MSG-LEN is unbounded; we are not). */
const MAX_DIGITS = 10
const SP = 32
const LF = 10

const isSpace = (b: number): boolean => b === LF || b === 13 || b === SP || b === 9

/**
 * Whether the bytes at `p` continue a well-framed body: the end (after optional whitespace), or a
 * length prefix `digits SP` whose frame fits in the body and is itself followed by the end or a
 * prefix (`depth` levels of look-ahead), or a syslog-looking frame cut short by the body's end. A count that lies usually lands mid-text; the look-ahead
 * catches the case where it lands on something like `74 sample#…` by chance.
 */
function fitsAt(body: Buffer, p: number, depth: number): boolean {
  const n = body.length
  while (p < n && isSpace(body[p]!)) p++
  if (p === n) return true
  let d = 0
  let len = 0
  while (p < n && d <= MAX_DIGITS) {
    const b = body[p]!
    if (b < 48 || b > 57) break
    len = len * 10 + (b - 48)
    p++
    d++
  }
  if (d === 0 || d > MAX_DIGITS || p >= n || body[p] !== SP || len === 0) return false
  const next = p + 1 + len
  // A next frame cut short by the end of the body (truncated) still vouches for this one if it
  // starts like a syslog frame; a count that lied lands on text such as `74 sample#…` instead.
  if (next > n) return body[p + 1] === 60
  return depth <= 1 || body[next - 1] === LF || fitsAt(body, next, depth - 1)
}

/**
 * Next offset >= `from` where a frame plausibly starts: `digits SP <PRI>digit` with no digit just
 * before the length (so we do not start inside a number). The body length when there is none.
 */
export function resync(body: Buffer, from: number): number {
  const n = body.length
  let lt = body.indexOf(60, from) // '<'
  while (lt !== -1) {
    let ok = lt >= 2 && body[lt - 1] === SP
    if (ok) {
      let q = lt + 1
      let d = 0
      while (q < n && body[q]! >= 48 && body[q]! <= 57 && d < 4) { q++; d++ }
      ok = d >= 1 && d <= 3 && body[q] === 62 && q + 1 < n && body[q + 1]! >= 48 && body[q + 1]! <= 57
    }
    if (ok) {
      let p = lt - 1
      while (p > 0 && body[p - 1]! >= 48 && body[p - 1]! <= 57) p--
      const digits = lt - 1 - p
      if (digits >= 1 && digits <= MAX_DIGITS && p >= from) return p
    }
    lt = body.indexOf(60, lt + 1)
  }
  return n
}

function issue(body: Buffer, code: FramingIssue['code'], from: number, to: number, message: string): FrameIssue {
  return { kind: 'issue', issue: { code, raw: body.subarray(from, to), offset: from, message } }
}

/** Split one `application/logplex-1` body into frames and issues, in order. Never throws. */
export function frameOctets(body: Buffer): FramePiece[] {
  const out: FramePiece[] = []
  const n = body.length
  let pos = 0
  while (pos < n) {
    const c = body[pos]!
    // Whitespace between frames carries no data (hand-built bodies, CRLF after the last frame).
    if (isSpace(c)) { pos++; continue }
    const offset = pos
    let len = 0
    let d = 0
    while (pos < n && d <= MAX_DIGITS) {
      const b = body[pos]!
      if (b < 48 || b > 57) break
      len = len * 10 + (b - 48)
      pos++
      d++
    }
    if (d === 0 || d > MAX_DIGITS || pos >= n || body[pos] !== SP) {
      const to = resync(body, offset + 1)
      out.push(issue(body, 'garbage', offset, to, `no octet-count prefix at byte ${offset}`))
      pos = to
      continue
    }
    const start = pos + 1
    const rawEnd = start + len
    if (len === 0) {
      const to = resync(body, start)
      out.push(issue(body, 'bad_length', offset, to, `zero-length frame at byte ${offset}`))
      pos = to
      continue
    }
    if (rawEnd > n) {
      // A later frame start means the count lied rather than the body being cut short.
      const to = resync(body, start)
      if (to < n) {
        out.push(issue(body, 'bad_length', offset, to, `frame at byte ${offset} claims ${len} bytes, next frame starts at ${to}`))
        pos = to
        continue
      }
      out.push(issue(body, 'truncated', offset, n, `frame at byte ${offset} claims ${len} bytes, only ${n - start} left`))
      break
    }
    // A right count lands on the next prefix (or the end). A count ending on LF is trusted even
    // when garbage follows it: the garbage is reported on its own.
    const endsWithLf = body[rawEnd - 1] === LF
    if (!endsWithLf && !fitsAt(body, rawEnd, 2)) {
      const to = resync(body, start)
      out.push(issue(body, 'bad_length', offset, to, `frame at byte ${offset}: ${len} bytes does not end at a frame boundary`))
      pos = to
      continue
    }
    out.push({ kind: 'frame', offset, start, end: endsWithLf ? rawEnd - 1 : rawEnd, rawEnd })
    pos = rawEnd
  }
  return out
}
