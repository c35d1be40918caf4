/**
 * compileQuery: text → parameterised ClickHouse SQL, its parameters, settings, output columns and
 * an English reading. The project id and time range are always the first three parameters and
 * always bound the innermost SELECT; user stages can only narrow them.
 */
import { compileExpr } from './compile-expr.js'
import type { SortKey } from './ast.js'
import { toQueryError, type QueryError } from './errors.js'
import { explainQuery } from './explain.js'
import { DEFAULT_OUTPUT, ensureOrder, exprCtx, newFrame, resolveName, type Frame } from './frame.js'
import { PHASE, renderLayer } from './layer.js'
import { formatMicros, Params } from './params.js'
import { parseQuery } from './parser.js'
import { compileStage, keyable } from './stages.js'

/** Resource limits applied to every query (ClickHouse settings) and the result-size caps. */
export interface QueryLimits {
  readonly maxExecutionSeconds: number
  readonly maxRowsToRead: number
  readonly maxResultRows: number
  /** Rows returned when neither the query nor the request asks (1,000). */
  readonly defaultLimit: number
  /** Most rows a query may return (10,000). */
  readonly maxLimit: number
}

/**
 * No LLVM compilation of expressions, aggregates or sort descriptions. The engine compiles a shape
 * on its third execution, synchronously, inside that query: every shape had one slow run per
 * process (~+130 ms for p95 by path at 10M events), and no bench query ran measurably faster
 * compiled, idle or under ingest. Measurements: docs/query-language.md, "Limits on every query".
 */
const NO_JIT = { compile_expressions: 0, compile_aggregate_expressions: 0, compile_sort_description: 0 } as const

/** Everything outside the query text that compilation depends on. */
export interface CompileContext {
  readonly projectId: string
  readonly range: { readonly fromMicros: number; readonly toMicros: number }
  /** IANA timezone for calendar functions and `bin()`. */
  readonly timezone: string
  readonly params?: Readonly<Record<string, unknown>>
  readonly limits: QueryLimits
  /** Request override of the result cap. */
  readonly limit?: number
  /**
   * Narrow grouped rows by a filter on `max`/`min` aggregates before grouping (pushdown.ts);
   * default on. Off only to check that it never changes an answer.
   */
  readonly pushdown?: boolean
}

/** A compiled query, ready to run with @clickhouse/client (`query_params`, `clickhouse_settings`). */
export interface CompiledQuery {
  readonly sql: string
  readonly params: Record<string, unknown>
  readonly settings: Record<string, string | number>
  readonly columns: { readonly name: string; readonly type: string }[]
  readonly english: string
  /**
   * Set when the query is a plain newest-first row query over `events` (one SELECT, `ORDER BY ts
   * DESC`, a LIMIT): the names of its time-bound parameters, so a runner may try a narrower recent
   * window first and still return exactly the same rows once that window fills the limit.
   */
  readonly newestFirst?: { readonly fromParam: string; readonly toParam: string; readonly limit: number }
}

/** Result of {@link compileQuery}. */
export type CompileResult = { readonly ok: true; readonly query: CompiledQuery } | { readonly ok: false; readonly error: QueryError }

function reapplySort(f: Frame, keys: readonly SortKey[]): void {
  try {
    const ctx = exprCtx(f)
    f.layer.orderBy = keys.map((k) => `${keyable(compileExpr(k.expr, ctx)).sql} ${k.desc ? 'DESC' : 'ASC'}`)
  } catch {
    // A sort key that no longer resolves (dropped by a later stage) leaves the default order.
    f.layer.orderBy = []
  }
}

function compileUnsafe(text: string, ctx: CompileContext): CompiledQuery {
  const query = parseQuery(text)
  const params = new Params()
  const project = params.bind(ctx.projectId, 'String')
  const fromSql = params.bind(formatMicros(ctx.range.fromMicros), "DateTime64(6, 'UTC')")
  const toSql = params.bind(formatMicros(ctx.range.toMicros), "DateTime64(6, 'UTC')")
  let tzSql: string | undefined
  const f = newFrame({
    text, params, userParams: ctx.params ?? {}, range: { fromSql, toSql },
    rangeSeconds: Math.max(1, (ctx.range.toMicros - ctx.range.fromMicros) / 1e6),
    tz: () => (tzSql ??= params.bind(ctx.timezone, 'String')),
    pushdown: ctx.pushdown ?? true,
  })
  f.layer.where.push(`project_id = ${project}`, `ts >= ${fromSql}`, `ts < ${toSql}`)
  for (const stage of query.stages) compileStage(stage, f)

  // Final projection: the output columns in order.
  const layer = f.layer
  const outNames = f.output ?? [...DEFAULT_OUTPUT]
  const columns = outNames.map((name) => {
    const e = resolveName(f, name, { start: 0, end: 0 }, true)
    return { name, sql: e.sql, ty: e.ty }
  })
  layer.star = false
  layer.select.length = 0
  // Comparisons are UInt8 in ClickHouse; bool columns are returned as true/false.
  for (const c of columns) layer.select.push({ sql: c.ty === 'bool' && !c.sql.startsWith('toBool(') ? `toBool(${c.sql})` : c.sql, alias: c.name })
  if (layer.orderBy.length === 0 && layer.phase < PHASE.limitBy) {
    if (f.sortKeys) reapplySort(f, f.sortKeys)
    if (layer.orderBy.length === 0) ensureOrder(f)
  }
  const cap = Math.min(ctx.limits.maxLimit, ctx.limit ?? ctx.limits.defaultLimit)
  layer.limit = layer.limit === null ? cap : Math.min(layer.limit, ctx.limit ?? ctx.limits.maxLimit, ctx.limits.maxLimit)

  const sql = renderLayer(layer, params)
  const plain = layer.from === null && layer.groupBy === null && layer.limitBy === null && layer.arrayJoin.length === 0 && layer.fill === null
  const newestFirst = plain && layer.limit !== null && layer.orderBy.length === 1 && layer.orderBy[0] === 'ts DESC'
    ? { fromParam: paramName(fromSql), toParam: paramName(toSql), limit: layer.limit }
    : undefined
  return {
    sql,
    ...(newestFirst ? { newestFirst } : {}),
    params: params.values,
    settings: {
      // readonly=2: read-only, but the request may still carry the settings below.
      readonly: 2,
      max_execution_time: ctx.limits.maxExecutionSeconds,
      max_rows_to_read: ctx.limits.maxRowsToRead,
      max_result_rows: ctx.limits.maxResultRows,
      result_overflow_mode: 'throw',
      // Column names win over aliases, so no output name can change what a WHERE reads.
      prefer_column_name_to_alias: 1,
      ...NO_JIT,
      ...f.extraSettings,
    },
    columns: columns.map((c) => ({ name: c.name, type: c.ty })),
    english: explainQuery(query, { timezone: ctx.timezone, limit: layer.limit }),
  }
}

/** `p1` of a `{p1:Type}` placeholder. */
const paramName = (placeholder: string): string => placeholder.slice(1, placeholder.indexOf(':'))

/** Compile query text; never throws (every failure is a located {@link QueryError}). */
export function compileQuery(text: string, ctx: CompileContext): CompileResult {
  try {
    return { ok: true, query: compileUnsafe(text, ctx) }
  } catch (err) {
    return { ok: false, error: toQueryError(text, err) }
  }
}
