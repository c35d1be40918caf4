/**
 * Builds the ingest routes on the embedded store in a fresh data directory (one per test file:
 * chDB binds one directory per process) behind the real app (createApp's error mapping).
 */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Hono } from 'hono'
import { createApp } from '../../src/app.js'
import { createIngest, type Ingest, type IngestAuth, type IngestConfig } from '../../src/ingest/index.js'
import { createLogger } from '../../src/logger.js'
import { Registry } from '../../src/metrics/index.js'
import { eventsRoutes } from '../../src/routes/events.js'
import { metricsRoutes } from '../../src/routes/metrics.js'
import { noticesRoutes } from '../../src/routes/notices.js'
import { migrate, openStore, type Store } from '../../src/store/index.js'

/** Ingest keys the harness accepts: key → project. */
export const KEYS: Readonly<Record<string, { projectId: string; retentionDays: number }>> = {
  // Long retention: fixture frames date from 2012, and rows past `ts + retention_days` are removed by the table's TTL.
  'key-alpha': { projectId: 'alpha', retentionDays: 20_000 },
  'key-beta': { projectId: 'beta', retentionDays: 20_000 },
}

/** A table-backed key check (projects have their own tests; this is not a store mock). */
export const tableAuth: IngestAuth = { verifyIngestKey: (k) => KEYS[k] ?? null }

/** Everything a test needs. */
export interface Harness {
  readonly store: Store
  readonly ingest: Ingest
  readonly app: Hono
  readonly registry: Registry
  /** Rows of a query, as JSON objects. */
  rows<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]>
  close(): Promise<void>
}

/** Open a store in a temp dir, migrate, build the ingest service and app. */
export async function openHarness(config: Partial<IngestConfig> = {}, dir?: string): Promise<Harness> {
  const dataDir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'sluice-ingest-'))
  const store = openStore({ dataDir, maxServerMemoryMb: 1024, queryMaxMemoryMb: 512 })
  await migrate(store.client)
  return build(store, config)
}

/** Build a harness over an already open store (e.g. after a simulated restart). */
export async function build(store: Store, config: Partial<IngestConfig> = {}): Promise<Harness> {
  const logger = createLogger('silent')
  const registry = new Registry()
  const ingest = createIngest({ client: store.client, inserters: [store.nativeInserter()], logger, registry, config })
  await ingest.start()
  const app = createApp({
    logger,
    onResponse: (status, p) => ingest.recordResponse(status, p),
    routes: [
      { prefix: '/v1/events', app: eventsRoutes({ ingest, auth: tableAuth }) },
      { prefix: '/v1/notices', app: noticesRoutes({ ingest, auth: tableAuth }) },
      { prefix: '/', app: metricsRoutes({ registry }) },
    ],
  })
  return {
    store, ingest, app, registry,
    async rows<T>(sql: string, params: Record<string, unknown> = {}) {
      const rs = await store.client.query({ query: sql, query_params: params, format: 'JSONEachRow' })
      return rs.json<T>()
    },
    async close() {
      await ingest.close()
    },
  }
}

/** The blocks of test/fixtures/logplex-bodies.txt: source line and body lines (LF-joined). */
export function fixtureBlocks(text: string): { source: string; body: string }[] {
  const blocks: { source: string; body: string }[] = []
  for (const chunk of text.split('\n=== source: ').slice(1)) {
    const [source, ...lines] = chunk.split('\n')
    blocks.push({ source: source!, body: lines.join('\n').replace(/\n+$/, '\n') })
  }
  return blocks
}

/** A Logplex body: frames octet-counted (RFC 6587), each message ending with LF like dyno lines. */
export function logplexBody(messages: readonly string[], lf = true): string {
  return messages.map((m) => {
    const msg = lf ? `${m}\n` : m
    return `${Buffer.byteLength(msg)} ${msg}`
  }).join('')
}

/** POST a Logplex body through the app. */
export function postDrain(app: Hono, body: string | Buffer, headers: Record<string, string> = {}, query = 'api_key=key-alpha&env=production') {
  return app.request(`/v1/events?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/logplex-1', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  })
}
