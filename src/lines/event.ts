/** The one place a {@link ParsedEvent} literal is built, so every event has the same shape. */
import type { Attrs, EventType, Level, ParsedEvent } from '../model/index.js'

/** Options every per-kind parser receives (built once per body by the caller). */
export interface LineOptions {
  /** Redact secrets in app lines (DESIGN.md "Promises"); default true. */
  readonly redact: boolean
}

/** Default line options. */
export const DEFAULT_LINE_OPTIONS: LineOptions = { redact: true }

/**
 * A per-kind parser. Positional arguments (no context object) because it runs once per line on
 * the ingest hot path.
 */
export type LineParser = (
  msg: string, tsMicros: number, source: string, proc: string, procType: string, size: number, opts: LineOptions,
) => ParsedEvent

/** Build an event (fixed property order keeps one hidden class). */
export function makeEvent(
  tsMicros: number, source: string, proc: string, procType: string, eventType: EventType,
  level: Level | null, errorCode: string | null, requestId: string | null, message: string, size: number, attrs: Attrs,
): ParsedEvent {
  return { tsMicros, source, proc, procType, eventType, level, errorCode, requestId, message, size, attrs }
}
