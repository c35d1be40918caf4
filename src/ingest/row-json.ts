/**
 * The JSONEachRow line writer for `events` rows: the known columns written directly, strings and
 * attrs quoted by V8's native JSON.stringify (measured faster than a hand-written escaper and
 * than JSON.stringify of a whole row object; bench/ingest.bench.ts reports both), timestamps
 * formatted once per second. JSONEachRow rather than TSV: the `attrs` JSON column takes a nested object as is, and the
 * same bytes work over HTTP to a ClickHouse server (`INSERT … FORMAT JSONEachRow`).
 */
import { PROMOTED_COLUMN_OF, type Attrs, type EventRow } from '../model/index.js'

/** A JSON string literal for `s` (V8's native string quoting beats any hand-written escaper). */
export const jsonString = (s: string): string => JSON.stringify(s)

/** Memo of the `YYYY-MM-DD hh:mm:ss` text of one whole second, one slot per column. */
class SecondText {
  #sec = -1
  #text = ''
  /** `"YYYY-MM-DD hh:mm:ss.ffffff"` (UTC) for epoch microseconds. */
  format(micros: number): string {
    const m = micros > 0 ? Math.min(Math.trunc(micros), 9e15) : 0 // 2255: below DateTime64's max and 2^53
    const sec = Math.floor(m / 1e6)
    if (sec !== this.#sec) {
      const iso = new Date(sec * 1000).toISOString()
      this.#sec = sec
      this.#text = `"${iso.slice(0, 10)} ${iso.slice(11, 19)}.`
    }
    return `${this.#text}${String(m - sec * 1e6).padStart(6, '0')}"`
  }
}
const tsText = new SecondText()
const receivedText = new SecondText()

/**
 * Epoch microseconds as a DateTime64(6) text value `"YYYY-MM-DD hh:mm:ss.ffffff"` (UTC). A date,
 * not `seconds.micros`: the store runs with date_time_input_format=best_effort, which reads short
 * digit strings as dates.
 */
export function dateTime64(micros: number): string {
  return tsText.format(micros)
}

const nullableString = (s: string | null) => (s === null ? 'null' : JSON.stringify(s))

/**
 * `attrs` of a router row: its `router.*` values go to their own columns (see PROMOTED_COLUMNS),
 * anything else stays in `attrs`. Returns the column members (`,"router_status":503…`) and the
 * attrs JSON.
 */
function splitPromoted(attrs: Attrs): string {
  let cols = ''
  let rest: Attrs | undefined
  for (const key in attrs) {
    const column = PROMOTED_COLUMN_OF.get(key)
    const v = attrs[key]!
    if (column !== undefined) {
      cols += `,"${column}":${typeof v === 'number' && !Number.isFinite(v) ? 'null' : JSON.stringify(v)}`
    } else {
      ;(rest ??= {})[key] = v
    }
  }
  return `${cols},"attrs":${rest ? JSON.stringify(rest) : '{}'}`
}

/**
 * One `events` row as a JSONEachRow line, newline included. `attrs` goes through JSON.stringify
 * as is: dotted keys are JSON paths to ClickHouse, nulls mean "absent", non-finite numbers become
 * null. Router rows' fields go to their promoted columns instead.
 */
export function rowJson(r: EventRow): string {
  return (
    `{"project_id":${JSON.stringify(r.projectId)},"ts":${tsText.format(r.tsMicros)},` +
    `"received_ts":${receivedText.format(r.receivedMicros)},"id":"${r.id}",` +
    `"environment":${JSON.stringify(r.environment)},"app":${JSON.stringify(r.app)},` +
    `"source":${JSON.stringify(r.source)},"proc":${JSON.stringify(r.proc)},"proc_type":${JSON.stringify(r.procType)},` +
    `"event_type":"${r.eventType}","level":${r.level === null ? 'null' : `"${r.level}"`},` +
    `"error_code":${nullableString(r.errorCode)},"request_id":${nullableString(r.requestId)},` +
    `"message":${JSON.stringify(r.message)},"size":${r.size >>> 0},"drain":${JSON.stringify(r.drain)},` +
    `"frame_id":${JSON.stringify(r.frameId)},"retention_days":${r.retentionDays & 0xffff},` +
    (r.eventType === 'router' ? `${splitPromoted(r.attrs).slice(1)}}\n` : `"attrs":${JSON.stringify(r.attrs)}}\n`)
  )
}
