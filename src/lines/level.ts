/**
 * Severity from content, never from the syslog PRI (HEROKU-FORMATS.md trip-up 5: `<40>` is
 * "emergency" on benign state changes). Sources, in order: a JSON/logfmt level key (incl. pino/bunyan
 * numbers), Rails' `I, [ts #pid]  INFO -- :`, Python/gunicorn `[INFO]`, then a level word.
 */
import type { Level } from '../model/index.js'

/**
 * Keys whose value is a level (lower-cased comparison). `at` is the Heroku/l2met logfmt habit
 * (`at=info`, rack-timeout); its value counts only when it is a level word.
 */
export const LEVEL_KEYS: ReadonlySet<string> = new Set(['at', 'level', 'severity', 'lvl', 'loglevel', 'log_level', 'levelname', 'log.level', 'severity_text'])

const WORDS: ReadonlyMap<string, Level> = new Map(Object.entries({
  trace: 'debug', debug: 'debug', verbose: 'debug', dbg: 'debug', fine: 'debug', finer: 'debug', finest: 'debug',
  info: 'info', information: 'info', informational: 'info', notice: 'info', log: 'info', i: 'info',
  warn: 'warn', warning: 'warn', w: 'warn',
  error: 'error', err: 'error', e: 'error', severe: 'error',
  fatal: 'fatal', critical: 'fatal', crit: 'fatal', panic: 'fatal', emerg: 'fatal', emergency: 'fatal', alert: 'fatal', f: 'fatal',
  d: 'debug',
} as const))

/** Level of a level key's value: a word (any case) or a pino/bunyan number (10 trace … 60 fatal). */
export function levelOfValue(v: unknown): Level | null {
  if (typeof v === 'number') {
    if (v >= 60) return 'fatal'
    if (v >= 50) return 'error'
    if (v >= 40) return 'warn'
    if (v >= 30) return 'info'
    return 'debug'
  }
  if (typeof v === 'string') {
    const w = WORDS.get(v.toLowerCase())
    if (w !== undefined) return w
    if (/^\d+$/.test(v)) return levelOfValue(Number(v))
  }
  return null
}

/** Rails Logger: `I, [2023-07-17T04:20:44.263473 #2]  INFO -- : …`. */
const RAILS = /^[DIWEFAU], \[[^\]]*\] +(DEBUG|INFO|WARN|ERROR|FATAL|ANY|UNKNOWN) -- /
/** A level word in upper case, bracketed (`[INFO]`) or bare (`ERROR SignalException`), or Postgres `LOG:`. */
const WORD = /(?:^|[\s[(|:])(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|CRIT|PANIC|SEVERE|EMERG)(?=$|[\s\]):|,])|(?:^|\s)LOG:/
/** Exceptions and tracebacks: `Error: connect ECONNREFUSED`, `Foo::BarError (…)`, `Traceback (most recent call last):`. */
const EXCEPTION = /(?:^|[\s:[])(?:[A-Z][A-Za-z0-9]*)?(?:Error|Exception)(?::|\s\()|^Traceback \(most recent call last\)/

/** Level from the text of a plain line, or null when nothing says. */
export function levelOfText(s: string): Level | null {
  const r = RAILS.exec(s)
  if (r) return r[1] === 'ANY' || r[1] === 'UNKNOWN' ? null : levelOfValue(r[1])
  const w = WORD.exec(s)
  if (w) return w[1] === undefined ? 'info' : levelOfValue(w[1])
  if (EXCEPTION.test(s)) return 'error'
  return null
}
