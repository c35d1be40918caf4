/**
 * Aggregates, allowed only in `stats`. BadgerQL names plus CloudWatch spellings (`pct`,
 * `count_distinct`, `count(*)`). Percentile levels and `top` sizes are validated number literals:
 * ClickHouse parametric aggregates need constants there (`quantile(0.95)(x)`).
 */
import { fail } from './errors.js'
import { argAt, arity, compileArg, numberLiteral, type Call, type FnImpl } from './fn-helpers.js'
import type { CompileFn } from './expr-ctx.js'
import type { ExprCtx } from './expr-ctx.js'
import { isNumeric, numeric, settle, sql, type Sql } from './types.js'

const needRows = (e: Call, ctx: ExprCtx): void => {
  if (!ctx.rowMode) fail('bad_argument', `\`${e.name}()\` needs event rows (it orders by @ts); use it in the first \`stats\``, e.span)
}

const simple = (chName: string, numericOnly: boolean): FnImpl => (e, ctx, compile) => {
  arity(e, 1)
  const x = compileArg(e, 0, ctx, compile)
  const a = numericOnly || x.ty === 'dynamic' ? numeric(x, argAt(e, 0).span, `\`${e.name}()\``) : x
  const ty = chName === 'avg' ? 'float' : a.ty
  return sql(`${chName}(${a.sql})`, ty, false, chName === 'max' || chName === 'min' ? { aggCall: { fn: chName, arg: a } } : {})
}

const percentile = (e: Call, p: number, x: Sql): Sql => {
  void e
  // Level is a validated number literal rendered by JS (not user text): quantile needs a constant.
  return sql(`quantile(${p / 100})(${x.sql})`, 'float', false, { aggCall: { fn: 'quantile', arg: x, level: p / 100 } })
}

const unique: FnImpl = (e, ctx, compile) => {
  arity(e, 1)
  const x = compileArg(e, 0, ctx, compile)
  return sql(`uniqExact(${(x.ty === 'dynamic' ? settle(x, 'string') : x).sql})`, 'int')
}

const count = (e: Call, ctx: ExprCtx, compile: CompileFn): Sql => {
  if (e.star) return sql('count()', 'int')
  arity(e, 0, 1)
  if (e.args.length === 0) return sql('count()', 'int')
  const x = compileArg(e, 0, ctx, compile)
  // count(predicate) counts rows where it holds; count(expr) counts non-null values.
  return x.ty === 'bool' ? sql(`countIf(${x.sql})`, 'int') : sql(`count(${x.sql})`, 'int')
}

/** Every aggregate, by lower-case name. */
export const AGGREGATES: Readonly<Record<string, FnImpl>> = {
  count,
  sum: simple('sum', true),
  avg: simple('avg', true),
  min: simple('min', false),
  max: simple('max', false),
  unique,
  count_distinct: unique,
  percentile: (e, ctx, compile) => {
    arity(e, 2)
    const p = numberLiteral(e, 0, 'the percentile', 0, 100)
    return percentile(e, p, numeric(compileArg(e, 1, ctx, compile), argAt(e, 1).span, '`percentile()`'))
  },
  pct: (e, ctx, compile) => {
    arity(e, 2)
    const p = numberLiteral(e, 1, 'the percentile', 0, 100)
    return percentile(e, p, numeric(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`pct()`'))
  },
  first: (e, ctx, compile) => {
    arity(e, 1)
    needRows(e, ctx)
    const x = compileArg(e, 0, ctx, compile)
    return sql(`argMin(${x.sql}, ts)`, x.ty)
  },
  last: (e, ctx, compile) => {
    arity(e, 1)
    needRows(e, ctx)
    const x = compileArg(e, 0, ctx, compile)
    return sql(`argMax(${x.sql}, ts)`, x.ty)
  },
  apdex: (e, ctx, compile) => {
    arity(e, 2)
    const x = numeric(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`apdex()`')
    const t = numeric(compileArg(e, 1, ctx, compile), argAt(e, 1).span, '`apdex()` threshold')
    // Apdex = (satisfied + tolerating / 2) / total; satisfied ≤ T, tolerating ≤ 4T.
    return sql(`((countIf(${x.sql} <= ${t.sql}) + countIf(${x.sql} > ${t.sql} AND ${x.sql} <= 4 * ${t.sql}) / 2) / count(${x.sql}))`, 'float')
  },
  top: (e, ctx, compile) => {
    arity(e, 2, 3)
    const n = numberLiteral(e, 0, 'the number of top values', 1, 1000)
    const x = compileArg(e, 1, ctx, compile)
    const v = x.ty === 'dynamic' ? settle(x, 'string') : x
    if (e.args.length === 2) return sql(`topK(${n})(${v.sql})`, 'array', false, { elem: v.ty })
    // top(N, x, sum(w)): the N values of x with the largest total w (integer weights).
    const w = argAt(e, 2)
    if (w.kind !== 'call' || !['sum', 'count'].includes(w.name.toLowerCase())) fail('bad_argument', '`top()` ranks by `count()` or `sum(x)`', w.span)
    if (w.name.toLowerCase() === 'count') return sql(`topK(${n})(${v.sql})`, 'array', false, { elem: v.ty })
    arity(w, 1)
    const weight = numeric(compile(argAt(w, 0), ctx), argAt(w, 0).span, '`top()` weight')
    const wi = isNumeric(weight.ty) ? `toUInt64(greatest(0, ifNull(${weight.sql}, 0)))` : weight.sql
    return sql(`topKWeighted(${n})(${v.sql}, ${wi})`, 'array', false, { elem: v.ty })
  },
}
