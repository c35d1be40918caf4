/**
 * One Logplex drain request, from body to committed rows: parse, count, rate-limit, give every
 * event its deterministic id, skip what a previous attempt of the same frame already stored, and
 * wait for the group commit. Never rejects a body for its content: bad frames are stored raw
 * (`unparsed`), a Msg-Count mismatch is counted and logged (HEROKU-FORMATS.md §1.4: a 400 would
 * make Logplex drop the frame for good).
 */
import type { ClickHouseClient } from '@clickhouse/client'
import type { ParsedEvent } from '../model/index.js'
import { parseLogplexBody } from '../logplex/index.js'
import type { IngestConfig } from './config.js'
import type { IngestPrincipal } from './deps.js'
import { IngestError } from './errors.js'
import { framePrefix, randomEventId } from './event-id.js'
import { batchId, type EventBatch } from './native.js'
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

  const batch = toBatch(req, events, receivedMicros)
  if (!req.frameId) {
    const lines = events.length
    return writer.write(batch).then(() => ({ lines, stored: lines, duplicates: 0 }))
  }
  return writeFrame(core, req, batch)
}

/** Write a frame's rows once: wait for an attempt in flight, then skip ids already stored. */
async function writeFrame(core: DrainCore, req: DrainRequest, all: EventBatch): Promise<DrainResult> {
  const { window } = core
  const key = frameKey(req.principal.projectId, req.drain, req.frameId)
  for (let other = window.inflight(key); other; other = window.inflight(key)) await other.catch(() => {})
  let settle!: (ok: boolean) => void
  window.claim(key, new Promise<void>((resolve, reject) => { settle = (ok) => (ok ? resolve() : reject(new Error('attempt failed'))) }))
  try {
    const lines = all.events.length
    let todo = all
    if (window.seen(key)) {
      core.metrics.framesDeduplicated.inc()
      const stored = await storedFrameIds(core.client, req.principal.projectId, req.drain, req.frameId)
      todo = withoutStored(all, stored)
      core.metrics.linesDeduplicated.inc(lines - todo.events.length)
    }
    const count = todo.events.length
    // Seen from now on, even if the insert fails: it may have committed part of the rows.
    window.markSeen(key)
    // Not awaited with the batch in scope: events held across the commit wait (~0.2 s at 50
    // connections) outlive two scavenges and get promoted, and old-space GC was a quarter of the
    // server's CPU (measured per thread; see docs/ingest.md).
    const committed = core.writer.write(todo)
    todo = all = EMPTY
    await committed
    settle(true)
    return { lines, stored: count, duplicates: lines - count }
  } catch (e) {
    settle(false)
    throw e
  }
}

const EMPTY: EventBatch = { events: [], request: { projectId: '', environment: '', app: '', drain: '', frameId: '', receivedMicros: 0, retentionDays: 0 }, framePrefix: null, fromEnd: null, ids: [] }

/** The batch without the events whose ids are already stored (each keeps its index from the end). */
function withoutStored(b: EventBatch, stored: ReadonlySet<string>): EventBatch {
  const events: ParsedEvent[] = []
  const fromEnd: number[] = []
  const ids: string[] = []
  for (let i = 0; i < b.events.length; i++) {
    const id = batchId(b, i)
    if (stored.has(id)) continue
    events.push(b.events[i]!)
    fromEnd.push(b.fromEnd ? b.fromEnd[i]! : b.events.length - 1 - i)
    ids.push(id)
  }
  return { ...b, events, fromEnd, ids }
}

/**
 * The request's events as one batch: no row object per line (the writer encodes the batch
 * directly; building ~20-field rows and their id strings was ~2 µs of the ~7.6 µs of main-thread
 * work per line, .probe/steps.mts).
 */
function toBatch(req: DrainRequest, events: readonly ParsedEvent[], receivedMicros: number): EventBatch {
  const { projectId, retentionDays } = req.principal
  return {
    events,
    request: { projectId, environment: req.environment, app: req.app, drain: req.drain, frameId: req.frameId, receivedMicros, retentionDays },
    framePrefix: req.frameId ? framePrefix(projectId, req.drain, req.frameId) : null,
    fromEnd: null,
    ids: req.frameId ? null : events.map(() => randomEventId()),
  }
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
