/**
 * "Log one named event" for input problems (STYLE.md rule 7) without flooding the log: the first
 * occurrence of a code is logged, later ones within `intervalMs` are only counted and reported
 * with the next line logged for that code.
 */
import type { IngestLogger } from './deps.js'

/** Rate-limited warn logging keyed by event name. */
export class LogOnce {
  readonly #last = new Map<string, { at: number; suppressed: number }>()
  constructor(readonly logger: IngestLogger, readonly intervalMs = 60_000, readonly now: () => number = Date.now) {}

  /** Log `fields` under `event` unless that event was logged within the interval. */
  warn(event: string, fields: object, msg: string): void {
    const now = this.now()
    const s = this.#last.get(event)
    if (s && now - s.at < this.intervalMs) {
      s.suppressed++
      return
    }
    this.logger.warn({ event, ...fields, ...(s?.suppressed ? { suppressed: s.suppressed } : {}) }, msg)
    this.#last.set(event, { at: now, suppressed: 0 })
  }
}
