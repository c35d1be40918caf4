/**
 * Scalar functions (BadgerQL's set). Each entry checks arity and argument types and builds SQL
 * from compiled arguments only; names map to fixed ClickHouse functions.
 */
import { fail } from './errors.js'
import { arity, argAt, compileArg, type FnImpl } from './fn-helpers.js'
import { TIME_FUNCTIONS } from './functions-time.js'
import { booly, castTo, numeric, settle, sql, stringy, type Sql, type Ty } from './types.js'

/**
 * Same-typed n-ary function over any arguments (coalesce-like). The engine has no common type for
 * Int64 and Float64, or for a number and a string, and falls back to a Variant, which cannot be
 * sorted or grouped by (a 500 for `sort coalesce(duration, 0)`). So the arguments are brought to
 * one type: their own when they agree, Float64 for numbers (ints and dynamic values among them),
 * else String.
 */
const variadicSame = (chName: string, min: number): FnImpl => (e, ctx, compile) => {
  arity(e, min, Infinity)
  const args = e.args.map((a) => compile(a, ctx))
  const { ty, sqls } = unify(args)
  return sql(`${chName}(${sqls.join(', ')})`, ty, args.some((a) => a.agg))
}

/** Values brought to one type (see {@link variadicSame}): the type and each value's SQL. */
function unify(args: readonly Sql[]): { ty: Ty; sqls: string[] } {
  const known = args.filter((a) => a.ty !== 'dynamic' && a.ty !== 'null')
  const numbers = known.every((a) => a.ty === 'int' || a.ty === 'float')
  const dynamic = args.some((a) => a.ty === 'dynamic')
  let ty: Ty = known.length === 0 ? 'string' : known.every((a) => a.ty === known[0]!.ty) ? known[0]!.ty : numbers ? 'float' : 'string'
  if (dynamic && ty !== 'string') ty = numbers ? 'float' : 'string'
  const sqls = args.map((a) => (a.ty === 'null' || a.ty === ty ? a
    : a.ty === 'dynamic' ? settle(a, ty === 'float' ? 'float' : 'string')
      : castTo(a, ty === 'float' ? 'float' : 'str')).sql)
  return { ty, sqls }
}

/**
 * A `json()` path as the engine's JSONPath, or null when it cannot be one (the engine would fail
 * the whole query). "user.emails[0]" → `$.user.emails[0]`; a key that is no identifier is quoted
 * (`"a.user-id"` → `$.a["user-id"]`); a path starting with `$` is checked, not rewritten.
 */
