/**
 * Types the compiler tracks for each SQL fragment, and the safe casts between them. Dynamic
 * fields (an app's own JSON keys, stored in the `attrs` Dynamic subcolumns) have no static type:
 * they default to string, become float when compared with or computed against a number, and take
 * the type of a `::hint`. Reading a Dynamic value with `.:Float64` gives NULL for a stored Int64
 * (verified on ClickHouse 26.7), so numbers go through `accurateCastOrNull`, which converts any
 * stored variant (Int64, Float64, numeric String) and yields NULL for the rest. As `by`, `sort`,
 * `unique` and `limit … by` keys an unhinted dynamic field is read as a string (Dynamic cannot be
 * a GROUP BY / ORDER BY key); write `sort duration::float desc` for numeric order.
 */
import { fail, type Span } from './errors.js'

/** Language-level type of an expression. */
export type Ty = 'string' | 'int' | 'float' | 'bool' | 'datetime' | 'uuid' | 'null' | 'dynamic' | 'array' | 'interval' | 'regex'

/** A time interval: a number of seconds, or of calendar months. */
export interface Interval {
  readonly seconds: number
  readonly months: number
}

/** A compiled SQL fragment with its type. `agg` marks fragments containing an aggregate. */
export interface Sql {
  readonly sql: string
  readonly ty: Ty
  readonly agg: boolean
  /** For `interval` fragments and `bin()` results: the interval. */
  readonly interval?: Interval
  /** For `array` fragments: the element type. */
  readonly elem?: Ty
  /** For a bare `max`/`min`/`percentile` aggregate: what it computes (read via `aggregateCall`). */
  readonly aggCall?: AggCall
}

/** A bare aggregate call: `max(arg)`, `min(arg)` or `quantile(level)(arg)`. */
export interface AggCall {
  readonly fn: 'max' | 'min' | 'quantile'
  readonly arg: Sql
  readonly level?: number
}

/**
 * The aggregate call `e` is, or undefined. Checked against `e.sql`, so a fragment derived from
 * one by spreading (a cast, a rename) is not taken for the bare call.
 */
export function aggregateCall(e: Sql): AggCall | undefined {
  const c = e.aggCall
  if (!c) return undefined
  return e.sql === (c.fn === 'quantile' ? `quantile(${c.level})(${c.arg.sql})` : `${c.fn}(${c.arg.sql})`) ? c : undefined
}

/** Make a fragment. */
export const sql = (s: string, ty: Ty, agg = false, extra: Partial<Sql> = {}): Sql => ({ sql: s, ty, agg, ...extra })

/** Numeric types. */
export const isNumeric = (t: Ty): boolean => t === 'int' || t === 'float'

const DYNAMIC_CAST: Readonly<Record<'string' | 'int' | 'float' | 'bool' | 'datetime' | 'array', (x: string) => string>> = {
  string: (x) => `CAST(${x} AS Nullable(String))`,
  int: (x) => `accurateCastOrNull(${x}, 'Int64')`,
  float: (x) => `accurateCastOrNull(${x}, 'Float64')`,
  bool: (x) => `accurateCastOrNull(${x}, 'Bool')`,
  datetime: (x) => `parseDateTime64BestEffortOrNull(CAST(${x} AS Nullable(String)), 6, 'UTC')`,
  // Ingest stores an app's arrays as JSON text (`"tags":"[\"a\",\"b\"]"`), a JSON column built
  // some other way holds real arrays, and the same path may hold a number in another row. A CAST
  // to Array threw on the first two (the query failed), so read the text, or the value as JSON,
  // and extract: anything that is not an array reads as [].
  array: (x) => `JSONExtract(assumeNotNull(ifNull(dynamicElement(${x}, 'String'), toJSONString(${x}))), 'Array(Nullable(String))')`,
}

/** Give a dynamic fragment a concrete type; other fragments are returned unchanged. */
export function settle(e: Sql, want: 'string' | 'int' | 'float' | 'bool' | 'datetime' | 'array'): Sql {
  if (e.ty !== 'dynamic') return e
  return { ...e, sql: DYNAMIC_CAST[want](e.sql), ty: want, ...(want === 'array' ? { elem: 'string' as Ty } : {}) }
}

/** Explicit `::hint` conversion from any type. */
export function castTo(e: Sql, to: 'int' | 'float' | 'str' | 'bool', span?: Span): Sql {
  if (e.ty === 'dynamic') return settle(e, to === 'str' ? 'string' : to)
  // The engine cannot convert an array to a scalar (the query would fail when run): say so here.
  if (e.ty === 'array' && to !== 'str' && span) fail('type_mismatch', `an array cannot be read as ${to === 'bool' ? 'a bool' : `a ${to}`}`, span, 'index it first, e.g. `tags[0]::int`')
  const x = e.sql
  switch (to) {
    case 'str':
      return e.ty === 'string' ? e : sql(`toString(${x})`, 'string', e.agg)
    case 'int':
      return e.ty === 'int' ? e : sql(e.ty === 'string' ? `toInt64OrNull(${x})` : `accurateCastOrNull(${x}, 'Int64')`, 'int', e.agg)
    case 'float':
      return e.ty === 'float' ? e : sql(e.ty === 'string' ? `toFloat64OrNull(${x})` : `accurateCastOrNull(${x}, 'Float64')`, 'float', e.agg)
    case 'bool':
      return e.ty === 'bool' ? e : sql(`accurateCastOrNull(${x}, 'Bool')`, 'bool', e.agg)
  }
}

/** Require a numeric operand (dynamic becomes float). */
export function numeric(e: Sql, span: Span, what: string): Sql {
  if (e.ty === 'dynamic') return settle(e, 'float')
  if (isNumeric(e.ty) || e.ty === 'null') return e
  fail('type_mismatch', `${what} needs a number, got ${e.ty}`, span, e.ty === 'string' ? 'add `::int` or `::float` to read it as a number' : undefined)
}

/** Require a string operand (dynamic becomes string). */
export function stringy(e: Sql, span: Span, what: string): Sql {
  if (e.ty === 'dynamic') return settle(e, 'string')
  if (e.ty === 'string' || e.ty === 'null') return e
  if (e.ty === 'uuid') return sql(`toString(${e.sql})`, 'string', e.agg)
  fail('type_mismatch', `${what} needs a string, got ${e.ty}`, span, 'add `::str` to read it as text')
}

/** Require a boolean operand (dynamic becomes bool). */
export function booly(e: Sql, span: Span, what: string): Sql {
  if (e.ty === 'dynamic') return settle(e, 'bool')
  if (e.ty === 'bool' || e.ty === 'null') return e
  fail('type_mismatch', `${what} needs a true/false condition, got ${e.ty}`, span, 'compare it, e.g. `x == 1` or `isNotNull(x)`')
}

/** Require a datetime operand. */
export function timey(e: Sql, span: Span, what: string): Sql {
  if (e.ty === 'dynamic') return settle(e, 'datetime')
  if (e.ty === 'datetime' || e.ty === 'null') return e
  fail('type_mismatch', `${what} needs a date-time, got ${e.ty}`, span, 'use `@ts` or `toDateTime(x)`')
}
