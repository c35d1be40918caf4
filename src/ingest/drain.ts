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
import { isRejectedByStore, noteQuarantine, quarantineAttrs } from './quarantine.js'
import { batchId, type EventBatch, type RequestFields } from './native.js'
import { bodyCounts, drainBatch, type BodyCounts, type ParsePool } from './parse-pool.js'
import type { EncodedRows } from './writer.js'
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
  /** Parse workers (null: parse on the main thread). */
  readonly parser: ParsePool | null
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
  const others = inProgress.get(core) ?? 0
  inProgress.set(core, others + 1)
  try {
    return await attempt(core, req, false, others === 0)
  } catch (e) {
    if (!isRejectedByStore(e)) throw e
    // The engine refused the rows as they are: store them with their attrs as JSON text
    // (quarantine.ts). The frame is marked seen, so rows of the failed INSERT cannot double.
    const result = await attempt(core, req, true, false)
    noteQuarantine(core, e, 'drain', result.stored)
    return result
  } finally {
    inProgress.set(core, (inProgress.get(core) ?? 1) - 1)
  }
}

/** Drain requests in progress (parsing or waiting for their commit), per ingest service. */
const inProgress = new WeakMap<DrainCore, number>()

/**
 * One try; `quarantined`: the second one, on the main thread, counted and rate-limited already.
 * `alone`: no other drain request is in progress (then the body is parsed right here, see
 * `parseAloneOnMainThread`).
 */
async function attempt(core: DrainCore, req: DrainRequest, quarantined: boolean, alone: boolean): Promise<DrainResult> {
  const { writer } = core
  const wait = writer.storeRetryAfter()
  if (wait > 0) throw new IngestError('store_unavailable', 'the event store is unavailable; retry later', wait)
  // Over the bound already: answer before spending the parse on a request the queue would refuse.
  if (writer.full()) throw new IngestError('queue_full', 'ingest queue is full; retry later', core.config.queueFullRetryAfterSeconds)

  const receivedMicros = Date.now() * 1000
  const { projectId, retentionDays } = req.principal
  const request: RequestFields = { projectId, environment: req.environment, app: req.app, drain: req.drain, frameId: req.frameId, receivedMicros, retentionDays }
  const key = req.frameId ? frameKey(projectId, req.drain, req.frameId) : null
  // On a parse worker unless the events themselves are needed (a frame that may be stored already:
  // dedup by event id; a committed-rows listener) or nothing else is going on.
  const inline = alone && core.config.parseAloneOnMainThread
  if (core.parser && !inline && !quarantined && !writer.listening && !(key && core.window.seen(key))) {
    const done = await core.parser.parse(req.body, core.config.redact, request).catch((e: unknown) => {
      core.logOnce.warn('ingest.parse_worker_failed', { err: String(e) }, 'parse worker failed; parsing on the main thread')
      return null
    })
    if (done) {
      core.metrics.bodiesParsed.inc(1, { thread: 'worker' })
      const { counts, block } = done
      observe(core, req, counts)
      limit(core, req, counts.lines)
      const mainThread = () => drainBatch(parseLogplexBody(req.body, { redact: core.config.redact, receivedMicros }).events, request)
      if (!key) return writer.write({ block }).then(() => ({ lines: counts.lines, stored: counts.lines, duplicates: 0 }))
      return writeFrame(core, key, req, counts.lines, { block }, mainThread)
    }
  }

  const parsed = parseLogplexBody(req.body, { redact: core.config.redact, receivedMicros })
  core.metrics.bodiesParsed.inc(1, { thread: 'main' })
  const events = quarantined ? quarantineAttrs(parsed.events) : parsed.events
  if (!quarantined) {
    observe(core, req, bodyCounts(parsed.frames, events))
    limit(core, req, events.length)
  }
  // One batch, not a row object per line: the writer encodes it directly (rows and their id
  // strings were ~2 µs of the ~7.6 µs of main-thread work per line, .probe/steps.mts).
  const batch = drainBatch(events, request)
  if (!key) {
    const lines = events.length
    return writer.write(batch).then(() => ({ lines, stored: lines, duplicates: 0 }))
  }
  return writeFrame(core, key, req, events.length, batch, () => batch)
}

function limit(core: DrainCore, req: DrainRequest, lines: number): void {
  const rate = core.limiter.take(req.principal.projectId, lines)
  if (!rate.ok) throw new IngestError('rate_limited', 'too many lines for this project; retry later', rate.retryAfterSeconds)
}

/**
 * Write a frame's rows once: wait for an attempt in flight, then skip ids already stored.
 * `rows` is what goes to the writer when no earlier attempt was seen; `batch` gives the events
 * (with their ids) when one was, to leave out the stored ones.
 */
async function writeFrame(core: DrainCore, key: string, req: DrainRequest, lines: number, rows: EventBatch | EncodedRows | null, batch: (() => EventBatch) | null): Promise<DrainResult> {
  const { window } = core
  for (let other = window.inflight(key); other; other = window.inflight(key)) await other.catch(() => {})
  let settle!: (ok: boolean) => void
  window.claim(key, new Promise<void>((resolve, reject) => { settle = (ok) => (ok ? resolve() : reject(new Error('attempt failed'))) }))
  try {
    let todo: EventBatch | EncodedRows | null = rows!
    let count = lines
    if (window.seen(key)) {
      core.metrics.framesDeduplicated.inc()
      const stored = await storedFrameIds(core.client, req.principal.projectId, req.drain, req.frameId)
      const left = withoutStored(batch!(), stored)
      todo = left
      count = left.events.length
      core.metrics.linesDeduplicated.inc(lines - count)
    }
    // Seen from now on, even if the insert fails: it may have committed part of the rows.
    window.markSeen(key)
    // Not awaited with the rows in scope (a suspended async function keeps its parameters and
    // locals): events held across the commit wait (~0.2 s at 50 connections) outlive two
    // scavenges and get promoted, and old-space GC was a quarter of the server's CPU (measured
    // per thread; see docs/ingest.md).
    const committed = core.writer.write(todo)
    todo = rows = batch = null
    await committed
    settle(true)
    return { lines, stored: count, duplicates: lines - count }
  } catch (e) {
    settle(false)
    throw e
  }
}

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

function observe(core: DrainCore, req: DrainRequest, counts: BodyCounts): void {
  const { metrics } = core
  const { frames, lines, unparsed, dropped } = counts
  metrics.framesReceived.inc()
  metrics.linesReceived.inc(lines, { kind: 'logplex' })
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
