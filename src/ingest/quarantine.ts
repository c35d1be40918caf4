/**
 * The last resort for rows the engine refuses. `native.ts` writes `attrs` so that every JSON
 * value a sender can send is accepted (test/ingest/json-values.test.ts), but should a value still
 * slip through, the INSERT of its request fails with a data error, and retrying would fail the
 * same way forever (a Logplex drain retries a 503 until its buffer overflows and every later line
 * of the app is dropped). So the routes store such a request once more with each row's `attrs`
 * kept as one JSON string under `_rejected_attrs`: typed columns and `message` as parsed, the
 * structured fields still readable (`json(_rejected_attrs, "user.id")` in a query), nothing lost.
 */
import type { Attrs, EventRow } from '../model/index.js'
import { IngestError } from './errors.js'
import type { LogOnce } from './log-once.js'
import type { IngestMetrics } from './metrics.js'
import type { Writer } from './writer.js'

/** The attrs key that holds refused attrs as JSON text. */
const REJECTED_ATTRS = '_rejected_attrs'

/**
 * The same rows, each with its attrs as one JSON string (JSON.stringify writes a lone surrogate
 * as a `\ud800` escape, so the text is always well-formed).
 */
export function quarantineAttrs<T extends { readonly attrs: Attrs }>(rows: readonly T[]): T[] {
  return rows.map((r) => (Object.keys(r.attrs).length === 0 ? r : { ...r, attrs: { [REJECTED_ATTRS]: JSON.stringify(r.attrs) } }))
}

/** Is `e` the writer's "the engine refused these rows" error? */
export function isRejectedByStore(e: unknown): e is IngestError {
  return e instanceof IngestError && e.code === 'rejected_by_store'
}

/** Count and log (at most once a minute) a request stored with quarantined attrs. */
export function noteQuarantine(core: { readonly metrics: IngestMetrics; readonly logOnce: LogOnce }, e: IngestError, where: string, rows: number): void {
  core.metrics.linesQuarantined.inc(rows)
  core.logOnce.warn('ingest.rows_quarantined', { where, rows, reason: e.details['reason'] }, 'the store refused rows; stored them again with attrs as JSON text')
}

/**
 * Write rows (custom events, a notice); if the engine refuses them as they are, write them again
 * quarantined. A drain request holds only an encoded block, so drain.ts re-parses it instead.
 */
export async function writeOrQuarantine(core: { readonly writer: Writer; readonly metrics: IngestMetrics; readonly logOnce: LogOnce }, rows: readonly EventRow[], where: string): Promise<void> {
  try {
    await core.writer.write(rows)
  } catch (e) {
    if (!isRejectedByStore(e)) throw e
    await core.writer.write(quarantineAttrs(rows))
    noteQuarantine(core, e, where, rows.length)
  }
}
