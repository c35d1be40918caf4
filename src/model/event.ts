/**
 * The event model shared by parsers, the writer and the query language (DESIGN.md "Event model").
 * Field names are a contract: see ./fields.ts for the full reference.
 */

/** Every `event_type` value. Adding one must break the build until every switch handles it. */
export const EVENT_TYPES = [
  'router', 'app', 'dyno', 'api', 'runtime_metrics', 'postgres_metrics', 'redis_metrics',
  'pgbouncer_metrics', 'logplex', 'event', 'notice', 'unparsed',
] as const

/** Kind of event; `unparsed` marks a frame that did not parse (stored raw, counted). */
export type EventType = (typeof EVENT_TYPES)[number]

/** Severity inferred from content (never from the syslog PRI). */
export const LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'] as const
/** One of {@link LEVELS}. */
export type Level = (typeof LEVELS)[number]

/** Flat map of attribute paths (`router.status`, `user.id`) to JSON-able scalar values. */
export type Attrs = Record<string, string | number | boolean | null>

/**
 * What the parsers produce for one message: everything but the request context
 * (project, environment, app, drain, frame id, received time), which the drain route adds.
 */
export interface ParsedEvent {
  /** Event time, epoch microseconds UTC (exact up to year 2255 in a double). */
  readonly tsMicros: number
  readonly source: string
  readonly proc: string
  readonly procType: string
  readonly eventType: EventType
  readonly level: Level | null
  readonly errorCode: string | null
  readonly requestId: string | null
  /** Message text after the syslog header (app lines: with secrets redacted). */
  readonly message: string
  /** Bytes of the raw message as received. */
  readonly size: number
  /** Parsed fields keyed by dot path; typed paths must match ./fields.ts. */
  readonly attrs: Attrs
}

/** A row of the `events` table, as the writer serialises it. */
export interface EventRow extends ParsedEvent {
  readonly projectId: string
  readonly environment: string
  readonly app: string
  /** Drain token (`d.<uuid>`) or '' when Logplex sent none. */
  readonly drain: string
  /** Logplex-Frame-Id or '' when none. */
  readonly frameId: string
  /** Event id: a UUID string. */
  readonly id: string
  readonly receivedMicros: number
  readonly retentionDays: number
}
