/**
 * Parsing and encoding off the event loop. A drain body's parse + Native encode is ~2 ms of CPU
 * per 100 KB; on the main thread, requests queued behind each other's parse and every INSERT
 * completion and every query waited behind them (GET /health p50 25–40 ms at 50 drain
 * connections). A pool of worker threads takes the body (copied, then transferred) and returns the
 * counts and the block (transferred back, no copy); the main thread keeps HTTP, the writer and the
 * frame window. The main-thread path stays for what needs the parsed events themselves: a retry
 * whose frame may already be stored (dedup by event id) and a committed-rows listener.
 */
import { Worker } from 'node:worker_threads'
import type { ParsedEvent } from '../model/index.js'
import { parseLogplexBody } from '../logplex/index.js'
import { framePrefix, randomEventId } from './event-id.js'
import { nativeBlockOf, type EventBatch, type NativeBlock, type RequestFields } from './native.js'

/** What the drain path reports about a body. */
export interface BodyCounts {
  readonly frames: number
  readonly lines: number
  readonly unparsed: number
  /** Lines Logplex says it dropped (sum of L10 counts). */
  readonly dropped: number
}

/** Counts of a parsed body. */
export function bodyCounts(frames: number, events: readonly ParsedEvent[]): BodyCounts {
  let unparsed = 0
  let dropped = 0
  for (const e of events) {
    if (e.eventType === 'unparsed') unparsed++
    else if (e.eventType === 'logplex' && e.errorCode === 'L10') dropped += Number(e.attrs['logplex.dropped'] ?? 0) || 0
  }
  return { frames, lines: events.length, unparsed, dropped }
}

/** A request's events as a batch (ids from the frame, or random without a Frame-Id). */
export function drainBatch(events: readonly ParsedEvent[], request: RequestFields): EventBatch {
  const framed = request.frameId !== ''
  return {
    events, request,
    framePrefix: framed ? framePrefix(request.projectId, request.drain, request.frameId) : null,
    fromEnd: null,
    ids: framed ? null : events.map(() => randomEventId()),
  }
}

/** One body to parse and encode. */
export interface ParseJob {
  readonly id: number
  readonly body: Uint8Array
  readonly redact: boolean
  readonly request: RequestFields
}

/** The worker's answer. */
export type ParseReply =
  | ({ readonly id: number; readonly ok: true; readonly bytes: Uint8Array; readonly sections: readonly number[] } & BodyCounts)
  | { readonly id: number; readonly ok: false; readonly error: string }

/** Parse and encode one body (in a worker, or on the main thread). */
export function drainBlock(job: Omit<ParseJob, 'id'>): { counts: BodyCounts; block: NativeBlock } {
  const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength)
  const parsed = parseLogplexBody(body, { redact: job.redact, receivedMicros: job.request.receivedMicros })
  const counts = bodyCounts(parsed.frames, parsed.events)
  return { counts, block: counts.lines > 0 ? nativeBlockOf(drainBatch(parsed.events, job.request)) : { bytes: Buffer.alloc(0), rows: 0, sections: [] } }
}

/** Worker threads that run {@link drainBlock}. */
export interface ParsePool {
  /** Resolves once every worker has loaded (a cold worker takes ~0.2 s: tsx and the parsers). */
  ready(): Promise<void>
  parse(body: Buffer, redact: boolean, request: RequestFields): Promise<{ counts: BodyCounts; block: NativeBlock }>
  close(): Promise<void>
}

interface Slot {
  worker: Worker | null
  ready: Promise<void>
  readonly pending: Map<number, { resolve: (r: { counts: BodyCounts; block: NativeBlock }) => void; reject: (e: Error) => void }>
}

/** Start `size` workers (lazily; a worker that dies is replaced on the next job). */
export function createParsePool(size: number): ParsePool {
  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: null, ready: Promise.resolve(), pending: new Map() }))
  let seq = 0
  let closed = false

  const start = (slot: Slot): Worker => {
    const w = new Worker(new URL('./parse-worker-boot.mjs', import.meta.url))
    w.unref()
    let loaded!: () => void
    slot.ready = new Promise<void>((resolve) => { loaded = resolve })
    w.on('message', (r: ParseReply | { ready: true }) => {
      if ('ready' in r) return loaded()
      const p = slot.pending.get(r.id)
      if (!p) return
      slot.pending.delete(r.id)
      if (!r.ok) return p.reject(new Error(`parse worker: ${r.error}`))
      const bytes = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength)
      p.resolve({ counts: { frames: r.frames, lines: r.lines, unparsed: r.unparsed, dropped: r.dropped }, block: { bytes, rows: r.lines, sections: r.sections } })
    })
    const fail = (e: Error) => {
      loaded()
      if (slot.worker === w) slot.worker = null
      for (const p of slot.pending.values()) p.reject(e)
      slot.pending.clear()
    }
    w.on('error', fail)
    w.on('exit', (code) => fail(new Error(`parse worker exited (${code})`)))
    return w
  }

  // Started now, so the first request does not wait for a cold worker.
  for (const s of slots) s.worker = start(s)
  return {
    ready: () => Promise.all(slots.map((s) => s.ready)).then(() => {}),
    parse(body, redact, request) {
      if (closed) return Promise.reject(new Error('parse pool closed'))
      // The least busy worker; the body is copied into a buffer of its own, transferred.
      let slot = slots[0]!
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s
      const worker = (slot.worker ??= start(slot))
      const id = ++seq
      const copy = new Uint8Array(body.byteLength)
      copy.set(body)
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject })
        worker.postMessage({ id, body: copy, redact, request } satisfies ParseJob, [copy.buffer])
      })
    },
    async close() {
      closed = true
      await Promise.all(slots.map(async (s) => { const w = s.worker; s.worker = null; if (w) await w.terminate() }))
    },
  }
}
