/**
 * Dyno manager lines (`heroku[web.1]`, `heroku[run.3]`, `heroku[scheduler.8715]`…): the exact
 * phrasings of HEROKU-FORMATS.md §3 (state changes, starting/exited/stopping, signals,
 * restarting/cycling/idling, `Process running mem=…(…%)`, `Error Rnn (…) -> …`).
 * Matched with startsWith on the first word: these are a few percent of traffic.
 */
import type { Attrs, Level } from '../model/index.js'
import { makeEvent, type LineParser } from './event.js'
import { parsePlatformError } from './platform-error.js'

const STATE_CHANGED = 'State changed from '
const STARTING = 'Starting process with command'
const EXITED = 'Process exited'
const STOPPING = /^Stopping (?:all |remaining )?process(?:es)? with (SIG[A-Z0-9]+)/
const MEMORY = /^Process running mem=([\d.]+)(M|MB|G|GB)\(([\d.]+)%\)/
const SIGNAL = /Sending (SIG[A-Z0-9]+)/
const SINGLE_WORD: ReadonlyMap<string, string> = new Map([
  ['Restarting', 'restarting'], ['Cycling', 'cycling'], ['Idling', 'idling'], ['Unidling', 'unidling'],
  ['Awaiting client', 'awaiting_client'],
])

/** Command between backticks (or after `command:`), without the backticks. */
export function commandOf(s: string, from: number): string {
  const open = s.indexOf('`', from)
  if (open !== -1) {
    const close = s.indexOf('`', open + 1)
    return s.slice(open + 1, close === -1 ? s.length : close)
  }
  let i = from
  if (s.charCodeAt(i) === 58) i++
  return s.slice(i).trim()
}

/** Parse a dyno manager message into a `dyno` event (`dyno.event` = `other` when unrecognised). */
export const parseDyno: LineParser = (msg, tsMicros, source, proc, procType, size) => {
  const attrs: Attrs = {}
  let level: Level | null = 'info'
  let code: string | null = null
  const m = msg.trim()
  if (m.startsWith(STATE_CHANGED)) {
    const rest = m.slice(STATE_CHANGED.length)
    const to = rest.indexOf(' to ')
    attrs['dyno.event'] = 'state_change'
    attrs['dyno.state_from'] = to === -1 ? rest : rest.slice(0, to)
    attrs['dyno.state_to'] = to === -1 ? null : rest.slice(to + 4)
    if (attrs['dyno.state_to'] === 'crashed') level = 'error'
  } else if (m.startsWith(STARTING)) {
    attrs['dyno.event'] = 'starting'
    attrs['dyno.command'] = commandOf(m, STARTING.length)
  } else if (m.startsWith(EXITED)) {
    attrs['dyno.event'] = 'exited'
    const k = m.indexOf('status ')
    if (k !== -1) {
      const st = Number.parseInt(m.slice(k + 7), 10)
      if (Number.isFinite(st)) {
        attrs['dyno.exit_status'] = st
        // 0 is a clean exit and 143 the SIGTERM of a normal stop; anything else is worth a look.
        if (st !== 0 && st !== 143) level = 'warn'
      }
    }
  } else if (m.startsWith('Stopping ')) {
    attrs['dyno.event'] = 'stopping'
    const s = STOPPING.exec(m)
    if (s) attrs['dyno.signal'] = s[1]!
    if (s && s[1] === 'SIGKILL') level = 'warn'
  } else if (m.startsWith('Process running mem=')) {
    attrs['dyno.event'] = 'memory'
    const mm = MEMORY.exec(m)
    if (mm) {
      const g = mm[2] === 'G' || mm[2] === 'GB'
      attrs['dyno.memory_mb'] = Number(mm[1]) * (g ? 1024 : 1)
      attrs['dyno.memory_pct'] = Number(mm[3])
      if (Number(mm[3]) > 100) level = 'warn'
    }
  } else if (m.startsWith('Error ')) {
    const pe = parsePlatformError(m, 0)
    attrs['dyno.event'] = 'error'
    if (pe) {
      code = pe.code
      attrs['dyno.error_desc'] = pe.desc
    }
    level = 'error'
  } else if (SINGLE_WORD.has(m)) {
    attrs['dyno.event'] = SINGLE_WORD.get(m)!
  } else if (m.startsWith('Client connection closed')) {
    attrs['dyno.event'] = 'signal'
    const s = SIGNAL.exec(m)
    if (s) attrs['dyno.signal'] = s[1]!
  } else {
    attrs['dyno.event'] = 'other'
    level = null
  }
  return makeEvent(tsMicros, source, proc, procType, 'dyno', level, code, null, msg, size, attrs)
}
