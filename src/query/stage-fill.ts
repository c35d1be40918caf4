/**
 * `fill`: insert the missing buckets of a series (ClickHouse `ORDER BY … WITH FILL`, with
 * `INTERPOLATE` for `with f = expr`). Filled rows are marked `@fill = true`: the real rows carry a
 * constant 1 that filled rows get as the type default 0, read one layer further out.
 */
import type { Stage } from './ast.js'
import { compileExpr, unify } from './compile-expr.js'
import { fail } from './errors.js'
import { addOutput, defineCol, exprCtx, wrap, type Frame } from './frame.js'
import { intervalSql } from './literal.js'
import { PHASE, quoteAlias } from './layer.js'
import { isNumeric, sql } from './types.js'

/** Compile a `fill` stage. */
export function fillStage(s: Extract<Stage, { kind: 'fill' }>, f: Frame): void {
  if (f.rowMode) fail('fill_needs_stats', '`fill` works on the result of `stats`', s.span, 'e.g. `stats count() by bin(1h) as t | fill t`')
  if (s.field.kind !== 'field') fail('bad_argument', '`fill` takes a column name', s.field.span)
  defineCol(f, '_real', sql('toUInt8(1)', 'int'), false)
  wrap(f)
  const ctx = exprCtx(f)
  const key = compileExpr(s.field, ctx)
  const col = f.cols.get(s.field.name)!
  if (key.ty !== 'datetime' && !isNumeric(key.ty)) fail('type_mismatch', `\`fill\` needs a time or number column, got ${key.ty}`, s.field.span)
  let fill = 'WITH FILL'
  const iv = col.interval
  if (s.from) fill += ` FROM ${unify(key, s.field, compileExpr(s.from, ctx), s.from, ctx, s.from.span)[1].sql}`
  else if (key.ty === 'datetime' && iv) fill += ` FROM toStartOfInterval(${f.range.fromSql}, ${intervalSql(iv, ctx)}, ${f.tz()})`
  if (s.to) fill += ` TO ${unify(key, s.field, compileExpr(s.to, ctx), s.to, ctx, s.to.span)[1].sql}`
  else if (key.ty === 'datetime' && iv) {
    // TO is exclusive: end after the bucket holding the last microsecond of the range.
    fill += ` TO toStartOfInterval(${f.range.toSql} - toIntervalMicrosecond(1), ${intervalSql(iv, ctx)}, ${f.tz()}) + ${intervalSql(iv, ctx)}`
  }
  if (s.step) {
    const st = compileExpr(s.step, ctx)
    if (key.ty === 'datetime' && st.ty !== 'interval') fail('bad_interval', '`fill` of a time needs a step like `1h`', s.step.span)
    if (key.ty !== 'datetime' && !isNumeric(st.ty)) fail('bad_argument', '`fill` of a number needs a numeric step', s.step.span)
    fill += ` STEP ${st.sql}`
  } else if (key.ty === 'datetime') {
    if (!iv) fail('bad_argument', '`fill` of a time column needs `step`', s.span, 'add e.g. `step 1h`, or fill a `bin()` column')
    fill += ` STEP ${intervalSql(iv, ctx)}`
  }
  const layer = f.layer
  layer.orderBy = [`${key.sql} ${s.desc ? 'DESC' : 'ASC'}`]
  layer.fill = fill
  // ClickHouse does not substitute query parameters inside INTERPOLATE, so each value is computed
  // as a hidden column of this layer and carried into filled rows from the row before.
  const hidden: string[] = []
  for (const w of s.interpolate) {
    const target = f.cols.get(w.name)
    if (!target) fail('unknown_field', `unknown column \`${w.name}\``, w.span)
    const name = `_i${f.seq++}`
    defineCol(f, name, compileExpr(w.expr, ctx), false)
    hidden.push(name)
    layer.interpolate.push(`${quoteAlias(name)} AS ${quoteAlias(name)}`, `${target.sql} AS ${quoteAlias(name)}`)
  }
  layer.phase = PHASE.order
  wrap(f)
  for (const h of ['_real', ...hidden]) f.cols.delete(h)
  defineCol(f, '@fill', sql(`toBool(${quoteAlias('_real')} = 0)`, 'bool'), false)
  addOutput(f, ['@fill'])
  f.sortKeys = [{ expr: s.field, desc: s.desc }]
}
