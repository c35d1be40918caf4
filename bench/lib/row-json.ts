/**
 * The previous insert format, kept for the ingest bench's format comparison only (the writer
 * inserts Native blocks, src/ingest/native.ts). The row-line writer for `events` rows
 * (JSONCompactEachRow): the known columns written directly,
 * strings and attrs quoted by V8's native JSON.stringify (measured faster than a hand-written
 * escaper and than JSON.stringify of a whole row object; bench/ingest.bench.ts reports both),
 * timestamps formatted once per second. JSON rather than TSV: the `attrs` JSON column takes a
 * nested object as is, and the same bytes work over HTTP to a ClickHouse server.
 */
import { PROMOTED_COLUMNS, type Attrs, type EventRow } from '../../src/model/index.js'

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

/** The `events` columns a row line carries, in order (the INSERT names them). */
export const ROW_COLUMNS: readonly string[] = [
  'project_id', 'environment', 'app', 'drain', 'frame_id', 'retention_days', 'received_ts',
  'ts', 'id', 'source', 'proc', 'proc_type', 'event_type', 'level', 'error_code', 'request_id', 'message', 'size',
  ...PROMOTED_COLUMNS.map((c) => c.column), 'attrs',
]

/**
 * The INSERT for row lines. JSONCompactEachRow (arrays, no key names) rather than JSONEachRow:
 * a router row is ~640 bytes instead of ~1,000, and the engine's parsing cost follows the bytes
 * (measured: ~30% less engine CPU per row). Parsed on several threads: a batch (~10 MB) is below
 * the 10 MiB default chunk, which would parse it on one thread (+10–30% inserts/s on 2 cores).
 */
export const INSERT_ROWS_SQL =
  `INSERT INTO events (${ROW_COLUMNS.join(', ')}) SETTINGS min_chunk_bytes_for_parallel_parsing = 1048576 FORMAT JSONCompactEachRow`

const PROMOTED_INDEX = new Map(PROMOTED_COLUMNS.map((c, i) => [c.name, i]))
/** The promoted columns of a row that has none of them. */
const NO_PROMOTED = ',null'.repeat(PROMOTED_COLUMNS.length)

const jsonValue = (v: unknown): string => (typeof v === 'number' && !Number.isFinite(v) ? 'null' : JSON.stringify(v))

/**
 * The promoted columns and `attrs` of a row: router fields go to their own columns (see
 * PROMOTED_COLUMNS), anything else stays in `attrs`. Returns `,v1,…,vN,{attrs}`.
 */
function promotedAndAttrs(r: EventRow): string {
  if (r.eventType !== 'router') return `${NO_PROMOTED},${JSON.stringify(r.attrs)}`
  let values: string[] | undefined
  let rest: Attrs | undefined
  for (const key in r.attrs) {
    const i = PROMOTED_INDEX.get(key)
    const v = r.attrs[key]!
    if (i !== undefined) (values ??= new Array<string>(PROMOTED_COLUMNS.length).fill('null'))[i] = jsonValue(v)
    else (rest ??= {})[key] = v
  }
  return `${values ? `,${values.join(',')}` : NO_PROMOTED},${rest ? JSON.stringify(rest) : '{}'}`
}

/**
 * One `events` row as a JSONCompactEachRow line in {@link ROW_COLUMNS} order, newline included.
 * `attrs` goes through JSON.stringify as is: dotted keys are JSON paths to ClickHouse, nulls mean
 * "absent", non-finite numbers become null.
 */
export function rowJson(r: EventRow): string {
  return (
    `[${JSON.stringify(r.projectId)},${JSON.stringify(r.environment)},${JSON.stringify(r.app)},${JSON.stringify(r.drain)},` +
    `${JSON.stringify(r.frameId)},${r.retentionDays & 0xffff},${receivedText.format(r.receivedMicros)},` +
    `${tsText.format(r.tsMicros)},"${r.id}",${JSON.stringify(r.source)},${JSON.stringify(r.proc)},${JSON.stringify(r.procType)},` +
    `"${r.eventType}",${r.level === null ? 'null' : `"${r.level}"`},${nullableString(r.errorCode)},` +
    `${nullableString(r.requestId)},${JSON.stringify(r.message)},${r.size >>> 0}${promotedAndAttrs(r)}]\n`
  )
}
