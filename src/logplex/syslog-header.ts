/**
 * The syslog header of a Logplex frame. Three layouts occur (HEROKU-FORMATS.md §1.2):
 * - HTTPS drain (`logplex_syslog_utils:rfc5424/8`): `<PRI>1 TS host APP PROC - MSG` — NO
 *   structured-data field, not even a NILVALUE ("application/logplex-1 does not follow RFC5424
 *   exactly", Logplex README.http_drains.md). A message starting with `[` or `-` is message text.
 * - Labs-era legacy (2012): `<PRI>1 TS heroku web.3 d.<token> - MSG` (fields shifted).
 * - Syslog drains (`to_msg/2`): `<PRI>1 TS d.<token> APP PROC - - MSG` (SD NILVALUE present).
 * Works on offsets into one string so the hot path slices only what it keeps.
 */
import { LOGPLEX_TIMESTAMP_LENGTH, logplexTimestampMicros, parseTimestampMicros } from './timestamp.js'

/** Which header layout a frame used. */
export type HeaderLayout = 'logplex' | 'legacy' | 'syslog'

/** A parsed header. `tsMicros` is NaN when the timestamp is `-` or unusable. */
export interface SyslogHeader {
  readonly kind: 'header'
  readonly pri: number
  readonly tsMicros: number
  /** Syslog APP-NAME as Heroku means it: `app` or `heroku` (hostname in the legacy layout). */
  readonly source: string
  /** Syslog PROCID as Heroku means it: `web.1`, `router`… ('' for a NILVALUE). */
  readonly proc: string
  readonly layout: HeaderLayout
  /** Offset in the input string where the message starts. */
  readonly msgStart: number
}

/** Why a header did not parse (stable code plus a message for people). */
export interface HeaderError {
  readonly kind: 'error'
  readonly code: 'bad_header'
  readonly message: string
}

function bad(message: string): HeaderError {
  return { kind: 'error', code: 'bad_header', message }
}

// APP-NAME / PROCID strings seen lately, one per slot (slot: length and last character). A frame
// repeating one reuses it instead of slicing again, which saves allocations, and lookups keyed by
// the string (proc type) find its hash already computed. Bodies interleave a few pairs (`heroku
// router`, `app web.1`, `heroku web.2`…), so remembering only the last one missed on most frames.
const RECENT_TOKENS: string[] = new Array<string>(256).fill('')

/** `s[a..b)` (not empty) as a string, reusing a recent one with the same text. */
function token(s: string, a: number, b: number): string {
  const slot = ((b - a) * 16 + s.charCodeAt(b - 1)) & 255
  const recent = RECENT_TOKENS[slot]!
  if (b - a === recent.length && s.startsWith(recent, a)) return recent
  const t = s.slice(a, b)
  RECENT_TOKENS[slot] = t
  return t
}

/** Index of the next space at or after `i` (or `end`). */
function nextSpace(s: string, i: number, end: number): number {
  const j = s.indexOf(' ', i)
  return j === -1 || j > end ? end : j
}

/** `s[a..b)` equals `lit`. */
function eq(s: string, a: number, b: number, lit: string): boolean {
  return b - a === lit.length && s.startsWith(lit, a)
}

/** Index of the first space in `b[i..end)`, or `end`. */
function spaceIn(b: Uint8Array, i: number, end: number): number {
  while (i < end && b[i] !== 32) i++
  return i
}

/**
 * The header exactly as Logplex's HTTPS drains write it, `<PRI>1 TIMESTAMP host APP PROC - MSG`
 * with the 32-byte Logplex timestamp, read from the body's bytes `b` (`s` is their latin1
 * decoding): typed-array reads cost about a third of a `charCodeAt`, and no indexOf call is
 * needed, on every frame. Null when the frame differs from that shape in any way; the general
 * parser then decides, so results never change.
 */
