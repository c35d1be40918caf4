/**
 * The embedded engine runs each statement on a thread of libuv's pool (chdb-node's async calls are
 * N-API async work), the pool Node's file I/O uses too. It has 4 threads unless
 * `UV_THREADPOOL_SIZE` is set when the process starts (Node reads it before our code runs: setting
 * it from inside has no effect), and a statement beyond them waits for a thread: with 4, a 5th
 * concurrent statement — a drain's INSERT — would wait for a query to end. So the launchers
 * (`npm start`, the Procfile, the test helper) set it to {@link LAUNCH_THREADPOOL_SIZE}, and the
 * number of query connections is fitted to what the process really has.
 */

/** What the launchers set `UV_THREADPOOL_SIZE` to. */
export const LAUNCH_THREADPOOL_SIZE = 8

/** libuv's pool size in this process (its default is 4; libuv caps it at 1024). */
export function threadpoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.UV_THREADPOOL_SIZE)
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4
}

/**
 * Threads the embedded store needs besides its query connections: the metadata connection, the
 * ingest connection and one for file I/O.
 */
export const OTHER_THREADS = 3

/**
 * Query connections when none are configured: as many as the pool leaves free (at least 1, at most
 * 4: on a few cores more concurrent queries only share the same CPU more thinly).
 */
export function defaultQueryConnections(env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(1, Math.min(4, threadpoolSize(env) - OTHER_THREADS))
}
