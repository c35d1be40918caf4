/** Small structural types the ingest path needs from its surroundings (pino, src/projects). */

/** The slice of a pino logger the ingest path uses. */
export interface IngestLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/** The project an ingest key belongs to. */
export interface IngestPrincipal {
  readonly projectId: string
  readonly retentionDays: number
}

/** Ingest-key verification (src/projects). Returns null for an unknown or expired key. */
export interface IngestAuth {
  verifyIngestKey(key: string): IngestPrincipal | null | Promise<IngestPrincipal | null>
}