function logplexHeader(s: string, b: Uint8Array, start: number, end: number): SyslogHeader | null {
  let i = start
  if (b[i] !== 60) return null
  i++
  let pri = 0
  const priStart = i
  while (i < end && i - priStart < 4) {
    const c = b[i]! - 48
    if (c < 0 || c > 9) break
    pri = pri * 10 + c
    i++
  }
  if (i === priStart || i - priStart > 3 || pri > 191 || b[i] !== 62 || b[i + 1] !== 49 || b[i + 2] !== 32) return null
  i += 3 // `>1 `
  if (i + LOGPLEX_TIMESTAMP_LENGTH >= end || b[i + LOGPLEX_TIMESTAMP_LENGTH] !== 32) return null
  const tsMicros = logplexTimestampMicros(b, i)
  if (Number.isNaN(tsMicros)) return null
  i += LOGPLEX_TIMESTAMP_LENGTH + 1
  if (i + 5 > end || b[i] !== 104 || b[i + 1] !== 111 || b[i + 2] !== 115 || b[i + 3] !== 116 || b[i + 4] !== 32) return null // `host `
  const appStart = i + 5
  const appEnd = spaceIn(b, appStart, end)
  if (appEnd === appStart || appEnd === end) return null
  const procStart = appEnd + 1
  const procEnd = spaceIn(b, procStart, end)
  // MSGID `-`, then the message (or nothing).
  if (procEnd === procStart || procEnd + 1 >= end || b[procEnd + 1] !== 45) return null
  let msgStart: number
  if (procEnd + 2 === end) msgStart = end
  else if (b[procEnd + 2] === 32) msgStart = procEnd + 3
  else return null
  const source = token(s, appStart, appEnd)
  const proc = procEnd - procStart === 1 && b[procStart] === 45 ? '' : token(s, procStart, procEnd)
  return { kind: 'header', pri, tsMicros, source, proc, layout: 'logplex', msgStart }
}

/**
 * Parse the header of the message `s[start..end)` (default: all of `s`).
 * PRI must be RFC 5424 §6.2.1 range 0–191; the timestamp may be `-`.
 * `bytes`, when given, hold `s` one byte per character (a body and its latin1 decoding, so string
 * offsets are byte offsets): the usual Logplex header is then read from them, which is faster.
 */
export function parseSyslogHeader(s: string, start = 0, end = s.length, bytes?: Uint8Array): SyslogHeader | HeaderError {
  if (bytes !== undefined) {
    const h = logplexHeader(s, bytes, start, end)
    if (h !== null) return h
  }
  let i = start
  if (s.charCodeAt(i) !== 60) return bad('no <PRI>')
  i++
  let pri = 0
  let d = 0
  while (i < end) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) break
    pri = pri * 10 + c
    i++
    d++
  }
  if (d === 0 || d > 3 || s.charCodeAt(i) !== 62 || pri > 191) return bad('bad <PRI>')
  i++
  let v = 0
  while (i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) { i++; v++ }
  if (v === 0 || v > 2 || s.charCodeAt(i) !== 32) return bad('bad VERSION')
  i++
  const tsEnd = nextSpace(s, i, end)
  if (tsEnd === end) return bad('header ends after TIMESTAMP')
  const tsMicros = eq(s, i, tsEnd, '-') ? NaN : parseTimestampMicros(s, i, tsEnd)
  const hostStart = tsEnd + 1
  const hostEnd = nextSpace(s, hostStart, end)
  if (hostEnd === end) return bad('header ends after HOSTNAME')
  const appStart = hostEnd + 1
  const appEnd = nextSpace(s, appStart, end)
  if (appEnd === end) return bad('header ends after APP-NAME')
  const procStart = appEnd + 1
  const procEnd = nextSpace(s, procStart, end)
  if (hostEnd === hostStart || appEnd === appStart || procEnd === procStart) return bad('empty header field')
  // MSGID is always `-` (logplex_http_drain `rfc5424/1`). When it is not, PROCID was missing
  // (hand-built frames) and the "MSGID" is already the message.
  let msgStart: number
  if (procEnd === end) {
    msgStart = end
  } else if (s.charCodeAt(procEnd + 1) === 45 && (procEnd + 2 === end || s.charCodeAt(procEnd + 2) === 32)) {
    msgStart = procEnd + 2 === end ? end : procEnd + 3
  } else {
    msgStart = procEnd + 1
  }
  let layout: HeaderLayout
  let source: string
  let proc: string
  const isHost = eq(s, hostStart, hostEnd, 'host')
  if (!isHost && s.startsWith('d.', procStart)) {
    layout = 'legacy'
    source = s.slice(hostStart, hostEnd)
    proc = s.slice(appStart, appEnd)
  } else {
    layout = isHost ? 'logplex' : 'syslog'
    source = token(s, appStart, appEnd)
    proc = eq(s, procStart, procEnd, '-') ? '' : token(s, procStart, procEnd)
    // Syslog drains keep the SD NILVALUE; HTTPS drains never have one, so only strip it there.
    if (layout === 'syslog' && s.charCodeAt(msgStart) === 45 && (msgStart + 1 === end || s.charCodeAt(msgStart + 1) === 32)) {
      msgStart = msgStart + 1 === end ? end : msgStart + 2
    }
  }
  return { kind: 'header', pri, tsMicros, source, proc, layout, msgStart }
}
