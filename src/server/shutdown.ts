/**
 * Graceful stop on SIGTERM/SIGINT (Heroku gives 30 s, then SIGKILL): stop accepting, let in-flight
 * requests finish (their rows are flushed by the writer), flush, let the embedded engine settle
 * (closing chDB while merges run has been seen to abort the process), close the store, exit 0.
 */
import type { Server } from 'node:http'
import type { ServerType } from '@hono/node-server'
import type { Logger } from '../logger.js'
import type { Store } from '../store/index.js'

/** Something to flush/close at shutdown, in order. */
export interface Closeable {
  readonly name: string
  close(): Promise<void>
}

/**
 * Idle keep-alive connections stay open `ms` (config HTTP_KEEP_ALIVE_TIMEOUT_MS). The headers
 * timeout stays above it, as Node advises, so a request arriving on a connection about to idle
 * out is not cut by the other timer. Shutdown closes idle connections at once (stopHttp).
 */
export function keepConnections(server: ServerType, ms: number): void {
  const s = server as Server // serve() builds a node:http server unless told otherwise
  s.keepAliveTimeout = ms
  s.headersTimeout = Math.max(s.headersTimeout, ms + 1000)
}

/** Stop the HTTP server: refuse new connections, wait for in-flight requests up to `timeoutMs`. */
export async function stopHttp(server: ServerType, timeoutMs: number): Promise<void> {
  const s = server as ServerType & { closeIdleConnections?: () => void; closeAllConnections?: () => void }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      s.closeAllConnections?.()
      resolve()
    }, timeoutMs)
    server.close(() => {
      clearTimeout(timer)
      resolve()
    })
    // Keep-alive connections with no request in flight would hold close() open.
    s.closeIdleConnections?.()
  })
}

/**
 * Embedded engine only: stop starting merges and wait (bounded) for running ones to finish.
 * A shared ClickHouse server is left alone.
 */
export async function settleStore(store: Store, logger: Logger, timeoutMs: number): Promise<void> {
  if (store.kind !== 'embedded') return
  try {
    await store.client.command({ query: 'SYSTEM STOP MERGES' })
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const rs = await store.client.query({ query: 'SELECT count() AS n FROM system.merges', format: 'JSONEachRow' })
      const n = Number((await rs.json<{ n: string }>())[0]?.n ?? 0)
      if (n === 0) return
      await new Promise((r) => setTimeout(r, 100))
    }
    logger.warn('merges still running at shutdown deadline')
  } catch (e) {
    logger.warn({ err: String(e) }, 'could not settle the store before closing')
  }
}
