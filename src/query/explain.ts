/**
 * The same AST rendered as plain English (HyperDX's idea: one tree, two renderings). One handler
 * per expression and stage kind, so a new node cannot be forgotten here either.
 */
import type { Expr, ExprKind, Named, Query, Stage, StageKind } from './ast.js'

const OPS: Readonly<Record<string, string>> = {
  '==': 'is', '!=': 'is not', '<': 'is below', '>': 'is above', '<=': 'is at most', '>=': 'is at least',
  '+': 'plus', '-': 'minus', '*': 'times', '/': 'divided by', '%': 'modulo', and: 'and', or: 'or',
}
const UNITS: Readonly<Record<string, string>> = { ms: 'millisecond', s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', M: 'month', y: 'year' }

type Say<K extends ExprKind> = (e: Extract<Expr, { kind: K }>) => string

const EXPR: { readonly [K in ExprKind]: Say<K> } = {
  literal: (e) => (e.lit === 'string' ? JSON.stringify(e.value) : String(e.value)),
  duration: (e) => `${e.amount} ${UNITS[e.unit] ?? e.unit}${e.amount === 1 ? '' : 's'}`,
  regex: (e) => `/${e.source}/`,
  array: (e) => `[${e.items.map(say).join(', ')}]`,
  field: (e) => e.name,
  index: (e) => (e.index === '*' ? `each element of ${say(e.arg)}` : `element ${e.index} of ${say(e.arg)}`),
  param: (e) => `parameter ${e.name}${e.fallback !== undefined ? ` (default ${e.fallback})` : ''}`,
  unary: (e) => (e.op === 'not' ? `not (${say(e.arg)})` : `minus ${say(e.arg)}`),
  binary: (e) => `${say(e.left)} ${OPS[e.op]} ${say(e.right)}`,
  between: (e) => `${say(e.arg)} is ${e.negated ? 'not ' : ''}between ${say(e.low)} and ${say(e.high)}`,
  in: (e) => `${say(e.arg)} is ${e.negated ? 'not ' : ''}one of ${say(e.list)}`,
  like: (e) => `${say(e.arg)} ${e.negated ? 'does not match' : 'matches'} the pattern ${say(e.pattern)}${e.op === 'ilike' ? ' (ignoring case)' : ''}`,
  match: (e) => `${say(e.arg)} ${e.negated ? 'does not match' : 'matches'} the regex ${say(e.regex)}`,
  call: (e) => sayCall(e),
  cast: (e) => `${say(e.arg)} read as ${e.to === 'str' ? 'text' : e.to === 'int' ? 'an integer' : e.to === 'float' ? 'a number' : 'true/false'}`,
}

function sayCall(e: Extract<Expr, { kind: 'call' }>): string {
  const n = e.name.toLowerCase()
  const a = e.args.map(say)
  if (n === 'count') return e.star || a.length === 0 ? 'the number of events' : `the number of events where ${a[0]}`
  if (n === 'percentile') return `the ${a[0]}th percentile of ${a[1]}`
  if (n === 'pct') return `the ${a[1]}th percentile of ${a[0]}`
  if (n === 'avg') return `the average of ${a[0]}`
  if (n === 'sum') return `the sum of ${a[0]}`
  if (n === 'min' || n === 'max') return `the ${n === 'min' ? 'smallest' : 'largest'} ${a[0]}`
  if (n === 'unique' || n === 'count_distinct') return `the number of distinct ${a[0]}`
  if (n === 'first' || n === 'last') return `the ${n === 'first' ? 'earliest' : 'latest'} ${a[0]}`
  if (n === 'apdex') return `the Apdex score of ${a[0]} with target ${a[1]}`
  if (n === 'top') return `the top ${a[0]} values of ${a[1]}`
  if (n === 'bin') return a.length === 0 ? 'time buckets' : `${a.length === 2 ? a[0] : 'time'} in buckets of ${a[a.length - 1]}`
  return `${e.name}(${a.join(', ')})`
}

/** English for one expression. */
export function say(e: Expr): string {
  return (EXPR[e.kind] as Say<typeof e.kind>)(e as never)
}

const named = (items: readonly Named[]): string => items.map((i) => (i.alias ? `${say(i.expr)} as ${i.alias}` : say(i.expr))).join(', ')

type SayStage<K extends StageKind> = (s: Extract<Stage, { kind: K }>) => string

const STAGE: { readonly [K in StageKind]: SayStage<K> } = {
  filter: (s) => `Keep rows where ${say(s.expr)}.`,
  fields: (s) => `Show ${named(s.items)}.`,
  only: (s) => `Show only ${named(s.items)}.`,
  stats: (s) => `Compute ${named(s.aggs)}${s.by.length ? ` for each ${named(s.by)}` : ''}.`,
  sort: (s) => `Sort by ${s.keys.map((k) => `${say(k.expr)} ${k.desc ? '(highest first)' : '(lowest first)'}`).join(', then ')}.`,
  limit: (s) => `Keep the first ${say(s.count)} rows${s.by.length ? ` for each ${s.by.map(say).join(', ')}` : ''}.`,
  parse: (s) => `Extract fields from ${say(s.source)} with ${say(s.regex)}.`,
  unique: (s) => `Keep one row for each ${s.exprs.map(say).join(', ')}.`,
  expand: (s) => `Make one row per ${named(s.items)}.`,
  fill: (s) => `Fill missing ${say(s.field)} values${s.step ? ` every ${say(s.step)}` : ''}${s.interpolate.length ? `, setting ${s.interpolate.map((w) => `${w.name} to ${say(w.expr)}`).join(', ')}` : ''}.`,
}

/** English reading of a whole query. */
export function explainQuery(q: Query, opts: { readonly timezone: string; readonly limit: number | null }): string {
  const lines = [`Take this project's events in the requested time range (timezone ${opts.timezone}).`]
  for (const s of q.stages) lines.push((STAGE[s.kind] as SayStage<typeof s.kind>)(s as never))
  if (!q.stages.some((s) => s.kind === 'sort')) lines.push(q.stages.some((s) => s.kind === 'stats') ? 'Order by the `by` keys.' : 'Newest events first.')
  if (opts.limit !== null) lines.push(`Return at most ${opts.limit} rows.`)
  return lines.join('\n')
}
