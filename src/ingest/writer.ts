/**
 * The batching writer: rows from every request join one batch; a batch is inserted when it holds
 * `batchRows` rows or its oldest row is `batchAgeMs` old, at most `maxInflightInserts` at a time,
 * at most one insert start per `minInsertIntervalMs`, each insert capped at `maxRowsPerInsert`.
 * `write()` resolves only when the INSERT carrying its rows has committed (group commit), so a
 * 2xx means durable (DESIGN.md "Promises"). chDB ignores async_insert (PERFORMANCE-NOTES §2.3),
 * so batching has to happen here; the same code works against a ClickHouse server over HTTP.
 *
 * Store failures open a circuit: queued requests and new ones get 503 + Retry-After (doubling up
 * to a bound) until the back-off ends; the next insert is the probe, so ingestion resumes by
 * itself. A data error (ClickHouse rejecting the rows) re-queues the batch's requests one per
 * insert so one bad request cannot fail everyone else's rows.
 */
import type { EventRow } from '../model/index.js'
import type { NativeInserter } from '../store/index.js'
import { ingestConfig, type IngestConfig } from './config.js'
import type { IngestLogger } from './deps.js'
import { IngestError } from './errors.js'
import type { IngestMetrics } from './metrics.js'
import { batchRows, INSERT_EVENTS_TARGET, mergeBlocks, nativeBlock, nativeBlockOf, type EventBatch, type NativeBlock } from './native.js'
import { isDataError } from './store-errors.js'

/** Called with the rows of every committed insert (the hook for a future live tail). */
export type CommittedListener = (rows: readonly EventRow[]) => void

/** Dependencies of {@link createWriter}. */
export interface WriterDeps {
  /**
   * Inserters to insert through (Store.nativeInserter): an INSERT takes a free one, so at most this
   * many run at once (and at most `maxInflightInserts`). Embedded chDB runs one statement per
   * connection, so each is its own connection there; over HTTP one may be listed.
   */
  readonly inserters: readonly NativeInserter[]
  readonly logger: IngestLogger
  readonly config?: Partial<IngestConfig>
  readonly metrics?: IngestMetrics
}

/** The writer's public face. */
export interface Writer {
  /**
   * Queue rows (or a drain request's batch); resolves once committed (or once queued with ackMode
   * 'memory'). Throws IngestError (503).
   */
  write(rows: readonly EventRow[] | EventBatch | EncodedRows): Promise<void>
  /** Is a committed-rows listener subscribed? (Then writes must carry rows, not only a block.) */
  readonly listening: boolean
  /** Subscribe to committed rows; returns the unsubscribe function. */
  onCommitted(listener: CommittedListener): () => void
  /** 0 while the store is usable, else seconds until the next attempt. */
  storeRetryAfter(): number
  /** The queue is at its bound: any new request would get 503 queue_full (check before parsing). */
  full(): boolean
  readonly queuedRows: number
  readonly queuedBytes: number
  readonly insertsInFlight: number
  /** Stop intake (503 shutting_down), flush everything queued, wait for in-flight inserts. */
  close(): Promise<void>
}

/** Rows already encoded (by a parse worker): the block only, no row objects. */
export interface EncodedRows {
  readonly block: NativeBlock
}

interface Job {
  /** The request's rows as one Native block (src/ingest/native.ts). */
  readonly body: NativeBlock
  /**
   * The rows, kept only while a committed-rows listener is subscribed. The drain path sends
   * encoded blocks only while none is (`listening`), so a listener that subscribes while such a
   * block is queued misses that block's rows.
   */
  readonly events: readonly EventRow[] | EventBatch | EncodedRows | null
  readonly at: number
  readonly resolve: () => void
  readonly reject: (e: unknown) => void
  isolated: boolean
}