function toJsonPath(path: string): string | null {
  if (path.startsWith('$')) return /^\$(?:\.[A-Za-z0-9_]+|\.\*|\[(?:\d+|\*)\]|\["[^"\\]*"\])*$/.test(path) ? path : null
  let out = '$'
  for (const seg of path.split('.')) {
    const m = /^([^[\]"\\]+)((?:\[(?:\d+|\*)\])*)$/.exec(seg)
    if (!m) return null
    out += `${/^[A-Za-z0-9_]+$/.test(m[1]!) ? `.${m[1]}` : `["${m[1]}"]`}${m[2]}`
  }
  return out
}

/** Numeric function of one argument. */
const math1 = (chName: string, ty: Ty = 'float'): FnImpl => (e, ctx, compile) => {
  arity(e, 1)
  const x = numeric(compileArg(e, 0, ctx, compile), argAt(e, 0).span, `\`${e.name}()\``)
  return sql(`${chName}(${x.sql})`, ty === 'int' && x.ty === 'int' ? 'int' : ty, x.agg)
}

/** String function: first arg string, the rest strings too. */
const str = (chName: string, n: number, ty: Ty = 'string'): FnImpl => (e, ctx, compile) => {
  arity(e, n)
  const args = e.args.map((a) => stringy(compile(a, ctx), a.span, `\`${e.name}()\``))
  return sql(`${chName}(${args.map((a) => a.sql).join(', ')})`, ty, args.some((a) => a.agg))
}

const logic = (op: 'AND' | 'OR'): FnImpl => (e, ctx, compile) => {
  arity(e, 1, Infinity)
  const args = e.args.map((a) => booly(compile(a, ctx), a.span, `\`${e.name}()\``))
  return sql(`(${args.map((a) => a.sql).join(` ${op} `)})`, 'bool', args.some((a) => a.agg))
}

const convert = (to: 'int' | 'float' | 'str'): FnImpl => (e, ctx, compile) => {
  arity(e, 1)
  return castTo(compileArg(e, 0, ctx, compile), to, argAt(e, 0).span)
}

const one = (e: Parameters<FnImpl>[0], ctx: Parameters<FnImpl>[1], compile: Parameters<FnImpl>[2]): Sql => compileArg(e, 0, ctx, compile)

/** Every scalar function, by lower-case name. */
export const FUNCTIONS: Readonly<Record<string, FnImpl>> = {
  isnull: (e, ctx, compile) => (arity(e, 1), sql(`isNull(${one(e, ctx, compile).sql})`, 'bool')),
  isnotnull: (e, ctx, compile) => (arity(e, 1), sql(`isNotNull(${one(e, ctx, compile).sql})`, 'bool')),
  if: (e, ctx, compile) => {
    arity(e, 3)
    const c = booly(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`if()`')
    const rest = variadicSame('tuple', 2)({ ...e, args: e.args.slice(1) }, ctx, compile)
    const parts = rest.sql.slice('tuple('.length, -1)
    return sql(`if(${c.sql}, ${parts})`, rest.ty, c.agg || rest.agg)
  },
  cond: (e, ctx, compile) => {
    if (e.args.length < 3 || e.args.length % 2 === 0) fail('wrong_arity', '`cond()` takes pairs of condition, value and a final default', e.span, 'cond(a > 1, "big", a > 0, "small", "none")')
    const isCondition = (i: number) => i % 2 === 0 && i < e.args.length - 1
    const compiled = e.args.map((a, i) => (isCondition(i) ? booly(compile(a, ctx), a.span, '`cond()`') : compile(a, ctx)))
    // The values share one type, as coalesce's arguments do (a mixed multiIf is a Variant).
    const { ty, sqls } = unify(compiled.filter((_, i) => !isCondition(i)))
    let v = 0
    const parts = compiled.map((x, i) => (isCondition(i) ? x.sql : sqls[v++]!))
    return sql(`multiIf(${parts.join(', ')})`, ty, compiled.some((x) => x.agg))
  },
  either: variadicSame('coalesce', 1),
  coalesce: variadicSame('coalesce', 1),
  any: logic('OR'),
  all: logic('AND'),
  abs: math1('abs', 'int'),
  pow: (e, ctx, compile) => {
    arity(e, 2)
    const [a, b] = e.args.map((x) => numeric(compile(x, ctx), x.span, '`pow()`'))
    return sql(`pow(${a!.sql}, ${b!.sql})`, 'float', a!.agg || b!.agg)
  },
  log: math1('log'),
  log2: math1('log2'),
  log10: math1('log10'),
  exp: math1('exp'),
  floor: math1('floor', 'int'),
  ceil: math1('ceil', 'int'),
  round: (e, ctx, compile) => {
    arity(e, 1, 2)
    const x = numeric(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`round()`')
    if (e.args.length === 1) return sql(`round(${x.sql})`, x.ty, x.agg)
    const d = argAt(e, 1)
    if (d.kind !== 'literal' || d.lit !== 'int' || (d.value as number) > 12) fail('bad_argument', '`round()` digits must be a whole number up to 12', d.span)
    // ClickHouse needs the digits as a constant; a validated small integer, not user text.
    return sql(`round(${x.sql}, ${d.value as number})`, 'float', x.agg)
  },
  trim: str('trimBoth', 1),
  lowercase: str('lowerUTF8', 1),
  uppercase: str('upperUTF8', 1),
  length: str('lengthUTF8', 1, 'int'),
  startswith: str('startsWith', 2, 'bool'),
  replace: str('replaceAll', 3),
  replacefirst: str('replaceOne', 3),
  concat: (e, ctx, compile) => {
    arity(e, 1, Infinity)
    const args = e.args.map((a) => {
      const x = compile(a, ctx)
      return x.ty === 'string' ? x : castTo(x, 'str')
    })
    return sql(`concat(${args.map((a) => a.sql).join(', ')})`, 'string', args.some((a) => a.agg))
  },
  substring: (e, ctx, compile) => {
    arity(e, 2, 3)
    const s = stringy(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`substring()`')
    const rest = e.args.slice(1).map((a) => numeric(compile(a, ctx), a.span, '`substring()`').sql)
    // BadgerQL/ClickHouse positions are 1-based (negative: from the end). The engine refuses 0
    // for the whole query; it reads as the start.
    rest[0] = `if((${rest[0]}) = 0, 1, ${rest[0]})`
    return sql(`substringUTF8(${[s.sql, ...rest].join(', ')})`, 'string', s.agg)
  },
  tohumanstring: (e, ctx, compile) => {
    arity(e, 1)
    const x = numeric(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`toHumanString()`')
    return sql(`formatReadableQuantity(${x.sql})`, 'string', x.agg)
  },
  toint: convert('int'),
  tofloat: convert('float'),
  tostring: convert('str'),
  urlparameter: (e, ctx, compile) => {
    // The engine takes the parameter's name only as a constant.
    const name = argAt(e, 1)
    if (name.kind !== 'param' && !(name.kind === 'literal' && name.lit === 'string')) {
      fail('bad_argument', '`urlparameter()` takes the parameter name as a string', name.span, 'e.g. `urlparameter(router.path, "page")`')
    }
    return str('extractURLParameter', 2)(e, ctx, compile)
  },
  urlpath: str('path', 1),
  urldomain: str('domain', 1),
  json: (e, ctx, compile) => {
    arity(e, 2)
    const doc = stringy(compileArg(e, 0, ctx, compile), argAt(e, 0).span, '`json()`')
    const p = argAt(e, 1)
    if (p.kind !== 'literal' || p.lit !== 'string') fail('bad_argument', '`json()` needs a path string like "user.id"', p.span)
    const jsonPath = toJsonPath(String(p.value))
    if (jsonPath === null) fail('bad_argument', `\`json()\` cannot read the path ${JSON.stringify(p.value)}`, p.span, 'write keys with dots and indexes in brackets, e.g. "user.emails[0]"; a key may hold any character but a double quote or a backslash')
    return sql(`JSON_VALUE(${doc.sql}, ${ctx.params.bind(jsonPath, 'String')})`, 'string', doc.agg)
  },
  ...TIME_FUNCTIONS,
}
