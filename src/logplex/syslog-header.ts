/**
 * The syslog header of a Logplex frame. Three layouts occur (HEROKU-FORMATS.md §1.2):
 * - HTTPS drain (`logplex_syslog_utils:rfc5424/8`): `<PRI>1 TS host APP PROC - MSG` — NO
 *   structured-data field, not even a NILVALUE ("application/logplex-1 does not follow RFC5424
 *   exactly", Logplex README.http_drains.md). A message starting with `[` or `-` is message text.
 * - Labs-era legacy (2012): `<PRI>1 TS heroku web.3 d.<token> - MSG` (fields shifted).
 * - Syslog drains (`to_msg/2`): `<PRI>1 TS d.<token> APP PROC - - MSG` (SD NILVALUE present).
 * Works on offsets into one string so the hot path slices only what it keeps.
 */
import { parseTimestampMicros } from './timestamp.js'

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

// Last APP-NAME / PROCID seen: reused instead of sliced again when the next frame repeats them
// (bodies are runs of `heroku router`, `app web.1`…), which saves two allocations per frame.
let lastSource = ''
let lastProc = ''

/** `s[a..b)` as a string, reusing `last` when it is the same text. */
function token(s: string, a: number, b: number, last: string): string {
  return b - a === last.length && s.startsWith(last, a) ? last : s.slice(a, b)
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

/**
 * Parse the header of the message `s[start..end)` (default: all of `s`).
 * PRI must be RFC 5424 §6.2.1 range 0–191; the timestamp may be `-`.
 */
export function parseSyslogHeader(s: string, start = 0, end = s.length): SyslogHeader | HeaderError {
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
    source = lastSource = token(s, appStart, appEnd, lastSource)
    proc = eq(s, procStart, procEnd, '-') ? '' : (lastProc = token(s, procStart, procEnd, lastProc))
    // Syslog drains keep the SD NILVALUE; HTTPS drains never have one, so only strip it there.
    if (layout === 'syslog' && s.charCodeAt(msgStart) === 45 && (msgStart + 1 === end || s.charCodeAt(msgStart + 1) === 32)) {
      msgStart = msgStart + 1 === end ? end : msgStart + 2
    }
  }
  return { kind: 'header', pri, tsMicros, source, proc, layout, msgStart }
}
