/**
 * Expression compiler: AST → typed ClickHouse SQL fragment. One handler per node kind in a
 * `Record<ExprKind, …>` (a new node without a handler fails the build). Values always become
 * bound parameters; identifiers come from the field table.
 */
import { AGGREGATES } from './aggregates.js'
import type { Expr, ExprKind } from './ast.js'
import { fail, type Span } from './errors.js'
import type { ExprCtx } from './expr-ctx.js'
import { FUNCTIONS } from './functions.js'
import { bindValue, datetimeLiteral, durationOf, intervalSql, paramValue } from './literal.js'
import { checkRegex } from './regex.js'
import { closest, lookup } from './suggest.js'
import { booly, castTo, isNumeric, numeric, settle, sql, stringy, type Sql } from './types.js'

type Handler<K extends ExprKind> = (e: Extract<Expr, { kind: K }>, ctx: ExprCtx) => Sql

const SQL_OP: Readonly<Record<string, string>> = { '==': '=', '!=': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' }

const isStringLit = (e: Expr): e is Extract<Expr, { kind: 'literal' }> => e.kind === 'literal' && e.lit === 'string'

/** Bring two compared operands to one type (dynamic takes the other side's type). */
export function unify(a: Sql, an: Expr, b: Sql, bn: Expr, ctx: ExprCtx, span: Span): [Sql, Sql] {
  if (a.ty === 'null' || b.ty === 'null') return [a, b]
  if (a.ty === 'datetime' && isStringLit(bn)) return [a, datetimeLiteral(String(bn.value), ctx, bn.span)]
  if (b.ty === 'datetime' && isStringLit(an)) return [datetimeLiteral(String(an.value), ctx, an.span), b]
  if (a.ty === 'uuid' && b.ty !== 'uuid') return unify(sql(`toString(${a.sql})`, 'string', a.agg), an, b, bn, ctx, span)
  if (b.ty === 'uuid' && a.ty !== 'uuid') return unify(a, an, sql(`toString(${b.sql})`, 'string', b.agg), bn, ctx, span)
  if (a.ty === 'dynamic' && b.ty === 'dynamic') return [settle(a, 'string'), settle(b, 'string')]
  if (a.ty === 'dynamic') return [settleLike(a, b), b]
  if (b.ty === 'dynamic') return [a, settleLike(b, a)]
  if (a.ty === b.ty || (isNumeric(a.ty) && isNumeric(b.ty))) return [a, b]
  const strNum = (a.ty === 'string' && isNumeric(b.ty)) || (b.ty === 'string' && isNumeric(a.ty))
  fail('type_mismatch', `cannot compare ${a.ty} with ${b.ty}`, span, strNum ? 'add `::int` or compare with a string' : undefined)
}

function settleLike(d: Sql, other: Sql): Sql {
  switch (other.ty) {
    case 'int':
    case 'float':
      return settle(d, 'float')
    case 'bool':
      return settle(d, 'bool')
    case 'datetime':
      return settle(d, 'datetime')
    default:
      return settle(d, 'string')
  }
}

function binary(e: Extract<Expr, { kind: 'binary' }>, ctx: ExprCtx): Sql {
  const l = compileExpr(e.left, ctx)
  const r = compileExpr(e.right, ctx)
  const agg = l.agg || r.agg
  switch (e.op) {
    case 'and':
    case 'or': {
      const a = booly(l, e.left.span, `\`${e.op}\``)
      const b = booly(r, e.right.span, `\`${e.op}\``)
      return sql(`(${a.sql} ${e.op.toUpperCase()} ${b.sql})`, 'bool', agg)
    }
    case '==':
    case '!=':
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if ((e.op === '==' || e.op === '!=') && (r.ty === 'null' || l.ty === 'null')) {
        const x = r.ty === 'null' ? l : r
        return sql(`${e.op === '==' ? 'isNull' : 'isNotNull'}(${x.sql})`, 'bool', agg)
      }
      const [a, b] = unify(l, e.left, r, e.right, ctx, e.span)
      return sql(`(${a.sql} ${SQL_OP[e.op]} ${b.sql})`, 'bool', agg)
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      if ((e.op === '+' || e.op === '-') && l.ty === 'datetime' && r.ty === 'interval') return sql(`(${l.sql} ${e.op} ${r.sql})`, 'datetime', agg)
      if (l.ty === 'string' && r.ty === 'string' && e.op === '+') fail('type_mismatch', 'strings cannot be added', e.span, 'use `concat(a, b)`')
      const a = numeric(l, e.left.span, `\`${e.op}\``)
      const b = numeric(r, e.right.span, `\`${e.op}\``)
      const ty = e.op !== '/' && a.ty === 'int' && b.ty === 'int' ? 'int' : 'float'
      // Integer modulo by zero throws in the engine (the whole query failed); null instead, as
      // `/` gives inf/nan rather than an error.
      if (e.op === '%') return sql(`moduloOrNull(${a.sql}, ${b.sql})`, ty, agg)
      return sql(`(${a.sql} ${e.op} ${b.sql})`, ty, agg)
    }
  }
}

