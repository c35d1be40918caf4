/**
 * The embedded engine's connections as one `@clickhouse/client` Connection: a pool of chDB
 * connections ("lanes") to the same engine, each running one statement at a time, with query
 * parameters bound per lane.
 *
 * Why a pool: chDB runs one statement at a time per connection, so on a single connection a 20 ms
 * dashboard panel waited for whatever 2 s search another user had started, and every query of
 * every project queued behind the slowest one. Separate connections run in parallel.
 *
 * Why parameters are bound here: chdb-node serializes EVERY parameterized statement of the process
 * through one chain (its parameter set/reset in libchdb is not isolated between connections under
 * concurrency, chdb-node index.js `globalParamChain`), so with its binding a pool would still run
 * one query at a time — and the ingest path's frame-id lookups would wait for user queries too.
 * A lane instead sends `SET param_name = '…'` before the statement, in the same call: the value
 * lives in that connection's own session, the form `clickhouse-client --param_name` uses. The
 * value is the parameter's text form (as clickhouse-js sends it over HTTP), written as a SQL string
 * literal; test/foundation/store.test.ts round-trips random strings, arrays and numbers
 * through it against the engine. A statement that names a parameter it does not bind is refused
 * (a session keeps every value it was given).
 */
import type { ChdbConnection } from 'chdb/connection'

type Conn = Pick<ChdbConnection, 'query' | 'exec' | 'command' | 'insert' | 'ping' | 'close'>
type WithParams = { query: string; query_params?: Record<string, unknown>; abort_signal?: AbortSignal }

/** One connection and what runs on it. */
interface Lane {
  readonly conn: Conn
  /** Statements queued or running. */
  pending: number
  tail: Promise<unknown>
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** A `{name:Type}` placeholder in SQL text. */
const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/g

/** A ClickHouse SQL string literal of `s` (backslash escapes; no NUL reaches the SQL text). */
export function sqlStringLiteral(s: string): string {
  return `'${s.replace(/[\\'\0]/g, (c) => (c === '\0' ? '\\0' : `\\${c}`))}'`
}

const TEXT_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', "'": "\\'", '\b': '\\b', '\f': '\\f' }
const escapeText = (s: string) => s.replace(/[\\\t\n\r\0'\b\f]/g, (c) => TEXT_ESCAPES[c]!)

/**
 * A parameter value in the text form the engine parses for `{name:Type}` (the Escaped format, as
 * clickhouse-js sends `param_name` over HTTP): strings escaped, arrays as `['a','b']`, null as
 * `\N`. Our queries bind strings, numbers, bigints, booleans and flat arrays of those.
 * (clickhouse-js's own formatter lives in @clickhouse/client-common, which is not one of our
 * dependencies, only the client's; and chdb-node does not export its formatter.)
 */
export function paramText(v: unknown, nested = false): string {
  if (v === null || v === undefined) return nested ? 'NULL' : '\\N'
  if (typeof v === 'string') return nested ? `'${escapeText(v)}'` : escapeText(v)
  if (typeof v === 'bigint') return String(v)
  if (typeof v === 'number') return Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (Array.isArray(v)) return `[${v.map((x) => paramText(x, true)).join(',')}]`
  throw new TypeError(`unsupported query parameter value: ${Object.prototype.toString.call(v)}`)
}

/**
 * The statement with its parameters set on the lane's session first, without `query_params`.
 * A session keeps a parameter's value until it is set again (`SET param_x = DEFAULT` stores the
 * text "DEFAULT"; there is no unset), so a statement that names a parameter it does not bind
 * would read an earlier statement's value — perhaps another project's id. Such a statement is
 * refused before it runs, as the engine refuses it when parameters are bound per call.
 */
function bindParams<P extends WithParams>(p: P): P {
  const given = p.query_params ?? {}
  for (const m of p.query.matchAll(PLACEHOLDER)) {
    if (!Object.hasOwn(given, m[1]!)) throw new Error(`query parameter {${m[1]}} is not bound (UNKNOWN_QUERY_PARAMETER)`)
  }
  const names = Object.keys(given)
  if (names.length === 0) return p
  const sets = names.map((name) => {
    if (!PARAM_NAME.test(name)) throw new TypeError(`invalid query parameter name: ${JSON.stringify(name)}`)
    return `SET param_${name} = ${sqlStringLiteral(paramText(given[name]))}`
  })
  const text = `${sets.join('; ')}; ${p.query}`
  // The values now count toward the engine's max_query_size (256 KiB), which they did not as
  // separate parameters: a long list or text in a parameter would fail as a "syntax error". A
  // SET earlier in the same call applies to the statements after it.
  const bytes = Buffer.byteLength(text)
  const query = bytes < MAX_QUERY_SIZE_DEFAULT - 1024 ? text : `SET max_query_size = ${bytes + 1024}; ${text}`
  return { ...p, query, query_params: undefined }
}

/** The engine's default max_query_size. */
const MAX_QUERY_SIZE_DEFAULT = 262_144

/** `conns` as one Connection: each statement goes to the lane with the fewest statements queued. */
export function chdbLanes(conns: readonly Conn[]): Conn {
  if (conns.length === 0) throw new Error('chdbLanes needs at least one connection')
  const lanes: Lane[] = conns.map((conn) => ({ conn, pending: 0, tail: Promise.resolve() }))
  const pick = (): Lane => lanes.reduce((a, b) => (b.pending < a.pending ? b : a))
  /**
   * chDB hands a failed statement's partial output to the NEXT statement on the same connection:
   * a query that fails after writing some rows (a limit, a timeout, a bad value mid-scan) leaves
   * them in the connection's buffer, and the next query's result starts with them — whatever that
   * query is, from whichever project (reproduced in test/foundation/store.test.ts). An ndjson or
   * CSV export would stream another project's rows. So a lane runs one statement at a time, and
   * after one fails, a `SELECT 1` takes the leftovers before anything else runs there.
   */
  const run = <P extends WithParams, T>(p: P, call: (conn: Conn, statement: P) => Promise<T>): Promise<T> => {
    let statement: P
    const signal = p.abort_signal
    try {
      statement = { ...bindParams(p), abort_signal: undefined }
    } catch (e) {
      return Promise.reject(e)
    }
    const lane = pick()
    lane.pending++
    const result = lane.tail.then(() => {
      // Stopped while it waited for the lane: it never runs. A running one is stopped with
      // KILL QUERY (Store.cancelQueries): chdb-node would only stop waiting for it, leaving it to
      // run on with the lane looking free, so the signal is not passed on.
      if (signal?.aborted) throw Object.assign(new Error('the query was cancelled before it started'), { name: 'AbortError' })
      return call(lane.conn, statement).catch(async (e: unknown) => {
        await lane.conn.query({ query: 'SELECT 1' }).catch(() => {})
        throw e
      })
    })
    lane.tail = result.catch(() => {})
    void lane.tail.then(() => { lane.pending-- })
    return result
  }
  return {
    query: (p) => run(p, (c, s) => c.query(s)),
    exec: (p) => run(p, (c, s) => c.exec(s)),
    command: (p) => run(p, (c, s) => c.command(s)),
    insert: (p) => run(p, (c, s) => c.insert(s)),
    ping: () => run({ query: 'SELECT 1' }, (c, s) => c.query(s)).then(
      (r) => { r.stream.resume(); return { success: true as const } },
      (error: unknown) => ({ success: false as const, error: error instanceof Error ? error : new Error(String(error)) }),
    ),
    close: async () => { await Promise.all(lanes.map((l) => l.conn.close())) },
  }
}
