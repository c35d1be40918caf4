/**
 * The ingest service: one writer, frame window, rate limiters and metrics per process, built from
 * explicit dependencies (main.ts / compose.ts wire it; tests and benches build it directly).
 */
import type { ClickHouseClient } from '@clickhouse/client'
import type { NativeInserter } from '../store/index.js'
import type { Registry } from '../metrics/index.js'
import { ingestConfig, type IngestConfig } from './config.js'
import type { IngestLogger } from './deps.js'
import type { DrainCore } from './drain.js'
import { FrameWindow } from './frame-window.js'
import { LogOnce } from './log-once.js'
import { createIngestMetrics, registerWriterGauges, type IngestMetrics } from './metrics.js'
import { RateLimiter } from './rate-limiter.js'
import { createWriter, type Writer } from './writer.js'
import { createParsePool } from './parse-pool.js'

/** Dependencies of {@link createIngest}. */
export interface IngestDeps {
  readonly client: ClickHouseClient
  /** Where INSERTs go, one per concurrent INSERT (Store.nativeInserter()). */
  readonly inserters: readonly NativeInserter[]
  readonly logger: IngestLogger
  readonly registry: Registry
  readonly config?: Partial<IngestConfig>
}

/** The running ingest service. */
export interface Ingest extends DrainCore {
  readonly noticeLimiter: RateLimiter
  /** Load recent frame ids (call after migrations); retries every second until it succeeds. */
  start(): Promise<void>
  /** Count one response for /metrics (pass to createApp's onResponse). */
  recordResponse(status: number, path: string): void
  /** Stop intake and flush (SIGTERM). */
  close(): Promise<void>
}

/** Build the ingest service. */
export function createIngest(deps: IngestDeps): Ingest {
  const config = ingestConfig(deps.config)
  const metrics: IngestMetrics = createIngestMetrics(deps.registry)
  const writer: Writer = createWriter({ inserters: deps.inserters, logger: deps.logger, config, metrics })
  registerWriterGauges(deps.registry, writer)
  const window = new FrameWindow(config.dedupWindowMs, config.dedupMaxFrames)
  const parser = config.parseWorkers > 0 ? createParsePool(config.parseWorkers) : null
  let closed = false
  return {
    parser,
    client: deps.client,
    writer,
    window,
    metrics,
    config,
    limiter: new RateLimiter(config.rateLimitLinesPerSecond, config.rateLimitBurstLines),
    noticeLimiter: new RateLimiter(config.noticesPerMinute / 60, config.noticesPerMinute),
    logOnce: new LogOnce(deps.logger),
    async start() {
      await parser?.ready()
      for (let attempt = 1; !closed; attempt++) {
        try {
          const n = await window.warm(deps.client)
          deps.logger.info({ event: 'ingest.window_warmed', frames: n }, 'recent frame ids loaded')
          return
        } catch (e) {
          // Until warmed, every frame with an id is looked up in the store: slower, never wrong.
          deps.logger.warn({ event: 'ingest.window_warm_failed', attempt, err: String(e) }, 'could not load recent frame ids; retrying')
          await new Promise((r) => setTimeout(r, 1000))
        }
      }
    },
    recordResponse(status, path) {
      if (path.startsWith('/v1/events') || path.startsWith('/v1/notices')) {
        metrics.responses.inc(1, { route: path.startsWith('/v1/events') ? 'events' : 'notices', status: String(status) })
      }
    },
    async close() {
      closed = true
      await writer.close()
      await parser?.close()
    },
  }
}
