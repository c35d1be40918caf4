/**
 * One line of `heroku logs` output (`logplex_utils:format/4`: `TIME SOURCE[PS]: CONTENT`) and
 * the other shapes saved logs come in, for `sluice import` and the corpus tests:
 * - `2019-12-11T16:17:53.786555+00:00 heroku[router]: at=info …` (also without fraction or offset, `hk log`);
 * - drain form without octet count `<158>1 TS host heroku router - …` (or with one: `271 <158>1 …`);
 * - syslog-drain form without PRI `TS d.<token> heroku logplex - - …`;
 * - Papertrail `May 16 13:20:38 <system> heroku/router: …` (no year: `opts.year`, default this year);
 * - Logentries `2015-10-14 17:47:27.564 295 <158>1 …` (their receive time, then the frame);
 * - anything else: the whole line is the message, source and proc ''.
 */
import type { ParsedEvent } from '../model/index.js'
import { parseSyslogHeader, parseTimestampMicros } from '../logplex/index.js'
import { classifyAndParse } from './classify.js'
import type { LineOptions } from './event.js'

/** Which shape a line had. */
export type LineForm = 'heroku-logs' | 'syslog' | 'syslog-no-pri' | 'papertrail' | 'message-only'

/** A line split into header parts. `tsMicros` is NaN when the line carries no usable time. */
export interface SplitLine {
  readonly form: LineForm
  readonly tsMicros: number
  readonly source: string
  readonly proc: string
  readonly message: string
}

/** Options for {@link parseHerokuLogsLine}. */
export interface HerokuLogsLineOptions extends Partial<LineOptions> {
  /** Year for Papertrail lines, which have none (default: the current UTC year). */
  readonly year?: number
  /** Time for lines without one (default: now). */
  readonly fallbackMicros?: number
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const PAPERTRAIL = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) \S+ ([\w.-]+)\/([\w.-]+): ?/
const SOURCE_PROC = /^([\w.-]+)\[([^\]\s]*)\]:(?: |$)/
const LOGENTRIES = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? (?=(?:\d+ )?<\d{1,3}>)/

/** Split a line into its parts (no classification). Never throws. */
export function splitHerokuLogsLine(line: string, year = new Date().getUTCFullYear()): SplitLine {
  let s = line.endsWith('\r') ? line.slice(0, -1) : line
  const le = LOGENTRIES.exec(s)
  if (le) s = s.slice(le[0].length)
  const oc = /^\d{1,10} (?=<\d{1,3}>)/.exec(s)
  if (oc) s = s.slice(oc[0].length)
  if (s.charCodeAt(0) === 60) {
    const h = parseSyslogHeader(s)
    if (h.kind === 'header') return { form: 'syslog', tsMicros: h.tsMicros, source: h.source, proc: h.proc, message: s.slice(h.msgStart) }
  }
  const sp = s.indexOf(' ')
  if (sp >= 19 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 84) {
    const ts = parseTimestampMicros(s, 0, sp, true)
    if (!Number.isNaN(ts)) {
      const rest = s.slice(sp + 1)
      const m = SOURCE_PROC.exec(rest)
      if (m) return { form: 'heroku-logs', tsMicros: ts, source: m[1]!, proc: m[2]!, message: rest.slice(m[0].length) }
      if (rest.startsWith('d.')) {
        const f = rest.split(' ')
        if (f.length >= 4) {
          let k = 3
          if (f[k] === '-') k++
          if (f[k] === '-') k++
          return { form: 'syslog-no-pri', tsMicros: ts, source: f[1]!, proc: f[2] === '-' ? '' : f[2]!, message: f.slice(k).join(' ') }
        }
      }
      return { form: 'message-only', tsMicros: ts, source: '', proc: '', message: rest }
    }
  }
  const p = PAPERTRAIL.exec(s)
  if (p) {
    const mon = MONTHS.indexOf(p[1]!) + 1
    const iso = `${year}-${String(mon).padStart(2, '0')}-${p[2]!.padStart(2, '0')}T${p[3]}:${p[4]}:${p[5]}Z`
    return { form: 'papertrail', tsMicros: mon === 0 ? NaN : parseTimestampMicros(iso, 0, iso.length), source: p[6]!, proc: p[7]!, message: s.slice(p[0].length) }
  }
  return { form: 'message-only', tsMicros: NaN, source: '', proc: '', message: s }
}

/** Parse one saved log line into an event. Never throws. */
export function parseHerokuLogsLine(line: string, opts: HerokuLogsLineOptions = {}): ParsedEvent {
  const l = splitHerokuLogsLine(line, opts.year)
  const ts = Number.isNaN(l.tsMicros) ? (opts.fallbackMicros ?? Date.now() * 1000) : l.tsMicros
  return classifyAndParse(l.source, l.proc, l.message, ts, Buffer.byteLength(l.message), { redact: opts.redact ?? true })
}
