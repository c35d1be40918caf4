/**
 * Time functions. Calendar parts and buckets are computed in the request's IANA timezone
 * (bound once as a parameter), so `bin(1d)` and `toHour()` follow the user's wall clock.
 */
import { autoInterval } from './bin.js'
import { fail } from './errors.js'
import { argAt, arity, compileArg, type FnImpl } from './fn-helpers.js'
import { intervalSql } from './literal.js'
import { numeric, sql, stringy, timey, type Sql } from './types.js'

const part = (chName: string): FnImpl => (e, ctx, compile) => {
  arity(e, 1)
  const t = timey(compileArg(e, 0, ctx, compile), argAt(e, 0).span, `\`${e.name}()\``)
  return sql(`${chName}(${t.sql}, ${ctx.tz()})`, 'int', t.agg)
}

const ts = (): Sql => sql('ts', 'datetime')

/** `bin()`, `bin(1h)`, `bin(@ts)`, `bin(@ts, 1h)`, `bin(router.service, 100)`. */
const bin: FnImpl = (e, ctx, compile) => {
  arity(e, 0, 2)
  const args = e.args.map((a) => compile(a, ctx))
  let target: Sql = ctx.rowMode ? ts() : fail('unknown_field', '`bin()` without a field needs `@ts` in scope', e.span)
  let step: Sql | undefined
  if (args.length === 2) [target, step] = [args[0]!, args[1]!]
  else if (args.length === 1 && (args[0]!.ty === 'interval')) step = args[0]!
  else if (args.length === 1) target = args[0]!
  if (target.ty === 'int' || target.ty === 'float' || target.ty === 'dynamic') {
    const x = numeric(target, argAt(e, 0).span, '`bin()`')
    if (!step) fail('bad_argument', '`bin()` of a number needs a bucket size, e.g. `bin(router.service, 100)`', e.span)
    const w = numeric(step, argAt(e, 1).span, '`bin()` size')
    return sql(`(floor(${x.sql} / ${w.sql}) * ${w.sql})`, x.ty === 'int' && w.ty === 'int' ? 'int' : 'float', x.agg)
  }
  const t = timey(target, e.span, '`bin()`')
  if (step && step.ty !== 'interval') fail('bad_interval', '`bin()` needs a duration like `5m` or `1h`', argAt(e, e.args.length - 1).span)
  const iv = step?.interval ?? autoInterval(ctx.rangeSeconds)
  const ivSql = step ? step.sql : intervalSql(iv, ctx)
  return sql(`toStartOfInterval(${t.sql}, ${ivSql}, ${ctx.tz()})`, 'datetime', t.agg, { interval: iv })
}

const startOf: FnImpl = (e, ctx, compile) => {
  arity(e, 2)
  const t = timey(compileArg(e, 0, ctx, compile), argAt(e, 0).span, `\`${e.name}()\``)
  const step = compileArg(e, 1, ctx, compile)
  if (step.ty !== 'interval') fail('bad_interval', `\`${e.name}()\` needs a duration like \`1d\``, argAt(e, 1).span)
  const start = `toStartOfInterval(${t.sql}, ${step.sql}, ${ctx.tz()})`
  if (e.name.toLowerCase() === 'tostartof') return sql(start, 'datetime', t.agg)
  // End of the bucket: its start plus one interval, less one microsecond.
  const next = compileArg(e, 1, ctx, compile).sql
  return sql(`subtractMicroseconds(toDateTime64(${start}, 6, ${ctx.tz()}) + ${next}, 1)`, 'datetime', t.agg)
}

/** Time functions by lower-case name. */
export const TIME_FUNCTIONS: Readonly<Record<string, FnImpl>> = {
  now: (e) => (arity(e, 0), sql('now64(6)', 'datetime')),
  totimezone: (e, ctx, compile) => {
    arity(e, 2)
    const t = timey(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`toTimezone()`')
    const z = argAt(e, 1)
    if (z.kind !== 'literal' || z.lit !== 'string') fail('bad_argument', '`toTimezone()` needs a timezone name like "Europe/Paris"', z.span)
    try {
      new Intl.DateTimeFormat('en', { timeZone: String(z.value) })
    } catch {
      fail('bad_argument', `unknown timezone \`${String(z.value)}\``, z.span)
    }
    return sql(`toTimeZone(${t.sql}, ${ctx.params.bind(z.value, 'String')})`, 'datetime', t.agg)
  },
  toyear: part('toYear'),
  tomonth: part('toMonth'),
  today: part('toDayOfMonth'),
  tohour: part('toHour'),
  tominute: part('toMinute'),
  todayofweek: (e, ctx, compile) => {
    arity(e, 1)
    const t = timey(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`toDayOfWeek()`')
    // Mode 0: Monday = 1 … Sunday = 7 (ISO 8601).
    return sql(`toDayOfWeek(${t.sql}, 0, ${ctx.tz()})`, 'int', t.agg)
  },
  formatdate: (e, ctx, compile) => {
    arity(e, 2)
    const t = timey(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`formatDate()`')
    const f = argAt(e, 1)
    if (f.kind !== 'literal' || f.lit !== 'string') fail('bad_argument', '`formatDate()` needs a format string like "%Y-%m-%d"', f.span)
    return sql(`formatDateTime(${t.sql}, ${ctx.params.bind(f.value, 'String')}, ${ctx.tz()})`, 'string', t.agg)
  },
  bin,
  tostartof: startOf,
  toendof: startOf,
  tounix: (e, ctx, compile) => {
    arity(e, 1)
    const t = timey(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`toUnix()`')
    return sql(`toUnixTimestamp(${t.sql})`, 'int', t.agg)
  },
  todate: (e, ctx, compile) => {
    arity(e, 1)
    const x = compileArg(e, 0, ctx, compile)
    const t = x.ty === 'string' ? sql(`parseDateTime64BestEffortOrNull(${x.sql}, 6, 'UTC')`, 'datetime', x.agg) : timey(x, argAt(e, 0).span, '`toDate()`')
    return sql(`toStartOfDay(${t.sql}, ${ctx.tz()})`, 'datetime', t.agg)
  },
  todatetime: (e, ctx, compile) => {
    arity(e, 1)
    const x = compileArg(e, 0, ctx, compile)
    if (x.ty === 'int' || x.ty === 'float') return sql(`toDateTime64(${x.sql}, 6, 'UTC')`, 'datetime', x.agg)
    if (x.ty === 'datetime') return x
    const s = stringy(x, argAt(e, 0).span, '`toDateTime()`')
    return sql(`parseDateTime64BestEffortOrNull(${s.sql}, 6, 'UTC')`, 'datetime', s.agg)
  },
}
