/**
 * Semi-join pushdown for `stats max(x) as m by k | filter m >= c [| sort m desc | limit n]`.
 *
 * A filter on an aggregate normally runs after the GROUP BY, so every group is built first: for
 * "slow requests with their app lines" that is millions of request ids with their messages. But
 * `max(x) >= c` holds for a group exactly when one of its rows has `x >= c`, so the grouped rows can
 * be narrowed to the keys of such rows before grouping:
 *
 *     WHERE … AND k IN (SELECT k FROM events WHERE … AND x >= c)
 *
 * Every row of a qualifying group is kept, so its aggregates are unchanged, and the filter itself
 * still runs after the GROUP BY: the answer is the same, only cheaper. Likewise `min(x) <= c`.
 *
 * When the pipeline then sorts by that same `m` (descending for max, ascending for min) and takes
 * `limit n`, the n groups with the largest max are the first n distinct keys of the rows ordered by
 * `x`, so the key set narrows further to `… ORDER BY x DESC LIMIT 1 BY k LIMIT n`, and only those
 * groups are read (the request_id bloom filter index then skips most of the table).
 *
 * Applied only where it is exact: the stats layer reads `events` directly (no ARRAY JOIN), every
 * `by` key is non-null (a NULL key would not match `IN`: a non-nullable column, or one the same
 * layer filtered with `isNotNull`), and the conditions are comparisons of the aggregate with a
 * constant. Anything else leaves the query as written.
 */
import type { Expr } from './ast.js'
import { compileExpr } from './compile-expr.js'
import type { ExprCtx } from './expr-ctx.js'
import type { Layer } from './layer.js'
import { aggregateCall, type Sql } from './types.js'

/** An aggregate column the pushdown understands: `max(arg)` or `min(arg)`. */
interface Extremum {
  readonly fn: 'max' | 'min'
  readonly arg: Sql
}

/** What the last `stats` left for the pushdown (null once a stage makes it inexact). */
export interface GroupInfo {
  readonly layer: Layer
  /** The stats layer's WHERE before any pushdown. */
  readonly baseWhere: readonly string[]
  readonly keys: readonly string[]
  readonly extrema: ReadonlyMap<string, Extremum>
  /** Pushed row conditions, each with the aggregate column it came from. */
  readonly conds: { readonly column: string; readonly sql: string }[]
  /** Every filter since `stats` was pushed (so the top-n rewrite is exact). */
  pure: boolean
  /** Where the pushed `IN` sits in `layer.where` (-1: none yet). */
  slot: number
  /** The current sort, if it is one extremum column in its own direction. */
  sort: { readonly column: string } | null
}

/** Columns of `events` that are never NULL. */
const NON_NULL = new Set(['project_id', 'ts', 'received_ts', 'id', 'environment', 'app', 'source', 'proc', 'proc_type', 'event_type', 'message', 'size', 'drain', 'frame_id'])

/** SQL of the expressions a filter asserts non-null at its top level (`isNotNull(x) and …`). */
export function nonNullAsserted(e: Expr, ctx: ExprCtx): string[] {
  if (e.kind === 'binary' && e.op === 'and') return [...nonNullAsserted(e.left, ctx), ...nonNullAsserted(e.right, ctx)]
  if (e.kind === 'call' && e.name.toLowerCase() === 'isnotnull' && e.args.length === 1) {
    try {
      return [compileExpr(e.args[0]!, ctx).sql]
    } catch {
      return []
    }
  }
  return []
}

/**
 * Group info for a stats layer, or null when the pushdown would not be exact. `aggs` are the
 * compiled aggregates by output name; `nonNull` the SQL asserted non-null by this layer's filters.
 */
export function groupInfo(layer: Layer, keys: readonly string[], aggs: readonly { name: string; e: Sql }[], nonNull: ReadonlySet<string>): GroupInfo | null {
  if (layer.from !== null || layer.arrayJoin.length > 0 || keys.length === 0) return null
  if (!keys.every((k) => NON_NULL.has(k) || nonNull.has(k))) return null
  const extrema = new Map<string, Extremum>()
  for (const a of aggs) {
    const c = aggregateCall(a.e)
    if (c && c.fn !== 'quantile') extrema.set(a.name, { fn: c.fn, arg: c.arg })
  }
  if (extrema.size === 0) return null
  return { layer, baseWhere: [...layer.where], keys, extrema, conds: [], pure: true, slot: -1, sort: null }
}

