/**
 * Stage compilers, one per stage kind in a `Record<StageKind, …>`. Each fills the current layer
 * or wraps it first when SQL's clause order would otherwise change the user's order of operations.
 */
import type { Named, Stage, StageKind } from './ast.js'
import { compileExpr } from './compile-expr.js'
import { fail, type Span } from './errors.js'
import { addOutput, autoName, checkAlias, defineCol, ensureOrder, exprCtx, wrap, type Frame } from './frame.js'
import { PHASE, quoteAlias } from './layer.js'
import { paramValue } from './literal.js'
import { captureGroups, checkRegex } from './regex.js'
import { aggregateCall, booly, castTo, settle, sql, type Sql } from './types.js'
import { fillStage } from './stage-fill.js'
import { groupInfo, noteSort, nonNullAsserted, pushFilter, pushLimit } from './pushdown.js'

type Handler<K extends StageKind> = (s: Extract<Stage, { kind: K }>, f: Frame) => void

/** Name of a `Named` item: its alias, the field it names, or its text. */
export function nameOf(n: Named, def: Sql): string {
  if (n.alias !== undefined) {
    checkAlias(n.alias, n.span, def.sql)
    return n.alias
  }
  if (n.expr.kind === 'field') return autoName(n.expr.name)
  return autoName(n.text)
}

/** Dynamic values cannot be GROUP BY / ORDER BY keys: read them as strings unless hinted. */
export const keyable = (e: Sql): Sql => (e.ty === 'dynamic' ? settle(e, 'string') : e)

function defineItems(f: Frame, items: readonly Named[]): string[] {
  const ctx = exprCtx(f)
  return items.map((it) => {
    const e = compileExpr(it.expr, ctx)
    const name = nameOf(it, e)
    defineCol(f, name, e, it.expr.kind === 'field' && f.rowMode)
    return name
  })
}

/**
 * Several percentiles of one value in one `stats` (p50/p95/p99 of service time) share one sampler:
 * `quantiles(0.5, 0.95, 0.99)(x)[i]` instead of three `quantile(p)(x)`, which ClickHouse computes
 * once per group (measured at 10M events: "Slowest endpoints" 1.24 → 0.84 s). The same estimator:
 * exact up to 8,192 values per group, one reservoir sample of them beyond.
 */
function fusePercentiles(aggs: { name: string; e: Sql }[]): void {
  const byArg = new Map<string, { i: number; level: number }[]>()
  aggs.forEach((a, i) => {
    const c = aggregateCall(a.e)
    if (c?.fn === 'quantile') byArg.set(c.arg.sql, [...(byArg.get(c.arg.sql) ?? []), { i, level: c.level! }])
  })
  for (const [arg, uses] of byArg) {
    if (uses.length < 2) continue
    const levels = uses.map((u) => u.level).join(', ')
    uses.forEach((u, k) => {
      const a = aggs[u.i]!
      aggs[u.i] = { ...a, e: sql(`quantiles(${levels})(${arg})[${k + 1}]`, a.e.ty, a.e.agg) }
    })
  }
}

function limitCount(s: Extract<Stage, { kind: 'limit' }>, f: Frame): number {
  const c = s.count
  const v = c.kind === 'literal' ? c.value : c.kind === 'param' ? paramValue(c, exprCtx(f)) : undefined
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail('bad_argument', '`limit` needs a whole number', c.span, 'e.g. `limit 20`')
  return v
}

