/** The ingest tunables from the validated environment (src/config.ts owns the variable names). */
import type { Config } from '../config.js'
import type { IngestConfig } from './config.js'

/** Map the INGEST_* / REDACT_SECRETS variables onto {@link IngestConfig}; the rest keep their defaults. */
export function ingestConfigFromEnv(c: Config): Partial<IngestConfig> {
  return {
    bodyLimitBytes: c.INGEST_BODY_LIMIT_BYTES,
    batchRows: c.INGEST_BATCH_MAX_ROWS,
    maxRowsPerInsert: c.INGEST_MAX_ROWS_PER_INSERT,
    batchAgeMs: c.INGEST_BATCH_MAX_AGE_MS,
    maxQueueRows: c.INGEST_QUEUE_MAX_ROWS,
    maxQueueBytes: c.INGEST_QUEUE_MAX_BYTES,
    rateLimitLinesPerSecond: c.INGEST_RATE_LIMIT_LINES_PER_S,
    rateLimitBurstLines: 2 * c.INGEST_RATE_LIMIT_LINES_PER_S,
    redact: c.REDACT_SECRETS,
    parseWorkers: c.INGEST_PARSE_WORKERS,
  }
}