const UPWARD = new Set(['>=', '>'])
const DOWNWARD = new Set(['<=', '<'])
const FLIP: Record<string, string> = { '>=': '<=', '>': '<', '<=': '>=', '<': '>' }

const isConstant = (e: Expr): boolean =>
  e.kind === 'param' || (e.kind === 'literal' && (e.lit === 'int' || e.lit === 'float')) || (e.kind === 'unary' && e.op === '-' && isConstant(e.arg))

/**
 * The row condition equivalent (for group membership) to one conjunct of a filter on the
 * aggregated columns, or null. `ctx` is the filter's context; the aggregate column is replaced by
 * its argument, so the comparison compiles exactly as the filter's would.
 */
function rowCondition(g: GroupInfo, e: Expr, ctx: ExprCtx): { column: string; sql: string } | null {
  if (e.kind !== 'binary' || !(e.op in FLIP)) return null
  const [col, op, rhs] = e.left.kind === 'field' && isConstant(e.right)
    ? [e.left.name, e.op, e.right]
    : e.right.kind === 'field' && isConstant(e.left) ? [e.right.name, FLIP[e.op]!, e.left] : [null, '', e.right]
  const ext = col === null ? undefined : g.extrema.get(col)
  if (!ext || !(ext.fn === 'max' ? UPWARD : DOWNWARD).has(op)) return null
  const rowCtx: ExprCtx = { ...ctx, resolve: (name, span, quoted) => (name === col ? ext.arg : ctx.resolve(name, span, quoted)) }
  const cmp: Expr = { kind: 'binary', op: op as '>=', left: { kind: 'field', name: col!, span: e.span }, right: rhs, span: e.span }
  return { column: col!, sql: compileExpr(cmp, rowCtx).sql }
}

const conjuncts = (e: Expr): Expr[] => (e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e])

const keyTuple = (g: GroupInfo): string => (g.keys.length === 1 ? g.keys[0]! : `(${g.keys.join(', ')})`)

function place(g: GroupInfo, condition: string): void {
  if (g.slot < 0) g.slot = g.layer.where.push(condition) - 1
  else g.layer.where[g.slot] = condition
}

function semiJoin(g: GroupInfo, tail: string): string {
  const where = [...g.baseWhere, ...g.conds.map((c) => c.sql)].join(' AND ')
  return `${keyTuple(g)} IN (SELECT ${g.keys.join(', ')} FROM events WHERE ${where}${tail})`
}

/** A filter right after the stats layer: push what can be pushed, note whether all of it was. */
export function pushFilter(g: GroupInfo, e: Expr, ctx: ExprCtx): void {
  let pushed = false
  for (const c of conjuncts(e)) {
    const cond = rowCondition(g, c, ctx)
    if (cond) {
      g.conds.push(cond)
      pushed = true
    } else {
      g.pure = false
    }
  }
  if (pushed) place(g, semiJoin(g, ''))
}

/** A sort: remember it when it ranks by one extremum in its own direction. */
export function noteSort(g: GroupInfo, keys: readonly { expr: Expr; desc: boolean }[]): void {
  const k = keys.length === 1 ? keys[0]! : undefined
  const ext = k && k.expr.kind === 'field' ? g.extrema.get(k.expr.name) : undefined
  g.sort = k && ext && (ext.fn === 'max') === k.desc ? { column: (k.expr as { name: string }).name } : null
}

/** A plain `limit n` after a pushed filter and a matching sort: keep only the top n keys. */
export function pushLimit(g: GroupInfo, n: number): void {
  const s = g.sort
  if (!g.pure || s === null || g.conds.length === 0 || !g.conds.every((c) => c.column === s.column)) return
  const ext = g.extrema.get(s.column)!
  place(g, semiJoin(g, ` ORDER BY ${ext.arg.sql} ${ext.fn === 'max' ? 'DESC' : 'ASC'} LIMIT 1 BY ${g.keys.join(', ')} LIMIT ${n}`))
}
