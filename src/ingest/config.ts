/**
 * Every ingest tunable, with its default and the reason for it. src/config.ts maps environment
 * variables onto this; docs/ingest.md explains the measurements behind the defaults.
 */

/** When a request is answered: after its rows are committed (durable) or once they are queued. */
export type AckMode = 'commit' | 'memory'

/** Tunables of the writer, the drain route, custom events and notices. */
export interface IngestConfig {
  /** Flush a batch once it holds this many rows (ClickHouse: ≥1k, ideally 10k–100k rows per insert). */
  readonly batchRows: number
  /**
   * …or once its oldest row is this old. 0 by default: one Logplex drain has ONE request in flight,
   * so ack latency caps a drain's throughput (~370 lines per round trip); under load the batch
   * fills while the previous insert runs (group commit), so an age only ever delayed single drains
   * (1 connection: 23.1–23.7k lines/s with 2 ms, 24.6–25.5k with 0).
   */
  readonly batchAgeMs: number
  /** Hard cap on rows per INSERT: bounds insert latency (and so p99) and the memory of one insert. */
  readonly maxRowsPerInsert: number
  /** Minimum gap between insert starts: caps inserts/s (= parts/s) at 1000 / this. */
  readonly minInsertIntervalMs: number
  /**
   * INSERTs in flight at once, each through its own inserter (connection). With Native inserts, 2
   * at 50 connections used more CPU (165% vs 140% of the 2 cores) for the same 66–70k lines/s, so 1.
   */
  readonly maxInflightInserts: number
  /** Rows queued or being inserted before new requests get 503 (memory bound, PERFORMANCE-NOTES M3). */
  readonly maxQueueRows: number
  /** Serialized bytes queued or being inserted before new requests get 503. */
  readonly maxQueueBytes: number
  /** Largest drain / custom-event body (413 above). Logplex batches are ~100 KB (http_drain_target_bytes). */
  readonly bodyLimitBytes: number
  /** Largest notice body (413 above): Honeybadger's documented notice limit. */
  readonly noticeBodyLimitBytes: number
  /** Per-project sustained lines/s before 429 (0 = no limit). */
  readonly rateLimitLinesPerSecond: number
  /** Per-project burst, in lines, on top of the sustained rate. */
  readonly rateLimitBurstLines: number
  /** Per-project notices per minute before 429 (0 = no limit). */
  readonly noticesPerMinute: number
  /** How long a frame id is remembered for retry dedup (also the warm-up look-back after a restart). */
  readonly dedupWindowMs: number
  /** Most frame ids remembered (bounds the window's memory; oldest are forgotten first). */
  readonly dedupMaxFrames: number
  /** First Retry-After (seconds) when the store fails; doubles while it keeps failing. */
  readonly storeRetryAfterSeconds: number
  /** Upper bound of that back-off. */
  readonly storeMaxRetryAfterSeconds: number
  /** Retry-After (seconds) when the queue is full. */
  readonly queueFullRetryAfterSeconds: number
  /** 'commit' is the promise (DESIGN.md); 'memory' exists for the bench comparison only. */
  readonly ackMode: AckMode
  /** Redact secrets in app lines before storage (passed to the Logplex parser). */
  readonly redact: boolean
  /**
   * Worker threads that parse drain bodies and encode their blocks (0: on the main thread). One
   * is enough on 2 cores: it takes the parse off the event loop that serves HTTP, the writer and
   * queries (see parse-pool.ts and docs/ingest.md).
   */
  readonly parseWorkers: number
  /**
   * Parse a body on the main thread when no other drain request is in progress (the workers
   * serve the rest). Handing a body to a worker and back costs a single drain ~1.3 ms of its
   * ~13 ms round trip, and nothing else then waits for the event loop. Measured (1 connection,
   * 3 alternating pairs of 6 s): 283–346 → 370–425 requests; time before the INSERT 2.8–3.2 →
   * 1.5–1.6 ms. false: every body goes to the workers (the tests of the worker path set it).
   */
  readonly parseAloneOnMainThread: boolean
}

/** Defaults, chosen from bench/ingest.bench.ts on 2 cores (see docs/ingest.md). */
export const DEFAULT_INGEST_CONFIG: IngestConfig = {
  batchRows: 10_000,
  batchAgeMs: 0,
  maxRowsPerInsert: 20_000,
  minInsertIntervalMs: 10,
  maxInflightInserts: 1,
  maxQueueRows: 100_000,
  maxQueueBytes: 64 * 1024 * 1024,
  bodyLimitBytes: 1024 * 1024,
  noticeBodyLimitBytes: 655_360,
  rateLimitLinesPerSecond: 200_000,
  rateLimitBurstLines: 400_000,
  noticesPerMinute: 600,
  dedupWindowMs: 60 * 60 * 1000,
  dedupMaxFrames: 300_000,
  storeRetryAfterSeconds: 1,
  storeMaxRetryAfterSeconds: 30,
  queueFullRetryAfterSeconds: 1,
  ackMode: 'commit',
  redact: true,
  parseWorkers: 1,
  parseAloneOnMainThread: true,
}

/** Defaults overridden by whatever is given. */
export function ingestConfig(overrides: Partial<IngestConfig> = {}): IngestConfig {
  return { ...DEFAULT_INGEST_CONFIG, ...overrides }
}
