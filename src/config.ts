/**
 * Configuration: every setting comes from the environment through this one zod schema, and this
 * is the only module that reads `process.env`. An invalid value stops the process at boot with one
 * line per problem naming the variable.
 */
import path from 'node:path'
import { z } from 'zod'

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def)

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on')

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v))

/** A secret given in the environment must be long enough to be a secret. */
const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v))
  .refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' })

/** The environment variables Sluice reads, with defaults. */
export const envSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  CLICKHOUSE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier').default('default'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  RETENTION_DAYS: int(30, 1, 3650),
  /** Embedded engine: server-wide memory cap (chDB otherwise allows 90% of RAM). */
  STORE_MAX_MEMORY_MB: int(2048, 256),
  /** Embedded engine: threads for background merges (unset: half the cores, at least 1). */
  STORE_MERGE_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  /** Embedded engine: queries that run at once, one connection each (unset: fitted to UV_THREADPOOL_SIZE, at most 4). */
  STORE_QUERY_CONNECTIONS: z.coerce.number().int().min(1).max(64).optional(),
  /** Per-query memory limit (`max_memory_usage`), embedded and server. */
  QUERY_MAX_MEMORY_MB: int(1024, 64),
  QUERY_TIMEOUT_S: int(30, 1, 3600),
  QUERY_MAX_ROWS_TO_READ: int(2_000_000_000, 1000),
  QUERY_MAX_RESULT_ROWS: int(10_000, 1, 1_000_000),
  SLUICE_INGEST_KEY: optionalSecret,
  SLUICE_READ_TOKEN: optionalSecret,
  SLUICE_ADMIN_TOKEN: optionalSecret,
  /** CLI: URL of a running Sluice (for admin and query commands). */
  SLUICE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** How long an ingest key keeps working after `key rotate` (hours). */
  KEY_ROTATION_GRACE_HOURS: int(24, 0, 24 * 90),
  INGEST_BODY_LIMIT_BYTES: int(1024 * 1024, 1024),
  /** Group commit: flush at this many rows… (see docs/ingest.md for why these defaults) */
  INGEST_BATCH_MAX_ROWS: int(10_000, 1),
  /** …or when the oldest queued row is this old. */
  INGEST_BATCH_MAX_AGE_MS: int(0, 0, 10_000),
  INGEST_MAX_ROWS_PER_INSERT: int(20_000, 100),
  INGEST_QUEUE_MAX_ROWS: int(100_000, 100),
  INGEST_QUEUE_MAX_BYTES: int(64 * 1024 * 1024, 1024 * 1024),
  /** Per-project sustained lines/s before 429 (0 = no limit); burst is twice this. */
  INGEST_RATE_LIMIT_LINES_PER_S: int(200_000, 0),
  REDACT_SECRETS: bool(true),
  /** Worker threads parsing drain bodies off the event loop (0: parse on the main thread). */
  INGEST_PARSE_WORKERS: int(1, 0, 16),
  SHUTDOWN_TIMEOUT_MS: int(25_000, 1000, 120_000),
  /**
   * How long an idle keep-alive connection stays open. Node's 5 s default is shorter than the idle
   * timeout of the proxies in front of a drain (AWS ALB 60 s, nginx 60–75 s) and than a sender's
   * pauses, so the server closed connections a client was about to reuse: ECONNRESET, and 502s
   * behind a load balancer. Keep it above the proxy's idle timeout.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(65_000, 1000, 600_000),
})

/** Parsed, validated configuration. */
export type Config = z.infer<typeof envSchema> & {
  /** Absolute data directory. */
  readonly dataDir: string
  /** Base URL used to print drain URLs. */
  readonly publicUrl: string
}

/** Result of {@link loadConfig}: a config, or one line per problem. */
export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] }

/** Validate an environment (default: `process.env`). Never throws. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ConfigResult {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?')
      const shown = env[name] === undefined ? '' : ` (got ${JSON.stringify(redactIfSecret(name, env[name]!))})`
      return `${name}: ${i.message}${shown}`
    })
    return { ok: false, problems }
  }
  const c = parsed.data
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '')
  return { ok: true, config: { ...c, dataDir: path.resolve(c.DATA_DIR), publicUrl } }
}

function redactIfSecret(name: string, value: string): string {
  return /KEY|TOKEN|PASSWORD/.test(name) ? '[redacted]' : value
}