const HANDLERS: { readonly [K in StageKind]: Handler<K> } = {
  filter: (s, f) => {
    if (f.layer.phase > PHASE.where || f.layer.groupBy) wrap(f)
    const ctx = exprCtx(f)
    const e = compileExpr(s.expr, ctx)
    f.layer.where.push(booly(e, s.expr.span, '`filter`').sql)
    f.layer.phase = Math.max(f.layer.phase, PHASE.where)
    if (f.group) pushFilter(f.group, s.expr, ctx)
    else if (f.rowMode) for (const x of nonNullAsserted(s.expr, ctx)) f.layer.nonNull.add(x)
  },
  fields: (s, f) => addOutput(f, defineItems(f, s.items)),
  only: (s, f) => {
    f.output = []
    addOutput(f, defineItems(f, s.items))
  },
  stats: (s, f) => {
    if (f.layer.phase > PHASE.where || !f.rowMode) wrap(f)
    const ctx = exprCtx(f)
    const by = s.by.map((it) => {
      const e = keyable(compileExpr(it.expr, ctx))
      return { name: nameOf(it, e), e }
    })
    // Later aggregates may use earlier ones by name: `count(x) as a, count() as b, a / b as ratio`.
    const local = new Map<string, Sql>()
    const base = exprCtx(f, true)
    const aggCtx = { ...base, resolve: (name: string, span: Span, quoted: boolean) => local.get(name) ?? base.resolve(name, span, quoted) }
    const aggs = s.aggs.map((it) => {
      const e = compileExpr(it.expr, aggCtx)
      if (!e.agg) fail('not_aggregate', `\`${it.text}\` is not an aggregate`, it.expr.span, 'put plain fields after `by`, e.g. `stats count() by router.path`')
      const name = nameOf(it, e)
      local.set(name, { ...e, sql: `(${e.sql})` })
      return { name, e }
    })
    const group = f.pushdown ? groupInfo(f.layer, by.map((b) => b.e.sql), aggs, f.layer.nonNull) : null
    fusePercentiles(aggs)
    f.layer.groupBy = by.map((b) => b.e.sql)
    f.layer.star = false
    f.layer.phase = PHASE.group
    f.rowMode = false
    f.cols.clear()
    for (const x of [...by, ...aggs]) defineCol(f, x.name, x.e, false)
    f.output = [...by, ...aggs].map((x) => x.name)
    f.byNames = by.map((b) => b.name)
    f.sortKeys = null
    f.group = group
  },
  sort: (s, f) => {
    if (f.layer.phase > PHASE.order) wrap(f)
    const ctx = exprCtx(f)
    f.layer.orderBy = s.keys.map((k) => `${keyable(compileExpr(k.expr, ctx)).sql} ${k.desc ? 'DESC' : 'ASC'}`)
    f.layer.phase = PHASE.order
    f.sortKeys = s.keys
    if (f.group) noteSort(f.group, s.keys)
  },
  limit: (s, f) => {
    const n = limitCount(s, f)
    if (s.by.length > 0) {
      if (f.layer.phase >= PHASE.limitBy) wrap(f)
      ensureOrder(f)
      const ctx = exprCtx(f)
      f.layer.limitBy = { n, by: s.by.map((b) => keyable(compileExpr(b, ctx)).sql) }
      f.layer.phase = PHASE.limitBy
      return
    }
    if (f.layer.phase >= PHASE.limit) wrap(f)
    ensureOrder(f)
    f.layer.limit = n
    f.layer.phase = PHASE.limit
    if (f.group) pushLimit(f.group, n)
  },
  parse: (s, f) => {
    const ctx = exprCtx(f)
    const src = compileExpr(s.source, ctx)
    const text = src.ty === 'string' ? src : castTo(src, 'str')
    if (s.regex.kind !== 'regex') fail('bad_argument', '`parse` needs a regex', s.regex.span)
    const groups = captureGroups(s.regex.source)
    if (!groups.some((g) => g !== undefined)) fail('bad_regex', '`parse` needs named captures', s.regex.span, 'write `(?<name>…)` for each field to extract')
    const re = f.params.bind(checkRegex(s.regex.source, s.regex.span), 'String')
    const names: string[] = []
    groups.forEach((g, i) => {
      if (g === undefined) return
      checkAlias(g, s.regex.span, '')
      // No match → NULL (extractGroups would give an empty array and '' for every group).
      defineCol(f, g, sql(`if(match(${text.sql}, ${re}), arrayElement(extractGroups(${text.sql}, ${re}), ${i + 1}), NULL)`, 'string'), false)
      names.push(g)
    })
    addOutput(f, names)
  },
  unique: (s, f) => {
    if (f.layer.phase >= PHASE.limitBy) wrap(f)
    ensureOrder(f)
    const ctx = exprCtx(f)
    f.layer.limitBy = { n: 1, by: s.exprs.map((e) => keyable(compileExpr(e, ctx)).sql) }
    f.layer.phase = PHASE.limitBy
  },
  expand: (s, f) => {
    if (f.layer.phase > PHASE.arrayJoin || f.layer.groupBy) wrap(f)
    const ctx = exprCtx(f)
    const names = s.items.map((it) => {
      let e = it.expr
      const hint = e.kind === 'cast' ? e.to : undefined
      if (e.kind === 'cast') e = e.arg
      if (e.kind !== 'index' || e.index !== '*') fail('bad_argument', '`expand` takes arrays written `name[*]`', it.expr.span, 'e.g. `expand tags[*]`')
      const arr = settle(compileExpr(e.arg, ctx), 'array')
      if (arr.ty !== 'array') fail('type_mismatch', `\`${it.text}\` is not an array`, it.expr.span)
      const alias = `_e${f.seq++}`
      f.layer.arrayJoin.push({ sql: arr.sql, alias })
      const elem = sql(quoteAlias(alias), arr.elem ?? 'string')
      const name = it.alias !== undefined ? nameOf(it, elem) : e.arg.kind === 'field' ? autoName(e.arg.name) : autoName(it.text)
      defineCol(f, name, hint ? castTo(elem, hint) : elem, false)
      return name
    })
    f.layer.phase = Math.max(f.layer.phase, PHASE.arrayJoin)
    if (s.items.length > 1) f.extraSettings.enable_unaligned_array_join = 1
    addOutput(f, names)
  },
  fill: fillStage,
}

/** Stages after which a filter on the aggregates may still be pushed below the GROUP BY (a `limit` may use it, then ends it). */
const KEEPS_GROUP: ReadonlySet<StageKind> = new Set(['stats', 'filter', 'sort'])

/** Compile one stage into the frame. */
export function compileStage(s: Stage, f: Frame): void {
  if (!KEEPS_GROUP.has(s.kind) && s.kind !== 'limit') f.group = null
  ;(HANDLERS[s.kind] as Handler<typeof s.kind>)(s as never, f)
  // A filter after a limit must not narrow the groups the limit chose from.
  if (s.kind === 'limit') f.group = null
}
