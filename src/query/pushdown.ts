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
 * Percentiles, top n: `stats percentile(95, x) as p by k | sort p desc | limit n`. A group's
 * percentile is at most its max, so a group whose percentile is at least T has a row with x >= T.
 * T is a lower bound of the n-th largest percentile, taken from real groups: the percentiles of
 * n + max(5, n/4) groups among those of the 1,000 rows with the largest x (the n-th largest
 * among them, when there are n). Any real groups give a valid bound; the ones chosen are those
 * seen once among the top rows first (mostly ids in paths, a few rows each), then by their
 * largest x: a popular key (/health) sits in every granule, and reading whole groups of popular
 * keys was most of the bound's cost (10M events, p95 by router.path: ~620 → ~450 ms for the
 * whole query). Each group costs granules to read, so few beyond n: 25 groups instead of 40 for
 * n = 20 took the whole query's median from ~380 to ~300 ms (3 interleaved series). Then
 *
 *     WHERE … AND k IN (SELECT k FROM events WHERE … AND (T IS NULL OR x >= T))
 *
 * keeps every group that can be in the top n, whole (the percentile of a group and its other
 * aggregates are unchanged). Descending, with one key, the candidates are narrowed further: a
 * popular key with one slow request (/health) has a row past T, but its percentile cannot reach
 * T unless enough of its rows do (how many follows from `quantile`'s interpolation and a lower
 * bound of the group's size, counted over the first 50,000 candidate rows). Dropping those
 * leaves rare keys only, which the key's bloom filter finds. The NULL key's group is read in a
 * UNION ALL branch of its own (an OR with isNull(k) would stop the index), and only when it has
 * a row past T. With random ids in paths (millions of groups, most with a handful of
 * rows) this skips building almost every group (measured in the query bench: "p95 by path"); with
 * few groups the extra scans cost more than they save, so only many-valued keys get it.
 * Ascending is the mirror image (a percentile is at least the min). `percentile` is ClickHouse's
 * `quantile` (exact up to 8,192 values per group, a reservoir sample beyond), so for groups that
 * large "unchanged" means "the same estimator", as in the query without the rewrite.
 *
 * Applied only where it is exact: the stats layer reads `events` directly (no ARRAY JOIN), every
 * `by` key is non-null (a NULL key would not match `IN`: a non-nullable column, or one the same
 * layer filtered with `isNotNull`) — except for the percentile rewrite, which keeps groups with a
 * NULL key whole (`OR isNull(k)`) — and the conditions are comparisons of the aggregate with a
 * constant. Anything else leaves the query as written.
 */
import type { Expr } from './ast.js'
import { compileExpr } from './compile-expr.js'
import type { ExprCtx } from './expr-ctx.js'
import type { Layer } from './layer.js'
import { PROMOTED_COLUMNS } from '../model/index.js'
import { aggregateCall, type Sql } from './types.js'

/** An aggregate column the pushdown understands: `max(arg)` or `min(arg)`. */
interface Extremum {
  readonly fn: 'max' | 'min'
  readonly arg: Sql
}

/** A percentile column: `quantile(level)(arg)`. */
interface Percentile {
  readonly level: number
  readonly arg: Sql
}

/** What the last `stats` left for the pushdown (null once a stage makes it inexact). */
export interface GroupInfo {
  readonly layer: Layer
  /** The stats layer's WHERE before any pushdown. */
  readonly baseWhere: readonly string[]
  readonly keys: readonly string[]
  /** Keys that may be NULL: only the percentile rewrite applies, keeping those groups whole. */
  readonly nullableKeys: readonly string[]
  readonly extrema: ReadonlyMap<string, Extremum>
  readonly percentiles: ReadonlyMap<string, Percentile>
  /** Pushed row conditions, each with the aggregate column it came from. */
  readonly conds: { readonly column: string; readonly sql: string }[]
  /** Every filter since `stats` was pushed (so the top-n rewrite is exact). */
  pure: boolean
  /** Where the pushed `IN` sits in `layer.where` (-1: none yet). */
  slot: number
  /** The current sort, if it is one extremum column in its own direction, or one percentile column. */
  sort: { readonly column: string; readonly percentile?: { readonly desc: boolean } } | null
}

/**
 * Plain-String columns of `events` whose values are mostly distinct (ids, raw paths, addresses):
 * grouping by one builds a group per handful of rows. The percentile rewrite costs two extra
 * scans, so it only runs when a key is one of these (measured at 10M events: p95 by router.path,
 * 2.6M groups, 1.8 s → ~0.65 s; by router.route, LowCardinality, 0.31 → 0.70 s with the rewrite).
 */
const MANY_VALUED = new Set(['request_id', 'message', 'frame_id', ...PROMOTED_COLUMNS.filter((c) => /^(Nullable\()?String\)?$/.test(c.chType)).map((c) => c.column)])

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
 * compiled aggregates by output name, before percentiles of one value are fused into one
 * `quantiles(…)` (each still is that percentile); `nonNull` the SQL asserted non-null by this
 * layer's filters.
 */
export function groupInfo(layer: Layer, keys: readonly string[], aggs: readonly { name: string; e: Sql }[], nonNull: ReadonlySet<string>): GroupInfo | null {
  if (layer.from !== null || layer.source !== null || layer.arrayJoin.length > 0 || keys.length === 0) return null
  const nullableKeys = keys.filter((k) => !NON_NULL.has(k) && !nonNull.has(k))
  const extrema = new Map<string, Extremum>()
  const percentiles = new Map<string, Percentile>()
  for (const a of aggs) {
    const c = aggregateCall(a.e)
    if (c?.fn === 'quantile') {
      if (keys.some((k) => MANY_VALUED.has(k))) percentiles.set(a.name, { level: c.level!, arg: c.arg })
    }
    // The extrema rewrites would lose groups with a NULL key (NULL never matches IN).
    else if (c && nullableKeys.length === 0) extrema.set(a.name, { fn: c.fn, arg: c.arg })
  }
  if (extrema.size === 0 && percentiles.size === 0) return null
  return { layer, baseWhere: [...layer.where], keys, nullableKeys, extrema, percentiles, conds: [], pure: true, slot: -1, sort: null }
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
  const name = k && k.expr.kind === 'field' ? k.expr.name : undefined
  const ext = name === undefined ? undefined : g.extrema.get(name)
  if (k && ext && (ext.fn === 'max') === k.desc) g.sort = { column: name! }
  else if (k && name !== undefined && g.percentiles.has(name)) g.sort = { column: name, percentile: { desc: k.desc } }
  else g.sort = null
}

/** Rows whose groups give the percentile top n its bound (see the file comment). */
const BOUND_ROWS = 1000

/** A plain `limit n` after a pushed filter and a matching sort: keep only the top n keys. */
export function pushLimit(g: GroupInfo, n: number): void {
  const s = g.sort
  if (s?.percentile) {
    if (g.pure && g.conds.length === 0 && n > 0) placePercentileTopN(g, g.percentiles.get(s.column)!, s.percentile.desc, n)
    return
  }
  if (!g.pure || s === null || g.conds.length === 0 || !g.conds.every((c) => c.column === s.column)) return
  const ext = g.extrema.get(s.column)!
  place(g, semiJoin(g, ` ORDER BY ${ext.arg.sql} ${ext.fn === 'max' ? 'DESC' : 'ASC'} LIMIT 1 BY ${g.keys.join(', ')} LIMIT ${n}`))
}

/** Router columns: only rows with event_type 'router' have them (the writer promotes router lines only). */
const ROUTER_COLUMNS = new Set(PROMOTED_COLUMNS.map((c) => c.column))

/** Nullable(String) columns of `events` (a NULL-key branch can return NULL for them unread). */
const NULLABLE_STRING = new Set(['request_id', ...PROMOTED_COLUMNS.filter((c) => c.chType === 'Nullable(String)').map((c) => c.column)])

/**
 * Rows read, at most, to count the candidate keys' rows (a lower bound of each one's group size;
 * any subset of the rows gives one). Popular keys fill most of the matches, so a few thousand
 * of theirs are seen long before the limit; a rare key seen in none stays a candidate.
 */
const PRUNE_ROWS = 50_000

/** `quantile`'s reservoir: groups larger than this are estimated from a sample of this many values. */
const RESERVOIR = 8192

/** Apply the percentile top n to the stats layer (see the file comment). */
function placePercentileTopN(g: GroupInfo, p: Percentile, desc: boolean, n: number): void {
  const { keep, nullGroupCanRank } = percentileTopN(g, p, desc, n)
  // A group with a NULL key never matches IN: keep such groups whole (for `by router.path`, the
  // one group of every line that is not a router line).
  const isNullKey = g.nullableKeys.map((k) => `isNull(${k})`).join(' OR ')
  if (!nullGroupCanRank || g.nullableKeys.length !== 1) {
    place(g, isNullKey ? `(${keep} OR ${isNullKey})` : keep)
    return
  }
  // One key: read its NULL group in a branch of its own, so that the other branch's IN can use
  // the key's skip index (an OR with isNull(k) defeats it; 10M events, p95 by router.path: the
  // final grouping ~140 → ~25 ms), and only when it can rank at all (~40 ms more to read it).
  // A Nullable(String) key is returned there as NULL, unread.
  const k = g.keys[0]!
  const where = g.baseWhere.join(' AND ') || '1'
  const nullStar = NULLABLE_STRING.has(k) ? `* REPLACE (CAST(NULL, 'Nullable(String)') AS ${k})` : '*'
  g.layer.source =
    `SELECT * FROM events WHERE ${where} AND isNotNull(${k}) AND ${keep} ` +
    // (`events.k`: the table's column, not the NULL that REPLACE names k)
    `UNION ALL SELECT ${nullStar} FROM events WHERE ${where} AND isNull(events.${k}) AND ${nullGroupCanRank}`
}

/**
 * The key condition of a percentile top n (see the file comment), and, where the candidates are
 * pruned (descending, one key), the condition for reading the NULL key's group.
 */
function percentileTopN(g: GroupInfo, p: Percentile, desc: boolean, n: number): { keep: string; nullGroupCanRank?: string } {
  const x = p.arg.sql
  // Where x or a key is a router column, the rows that can matter are router rows: the primary
  // key (project_id, event_type, ts) then reads ~60% of the range instead of all of it.
  const routerOnly = ROUTER_COLUMNS.has(x) || g.keys.some((k) => ROUTER_COLUMNS.has(k))
  const base = [...g.baseWhere, ...(routerOnly ? ["event_type = 'router'"] : [])].join(' AND ') || '1'
  const keys = g.keys.join(', ')
  const dir = desc ? 'DESC' : 'ASC'
  const cmp = desc ? '>=' : '<='
  // The bound's groups: keys of the rows with the largest x, those seen once among them first
  // (mostly ids in paths: few rows each, so their groups are quick to read; a popular key such
  // as /health sits in every granule), then by their largest x; n + max(5, n/4) of them.
  const ext = desc ? 'max' : 'min'
  const rows = `SELECT ${keys} FROM (SELECT ${keys}, ${x} AS __x FROM events WHERE ${base} AND ${x} IS NOT NULL ORDER BY ${x} ${dir} LIMIT ${BOUND_ROWS}) ` +
    `GROUP BY ${keys} ORDER BY count() > 1, ${ext}(__x) ${dir} LIMIT ${n + Math.max(5, n >> 2)}`
  const bound =
    `(SELECT if(count() >= ${n}, ${desc ? 'min' : 'max'}(__p), NULL) FROM (SELECT quantile(${p.level})(${x}) AS __p FROM events ` +
    `WHERE ${base} AND ${keyTuple(g)} IN (${rows}) GROUP BY ${keys} ORDER BY __p ${dir} LIMIT ${n}))`
  const beyond = `${x} ${cmp} ${bound}`
  if (!desc || g.keys.length > 1) {
    // Ascending, every key with one fast row is a candidate, popular ones included, and a
    // popular key's percentile is low: nothing to prune (below), only more to read. With
    // several keys, the pruning's join cost more than it saved (p50 by router.path and
    // router.status at 10M: ~540 → ~850 ms).
    return { keep: `(${bound} IS NULL OR ${keyTuple(g)} IN (SELECT ${keys} FROM events WHERE ${base} AND ${beyond}))` }
  }
  // One key from here on. Candidates: keys with a row at or above the bound, and how many such
  // rows each has.
  const k = g.keys[0]!
  const cands = `SELECT ${k} AS __k, count() AS __n FROM events WHERE ${base} AND ${beyond} GROUP BY ${k}`
  // A lower bound of each candidate's group size (rows with x, as quantile skips NULLs), from
  // the first PRUNE_ROWS of their rows.
  const sizes = `SELECT __k, count() AS __l FROM (SELECT ${k} AS __k FROM events WHERE ${base} AND ${x} IS NOT NULL AND ` +
    `${k} IN (SELECT ${k} FROM events WHERE ${base} AND ${beyond}) LIMIT ${PRUNE_ROWS}) GROUP BY __k`
  // quantile(level) over s values (s = min(size, RESERVOIR), sorted ascending) interpolates
  // between the value at floor(level·(s−1)) and the next one, so it is ≥ T only if the values
  // from that next one up are ≥ T: s − 1 − floor(level·(s−1)) of them. A group with fewer rows
  // at or above T cannot reach the top n (a popular key with one slow request: /health). The
  // size is a lower bound and the need grows with s, so no group that could qualify is
  // dropped; one row of slack covers rounding.
  const s = `greatest(least(ifNull(__l, 0), ${RESERVOIR}), 1)`
  const need = `${s} - 1 - floor(${p.level} * (${s} - 1))`
  const kept = `SELECT __k FROM (${cands}) AS __c LEFT JOIN (${sizes}) AS __s USING (__k) WHERE __n + 1 >= ${need}`
  // With a bound, n real groups have a percentile ≥ T, so the NULL key's group ranks only if
  // it has a row ≥ T too. (x a router column: only router rows have one.)
  const nullRows = `SELECT count() FROM events WHERE ${ROUTER_COLUMNS.has(x) ? base : g.baseWhere.join(' AND ') || '1'} AND isNull(${k}) AND ${beyond}`
  return { keep: `(${bound} IS NULL OR ${k} IN (${kept}))`, nullGroupCanRank: `(${bound} IS NULL OR (${nullRows}) > 0)` }
}