/** Create a writer over the store's inserters (embedded chDB or a ClickHouse server). */
export function createWriter(deps: WriterDeps): Writer {
  const cfg = ingestConfig(deps.config)
  const { logger, metrics } = deps
  const free = [...deps.inserters]
  const maxInflight = Math.max(1, Math.min(cfg.maxInflightInserts, deps.inserters.length))
  const listeners = new Set<CommittedListener>()
  let pending: Job[] = []
  let pendingRows = 0
  let queuedRows = 0
  let queuedBytes = 0
  let inflight = 0
  let lastStart = -Infinity
  let timer: NodeJS.Timeout | null = null
  let timerAt = Infinity
  let failures = 0
  let openUntil = 0
  let closing = false
  let idle: (() => void) | null = null

  const retryAfterNow = () => Math.max(1, Math.ceil((openUntil - Date.now()) / 1000))

  function schedule(): void {
    while (pending.length > 0 && inflight < maxInflight) {
      const now = Date.now()
      if (now < openUntil && !closing) return armTimer(openUntil)
      const due = closing || pendingRows >= cfg.batchRows || pending[0]!.isolated || now - pending[0]!.at >= cfg.batchAgeMs
      const at = Math.max(due ? now : pending[0]!.at + cfg.batchAgeMs, lastStart + cfg.minInsertIntervalMs)
      if (at > now) return armTimer(at)
      flush(now)
    }
    if (pending.length === 0 && inflight === 0 && idle) idle()
  }

  function armTimer(at: number): void {
    if (timer && timerAt <= at) return
    if (timer) clearTimeout(timer)
    timerAt = at
    timer = setTimeout(() => { timer = null; timerAt = Infinity; schedule() }, Math.max(0, at - Date.now()))
  }

  function flush(now: number): void {
    // Take whole requests up to the row cap; an isolated (suspect) request goes alone.
    const batch: Job[] = [pending[0]!]
    let rows = pending[0]!.body.rows
    if (!pending[0]!.isolated) {
      while (batch.length < pending.length) {
        const next = pending[batch.length]!
        if (next.isolated || rows + next.body.rows > cfg.maxRowsPerInsert) break
        batch.push(next)
        rows += next.body.rows
      }
    }
    pending = pending.slice(batch.length)
    pendingRows -= rows
    inflight++
    lastStart = now
    void insert(batch, rows)
  }

  async function insert(batch: Job[], rows: number): Promise<void> {
    const t0 = performance.now()
    const bytes = batch.reduce((n, j) => n + j.body.bytes.length, 0)
    const inserter = free.pop()!
    try {
      await inserter.insert(INSERT_EVENTS_TARGET, mergeBlocks(batch.map((j) => j.body)))
      failures = 0
      openUntil = 0
      metrics?.inserts.inc()
      metrics?.linesInserted.inc(rows)
      metrics?.insertSeconds.observe((performance.now() - t0) / 1000)
      release(rows, bytes)
      for (const j of batch) j.resolve()
      if (listeners.size > 0) notify(batch)
    } catch (e) {
      metrics?.insertFailures.inc()
      release(rows, bytes)
      if (isDataError(e) && batch.length > 1) {
        logger.warn({ event: 'ingest.insert_data_error', err: String(e), requests: batch.length }, 'insert rejected rows; retrying each request alone')
        for (const j of batch) j.isolated = true
        requeue(batch)
      } else {
        fail(batch, e)
      }
    } finally {
      free.push(inserter)
      inflight--
      schedule()
    }
  }

  function release(rows: number, bytes: number): void {
    queuedRows -= rows
    queuedBytes -= bytes
  }

  function requeue(batch: Job[]): void {
    for (const j of batch) { queuedRows += j.body.rows; queuedBytes += j.body.bytes.length; pendingRows += j.body.rows }
    pending = [...batch, ...pending]
  }

  function fail(batch: Job[], e: unknown): void {
    const data = isDataError(e)
    if (!data) {
      failures++
      const after = Math.min(cfg.storeMaxRetryAfterSeconds, cfg.storeRetryAfterSeconds * 2 ** (failures - 1))
      openUntil = Date.now() + after * 1000
    }
    logger.error({ event: data ? 'ingest.insert_rejected' : 'ingest.store_unavailable', err: String(e), failures }, 'insert failed')
    // A request whose rows the engine refuses (alone, after isolation) would fail the same way on
    // every retry: a permanent error, which the routes turn into a fallback (quarantine.ts).
    const err = data
      ? new IngestError('rejected_by_store', 'the event store refused these rows', undefined, { reason: String(e).slice(0, 500) })
      : new IngestError('store_unavailable', 'the event store is unavailable; retry later', retryAfterNow())
    // Everything queued behind a store failure fails too: its requests would only time out.
    const failed = data ? batch : [...batch, ...pending]
    if (!data) {
      for (const j of pending) release(j.body.rows, j.body.bytes.length)
      pending = []
      pendingRows = 0
    }
    for (const j of failed) j.reject(err)
  }

  function notify(batch: Job[]): void {
    for (const j of batch) {
      if (!j.events) continue
      const rows = 'request' in j.events ? batchRows(j.events) : 'block' in j.events ? [] : j.events
      if (rows.length === 0) continue
      for (const l of listeners) {
        try { l(rows) } catch (e) { logger.warn({ event: 'ingest.listener_error', err: String(e) }, 'committed listener threw') }
      }
    }
  }

  const queueFull = () => new IngestError('queue_full', 'ingest queue is full; retry later', cfg.queueFullRetryAfterSeconds)

  function write(rows: readonly EventRow[] | EventBatch | EncodedRows): Promise<void> {
    if (closing) return Promise.reject(new IngestError('shutting_down', 'the server is shutting down', 1))
    const batch = 'request' in rows ? rows : null
    const encoded = 'block' in rows ? rows.block : null
    const count = batch ? batch.events.length : encoded ? encoded.rows : (rows as readonly EventRow[]).length
    if (count === 0) return Promise.resolve()
    if (Date.now() < openUntil) return Promise.reject(new IngestError('store_unavailable', 'the event store is unavailable; retry later', retryAfterNow()))
    // A lone request is always admitted, however big (the body limit bounds it), so it can make
    // progress. Rows are checked before encoding, so a rejected request costs no encoding.
    const empty = queuedRows === 0
    if (!empty && queuedRows + count > cfg.maxQueueRows) return Promise.reject(queueFull())
    const body = encoded ?? (batch ? nativeBlockOf(batch) : nativeBlock(rows as readonly EventRow[]))
    if (!empty && queuedBytes + body.bytes.length > cfg.maxQueueBytes) return Promise.reject(queueFull())
    queuedRows += count
    queuedBytes += body.bytes.length
    pendingRows += count
    const memory = cfg.ackMode === 'memory'
    const p = new Promise<void>((resolve, reject) => {
      pending.push({
        body, events: listeners.size > 0 ? rows : null, at: Date.now(), isolated: false,
        resolve, reject: memory ? () => {} : reject,
      })
    })
    schedule()
    return memory ? Promise.resolve() : p
  }

  return {
    write,
    onCommitted(l) { listeners.add(l); return () => { listeners.delete(l) } },
    get listening() { return listeners.size > 0 },
    storeRetryAfter: () => (Date.now() < openUntil ? retryAfterNow() : 0),
    full: () => queuedRows > 0 && (queuedRows >= cfg.maxQueueRows || queuedBytes >= cfg.maxQueueBytes),
    get queuedRows() { return queuedRows },
    get queuedBytes() { return queuedBytes },
    get insertsInFlight() { return inflight },
    async close() {
      closing = true
      if (pending.length === 0 && inflight === 0) return
      await new Promise<void>((resolve) => { idle = resolve; schedule() })
    },
  }
}
