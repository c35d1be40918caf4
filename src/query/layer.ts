/**
 * One SELECT of the compiled pipeline. Stages fill a layer's clauses in SQL's evaluation order
 * (ARRAY JOIN → WHERE → GROUP BY → ORDER BY → LIMIT BY → LIMIT); a stage that would need an
 * earlier clause than one already used wraps the layer in a subquery, as PRQL does, so the
 * user's order of operations is kept.
 */
import type { Params } from './params.js'

/** Clause phases in evaluation order. */
export const PHASE = { from: 0, arrayJoin: 1, where: 2, group: 3, order: 4, limitBy: 5, limit: 6 } as const

/** A SELECT under construction. */
export interface Layer {
  /** `events` or an inner layer. */
  readonly from: Layer | null
  /**
   * With `from` null: a subquery read instead of the bare table, under the alias `events` (its
   * rows are rows of `events`, every column kept). The percentile top-n rewrite sets it.
   */
  source: string | null
  /** Select `*` of the source (row-mode layers keep every column for later stages). */
  star: boolean
  /** Extra select items: SQL and (safe, validated) alias. */
  readonly select: { sql: string; alias: string }[]
  readonly arrayJoin: { sql: string; alias: string }[]
  readonly where: string[]
  groupBy: string[] | null
  orderBy: string[]
  fill: string | null
  interpolate: string[]
  limitBy: { n: number; by: string[] } | null
  limit: number | null
  /** Highest phase used so far. */
  phase: number
  /** SQL of expressions this layer's filters assert non-null (for the semi-join pushdown). */
  readonly nonNull: Set<string>
}

/** A fresh layer over `from` (null = the events table). */
export function newLayer(from: Layer | null): Layer {
  return { from, source: null, star: true, select: [], arrayJoin: [], where: [], groupBy: null, orderBy: [], fill: null, interpolate: [], limitBy: null, limit: null, phase: 0, nonNull: new Set() }
}

/** Quote an alias for SQL. Aliases are validated against a whitelist before they get here. */
export const quoteAlias = (name: string): string => `\`${name}\``

/** Render a layer (and its inner layers) as SQL; limits are bound as UInt64 parameters. */
export function renderLayer(l: Layer, params: Params, indent = ''): string {
  const items = [...(l.star ? ['*'] : []), ...l.select.map((s) => `${s.sql} AS ${quoteAlias(s.alias)}`)]
  const parts = [`SELECT ${items.join(', ') || '*'}`]
  parts.push(l.from ? `FROM (\n${indent}  ${renderLayer(l.from, params, indent + '  ')}\n${indent})` : l.source ? `FROM (${l.source}) AS events` : 'FROM events')
  if (l.arrayJoin.length) parts.push(`ARRAY JOIN ${l.arrayJoin.map((a) => `${a.sql} AS ${quoteAlias(a.alias)}`).join(', ')}`)
  if (l.where.length) parts.push(`WHERE ${l.where.join(' AND ')}`)
  if (l.groupBy?.length) parts.push(`GROUP BY ${l.groupBy.join(', ')}`)
  if (l.orderBy.length) parts.push(`ORDER BY ${l.orderBy.join(', ')}${l.fill ? ` ${l.fill}` : ''}`)
  if (l.interpolate.length) parts.push(`INTERPOLATE (${l.interpolate.join(', ')})`)
  if (l.limitBy) parts.push(`LIMIT ${params.bind(l.limitBy.n, 'UInt64')} BY ${l.limitBy.by.join(', ')}`)
  if (l.limit !== null) parts.push(`LIMIT ${params.bind(l.limit, 'UInt64')}`)
  return parts.join(`\n${indent}`)
}
