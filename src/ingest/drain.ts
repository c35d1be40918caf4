/**
 * One Logplex drain request, from body to committed rows: parse, count, rate-limit, give every
 * event its deterministic id, skip what a previous attempt of the same frame already stored, and
 * wait for the group commit. Never rejects a body for its content: bad frames are stored raw
 * (`unparsed`), a Msg-Count mismatch is counted and logged (HEROKU-FORMATS.md §1.4: a 400 would
 * make Logplex drop the frame for good).
 */
import type { ClickHouseClient } from '@clickhouse/client'
import type { EventRow, ParsedEvent } from '../model/index.js'
import { parseLogplexBody } from '../logplex/index.js'
import type { IngestConfig } from './config.js'
import type { IngestPrincipal } from './deps.js'
import { IngestError } from './errors.js'
import { frameEventId, framePrefix, randomEventId } from './event-id.js'
import { frameKey, storedFrameIds, type FrameWindow } from './frame-window.js'
import type { LogOnce } from './log-once.js'
import type { IngestMetrics } from './metrics.js'
import type { RateLimiter } from './rate-limiter.js'
import type { Writer } from './writer.js'

/** What the drain path shares across requests. */
export interface DrainCore {
  readonly client: ClickHouseClient
  readonly writer: Writer
  readonly window: FrameWindow
  readonly limiter: RateLimiter
  readonly metrics: IngestMetrics
  readonly logOnce: LogOnce
  readonly config: IngestConfig
}

/** One drain POST, as the route read it. */
export interface DrainRequest {
  readonly principal: IngestPrincipal
  readonly environment: string
  readonly app: string
  /** Logplex-Drain-Token, or '' when absent. */
  readonly drain: string
  /** Logplex-Frame-Id, or '' when absent (then no retry dedup is possible). */
  readonly frameId: string
  /** Logplex-Msg-Count, or null when absent or not a number. */
  readonly msgCount: number | null
  readonly body: Buffer
}

/** What happened to a request's lines. */
export interface DrainResult {
  readonly lines: number
  readonly stored: number
  readonly duplicates: number
}

/** Ingest one drain request; resolves after commit. Throws IngestError (429/503). */
export async function ingestDrain(core: DrainCore, req: DrainRequest): Promise<DrainResult> {
  const { metrics, writer } = core
  const wait = writer.storeRetryAfter()
  if (wait > 0) throw new IngestError('store_unavailable', 'the event store is unavailable; retry later', wait)
  // Over the bound already: answer before spending the parse on a request the queue would refuse.
  if (writer.full()) throw new IngestError('queue_full', 'ingest queue is full; retry later', core.config.queueFullRetryAfterSeconds)

  const receivedMicros = Date.now() * 1000
  const parsed = parseLogplexBody(req.body, { redact: core.config.redact, receivedMicros })
  const events = parsed.events
  observe(core, req, parsed.frames, events)

  const rate = core.limiter.take(req.principal.projectId, events.length)
  if (!rate.ok) throw new IngestError('rate_limited', 'too many lines for this project; retry later', rate.retryAfterSeconds)

  const rows = toRows(req, events, receivedMicros)
  if (!req.frameId) {
    const lines = rows.length
    return writer.write(rows).then(() => ({ lines, stored: lines, duplicates: 0 }))
  }
  return writeFrame(core, req, rows)
}

/** Write a frame's rows once: wait for an attempt in flight, then skip ids already stored. */
async function writeFrame(core: DrainCore, req: DrainRequest, rows: readonly EventRow[]): Promise<DrainResult> {
  const { window } = core
  const key = frameKey(req.principal.projectId, req.drain, req.frameId)
  for (let other = window.inflight(key); other; other = window.inflight(key)) await other.catch(() => {})
  let settle!: (ok: boolean) => void
  window.claim(key, new Promise<void>((resolve, reject) => { settle = (ok) => (ok ? resolve() : reject(new Error('attempt failed'))) }))
  try {
    const lines = rows.length
    let todo = rows
    if (window.seen(key)) {
      core.metrics.framesDeduplicated.inc()
      const stored = await storedFrameIds(core.client, req.principal.projectId, req.drain, req.frameId)
      todo = rows.filter((r) => !stored.has(r.id))
      core.metrics.linesDeduplicated.inc(lines - todo.length)
    }
    const count = todo.length
    // Seen from now on, even if the insert fails: it may have committed part of the rows.
    window.markSeen(key)
    // Not awaited with the rows in scope: rows held across the commit wait (~0.2 s at 50
    // connections) outlive two scavenges and get promoted, and old-space GC was a quarter of the
    // server's CPU (measured per thread; see docs/ingest.md).
    const committed = core.writer.write(todo)
    todo = rows = []
    await committed
    settle(true)
    return { lines, stored: count, duplicates: lines - count }
  } catch (e) {
    settle(false)
    throw e
  }
}

function toRows(req: DrainRequest, events: readonly ParsedEvent[], receivedMicros: number): EventRow[] {
  const { projectId, retentionDays } = req.principal
  const prefix = req.frameId ? framePrefix(projectId, req.drain, req.frameId) : null
  const n = events.length
  const rows = new Array<EventRow>(n)
  for (let i = 0; i < n; i++) {
    const e = events[i]!
    // One object literal with a fixed key order, not `{...e, …}`: a spread of parser events of
    // several shapes went through V8's slow path and, with the GC it caused, was a third of the
    // main thread at 50 connections (CPU profile of the ingest bench).
    rows[i] = {
      tsMicros: e.tsMicros, source: e.source, proc: e.proc, procType: e.procType, eventType: e.eventType,
      level: e.level, errorCode: e.errorCode, requestId: e.requestId, message: e.message, size: e.size, attrs: e.attrs,
      projectId, environment: req.environment, app: req.app, drain: req.drain, frameId: req.frameId,
      id: prefix ? frameEventId(prefix, e.message, n - 1 - i) : randomEventId(),
      receivedMicros, retentionDays,
    }
  }
  return rows
}

function observe(core: DrainCore, req: DrainRequest, frames: number, events: readonly ParsedEvent[]): void {
  const { metrics } = core
  metrics.framesReceived.inc()
  metrics.linesReceived.inc(events.length, { kind: 'logplex' })
  let unparsed = 0
  let dropped = 0
  for (const e of events) {
    if (e.eventType === 'unparsed') unparsed++
    else if (e.eventType === 'logplex' && e.errorCode === 'L10') dropped += Number(e.attrs['logplex.dropped'] ?? 0) || 0
  }
  if (unparsed > 0) {
    metrics.linesUnparsed.inc(unparsed)
    core.logOnce.warn('ingest.unparsed', { project: req.principal.projectId, drain: req.drain, unparsed }, 'frames stored raw: they did not parse')
  }
  if (dropped > 0) metrics.logplexDropped.inc(dropped)
  if (req.msgCount !== null && req.msgCount !== frames) {
    metrics.countMismatches.inc()
    core.logOnce.warn('ingest.count_mismatch', { project: req.principal.projectId, drain: req.drain, frameId: req.frameId, header: req.msgCount, frames }, 'Logplex-Msg-Count differs from the frames in the body')
  }
}
