/** Literal values and `${param}` references → bound parameters. */
import type { Expr } from './ast.js'
import { fail, type Span } from './errors.js'
import type { ExprCtx } from './expr-ctx.js'
import { formatMicros } from './params.js'
import { sql, type Interval, type Sql, type Ty } from './types.js'

/**
 * A float bound as a parameter. An integral value past 2^53 (`1e308`, a 20-digit id) goes as a
 * bigint: chDB's binder refuses such a JS number outright (the query failed with a 500), and a
 * bigint's digits parse as the same Float64.
 */
const wide = (v: number): number | bigint => (Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v) : v)

/** A JS value as a typed fragment bound as a parameter. */
export function bindValue(value: unknown, ctx: ExprCtx, span: Span): Sql {
  if (value === null || value === undefined) return sql('NULL', 'null')
  if (typeof value === 'string') return sql(ctx.params.bind(value, 'String'), 'string')
  if (typeof value === 'boolean') return sql(ctx.params.bind(value, 'Bool'), 'bool')
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail('bad_param', 'a number must be finite', span)
    return Number.isSafeInteger(value) ? sql(ctx.params.bind(value, 'Int64'), 'int') : sql(ctx.params.bind(wide(value), 'Float64'), 'float')
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return sql(ctx.params.bind(value, 'Array(String)'), 'array', false, { elem: 'string' })
    if (value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      const ints = value.every((v) => Number.isSafeInteger(v))
      return sql(ctx.params.bind(ints ? value : (value as number[]).map(wide), ints ? 'Array(Int64)' : 'Array(Float64)'), 'array', false, { elem: ints ? 'int' : 'float' })
    }
    fail('bad_param', 'a list must hold only strings or only numbers', span)
  }
  fail('bad_param', `unsupported parameter value of type ${typeof value}`, span)
}

/** Parse the text after `:-` in `${name:-default}`. */
function parseFallback(text: string): unknown {
  const t = text.trim()
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(t)) return Number(t)
  if (t === 'true' || t === 'false') return t === 'true'
  const q = /^"(.*)"$|^'(.*)'$/.exec(t)
  return q ? (q[1] ?? q[2]) : t
}

/** The value of a `${name}` reference: from the request, else its default, else an error. */
export function paramValue(e: Extract<Expr, { kind: 'param' }>, ctx: ExprCtx): unknown {
  if (Object.prototype.hasOwnProperty.call(ctx.userParams, e.name)) return ctx.userParams[e.name]
  if (e.fallback !== undefined) return parseFallback(e.fallback)
  fail('missing_param', `parameter \`${e.name}\` has no value`, e.span, `pass params.${e.name} with the request, or write \`\${${e.name}:-default}\``)
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }

/** Seconds or months of a duration literal. */
export function durationOf(amount: number, unit: string, span: Span): Interval {
  if (!(amount > 0)) fail('bad_interval', 'a duration must be greater than zero', span)
  if (unit === 'M' || unit === 'y') {
    const months = amount * (unit === 'y' ? 12 : 1)
    if (!Number.isInteger(months)) fail('bad_interval', 'months and years must be whole numbers', span)
    return { seconds: 0, months }
  }
  return { seconds: amount * UNIT_SECONDS[unit]!, months: 0 }
}

/**
 * SQL interval value for an {@link Interval}, in the largest whole unit: ClickHouse aligns
 * `toStartOfInterval` buckets of hours and days to the given timezone's wall clock, which a
 * count of seconds would not (e.g. half-hour zones).
 */
export function intervalSql(iv: Interval, ctx: ExprCtx): string {
  if (iv.months > 0) return `toIntervalMonth(${ctx.params.bind(iv.months, 'Int64')})`
  const s = iv.seconds
  if (!Number.isInteger(s)) return `toIntervalMillisecond(${ctx.params.bind(Math.round(s * 1000), 'Int64')})`
  if (s % 86400 === 0) return `toIntervalDay(${ctx.params.bind(s / 86400, 'Int64')})`
  if (s % 3600 === 0) return `toIntervalHour(${ctx.params.bind(s / 3600, 'Int64')})`
  if (s % 60 === 0) return `toIntervalMinute(${ctx.params.bind(s / 60, 'Int64')})`
  return `toIntervalSecond(${ctx.params.bind(s, 'Int64')})`
}

/** A string literal read as a date-time (ISO-8601), bound as DateTime64(6, 'UTC'). */
export function datetimeLiteral(text: string, ctx: ExprCtx, span: Span): Sql {
  const ms = Date.parse(text)
  if (Number.isNaN(ms)) fail('bad_datetime', `\`${text}\` is not a date-time`, span, 'write ISO-8601, e.g. "2024-05-01T12:00:00Z"')
  return sql(ctx.params.bind(formatMicros(ms * 1000), "DateTime64(6, 'UTC')"), 'datetime')
}

/** Type of a literal node. */
export const literalTy = (lit: Extract<Expr, { kind: 'literal' }>['lit']): Ty => (lit === 'string' ? 'string' : lit)