/** A `[…]` list or list-valued parameter for `in`: one bound Array parameter. */
function listOf(list: Expr, ctx: ExprCtx): Sql {
  if (list.kind === 'param') return bindValue(paramValue(list, ctx), ctx, list.span)
  if (list.kind !== 'array') fail('bad_argument', '`in` needs a list like `["a", "b"]`', list.span)
  const values = list.items.map((it) => {
    if (it.kind === 'literal' && it.lit !== 'null') return it.value
    if (it.kind === 'param') return paramValue(it, ctx)
    fail('bad_argument', 'items of an `in` list must be literal values', it.span)
  })
  if (values.length === 0) fail('bad_argument', 'an `in` list cannot be empty', list.span)
  return bindValue(values, ctx, list.span)
}

const HANDLERS: { readonly [K in ExprKind]: Handler<K> } = {
  literal: (e, ctx) => bindValue(e.value, ctx, e.span),
  duration: (e, ctx) => {
    const iv = durationOf(e.amount, e.unit, e.span)
    return sql(intervalSql(iv, ctx), 'interval', false, { interval: iv })
  },
  regex: (e, ctx) => sql(ctx.params.bind(checkRegex(e.source, e.span), 'String'), 'regex'),
  array: (e, ctx) => listOf(e, ctx),
  field: (e, ctx) => ctx.resolve(e.name, e.span, ctx.text[e.span.start] === '`'),
  index: (e, ctx) => {
    if (e.index === '*') fail('bad_argument', '`[*]` is only allowed in `expand`', e.span, 'write `expand tags[*]` first, then use the expanded name')
    const arr = settle(compileExpr(e.arg, ctx), 'array')
    if (arr.ty !== 'array') fail('type_mismatch', `only arrays can be indexed, got ${arr.ty}`, e.span)
    // Query language indexes from 0 (like JSON); ClickHouse arrays from 1 (negative from the end).
    const i = e.index >= 0 ? e.index + 1 : e.index
    return sql(`arrayElement(${arr.sql}, ${ctx.params.bind(i, 'Int64')})`, arr.elem ?? 'string', arr.agg)
  },
  param: (e, ctx) => bindValue(paramValue(e, ctx), ctx, e.span),
  unary: (e, ctx) => {
    const a = compileExpr(e.arg, ctx)
    if (e.op === 'not') return sql(`NOT ${booly(a, e.arg.span, '`not`').sql}`, 'bool', a.agg)
    const n = numeric(a, e.arg.span, 'unary `-`')
    return sql(`-(${n.sql})`, n.ty, n.agg)
  },
  binary,
  between: (e, ctx) => {
    const x = compileExpr(e.arg, ctx)
    const [a, lo] = unify(x, e.arg, compileExpr(e.low, ctx), e.low, ctx, e.span)
    const [, hi] = unify(a, e.arg, compileExpr(e.high, ctx), e.high, ctx, e.span)
    return sql(`(${a.sql} ${e.negated ? 'NOT ' : ''}BETWEEN ${lo.sql} AND ${hi.sql})`, 'bool', x.agg)
  },
  in: (e, ctx) => {
    const list = listOf(e.list, ctx)
    let x = compileExpr(e.arg, ctx)
    const elem = list.elem ?? 'string'
    if (x.ty === 'dynamic') x = settle(x, elem === 'string' ? 'string' : 'float')
    else if (x.ty === 'uuid') x = sql(`toString(${x.sql})`, 'string', x.agg)
    if ((elem === 'string') !== (x.ty === 'string')) {
      fail('type_mismatch', `cannot look for a ${x.ty} in a list of ${elem === 'string' ? 'strings' : 'numbers'}`, e.span, 'add `::int` or compare with a string')
    }
    return sql(`${e.negated ? 'NOT ' : ''}has(${list.sql}, ${x.sql})`, 'bool', x.agg)
  },
  like: (e, ctx) => {
    const x = stringy(compileExpr(e.arg, ctx), e.arg.span, `\`${e.op}\``)
    const p = stringy(compileExpr(e.pattern, ctx), e.pattern.span, `\`${e.op}\` pattern`)
    // ClickHouse's ilike folds case character by character (measured 2.2 s over 10M messages);
    // lower() + like does the same for an ASCII pattern (no non-ASCII character folds to ASCII
    // in ilike: tested in engine-functions.test.ts) in about 60% of the time.
    if (e.op === 'ilike' && isAsciiPattern(e.pattern, ctx)) return sql(`${e.negated ? 'NOT ' : ''}like(lower(${x.sql}), lower(${p.sql}))`, 'bool', x.agg)
    return sql(`${e.negated ? 'NOT ' : ''}${e.op}(${x.sql}, ${p.sql})`, 'bool', x.agg)
  },
  match: (e, ctx) => {
    const x = stringy(compileExpr(e.arg, ctx), e.arg.span, '`match`')
    const re = e.regex.kind === 'literal' && e.regex.lit === 'string' ? { ...e.regex, kind: 'regex' as const, source: String(e.regex.value) } : e.regex
    if (re.kind !== 'regex') fail('bad_argument', '`match` needs a regex like `/^GET /`', e.regex.span)
    const r = compileExpr(re, ctx)
    return sql(`${e.negated ? 'NOT ' : ''}match(${x.sql}, ${r.sql})`, 'bool', x.agg)
  },
  call: (e, ctx) => {
    // After `stats`, an unaliased aggregate is a column named by its text: `sort count() desc`.
    const named = ctx.aggAllowed ? undefined : ctx.columnByText(ctx.text.slice(e.span.start, e.span.end))
    if (named) return named
    const lower = e.name.toLowerCase()
    const agg = lookup(AGGREGATES, lower)
    if (agg) {
      if (!ctx.aggAllowed) fail('aggregate_outside_stats', `\`${e.name}()\` is an aggregate`, e.span, 'aggregates belong in `stats`, e.g. `stats count() by router.path`')
      const inner: ExprCtx = { ...ctx, aggAllowed: false }
      return { ...agg(e, inner, compileExpr), agg: true }
    }
    const fn = lookup(FUNCTIONS, lower)
    if (!fn) {
      const guess = closest(lower, [...Object.keys(FUNCTIONS), ...Object.keys(AGGREGATES)])
      fail('unknown_function', `unknown function \`${e.name}\``, { start: e.span.start, end: e.span.start + e.name.length }, guess ? `did you mean \`${guess}\`?` : undefined)
    }
    if (e.star) fail('bad_argument', `\`*\` is only allowed in \`count(*)\``, e.span)
    return fn(e, ctx, compileExpr)
  },
  cast: (e, ctx) => castTo(compileExpr(e.arg, ctx), e.to, e.span),
}

/** Compile an expression to a typed SQL fragment. */
export function compileExpr(e: Expr, ctx: ExprCtx): Sql {
  return (HANDLERS[e.kind] as Handler<typeof e.kind>)(e as never, ctx)
}

/** A pattern known at compile time (literal or parameter) with only ASCII characters. */
function isAsciiPattern(e: Expr, ctx: ExprCtx): boolean {
  const v = e.kind === 'literal' ? e.value : e.kind === 'param' ? paramValue(e, ctx) : undefined
  return typeof v === 'string' && /^[\x00-\x7f]*$/.test(v)
}
