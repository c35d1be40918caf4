/**
 * The compiler's state between stages: the current layer, which names are in scope, what the
 * output columns are, and whether event rows (with every event field) are still available.
 */
import type { SortKey } from './ast.js'
import { fail, type Span } from './errors.js'
import type { ExprCtx } from './expr-ctx.js'
import { eventField } from './field-ref.js'
import { newLayer, quoteAlias, type Layer } from './layer.js'
import type { Params } from './params.js'
import { closest } from './suggest.js'
import type { GroupInfo } from './pushdown.js'
import { sql, type Interval, type Sql, type Ty } from './types.js'

/** A named column in scope. `event` marks a plain event field (valid in any row-mode layer). */
export interface Col {
  readonly name: string
  sql: string
  readonly ty: Ty
  readonly interval?: Interval
  readonly event: boolean
}

/** Compiler state. */
export interface Frame {
  readonly text: string
  readonly params: Params
  readonly tz: () => string
  readonly rangeSeconds: number
  readonly range: { readonly fromSql: string; readonly toSql: string }
  readonly userParams: Readonly<Record<string, unknown>>
  layer: Layer
  /** Event rows in scope (before the first `stats`). */
  rowMode: boolean
  readonly cols: Map<string, Col>
  /** Output column names; null = the default (`@ts`, `@preview`). */
  output: string[] | null
  /** The user's last sort, re-applied when a later order-keeping stage wraps the layer. */
  sortKeys: readonly SortKey[] | null
  /** Names of the `by` keys of the last `stats` (default order of aggregated results). */
  byNames: string[]
  /** Settings a stage needs beyond the defaults. */
  readonly extraSettings: Record<string, number>
  seq: number
  /** Semi-join pushdown enabled (see pushdown.ts). */
  readonly pushdown: boolean
  /** The last `stats` layer while a semi-join pushdown may still apply (see pushdown.ts). */
  group: GroupInfo | null
}

/** Default output columns of a row query (BadgerQL: `fields @ts, @preview`). */
export const DEFAULT_OUTPUT = ['@ts', '@preview'] as const

/** Events-table columns an alias may not shadow (defence in depth for the project/time guard). */
const TABLE_COLUMNS = new Set(['project_id', 'ts', 'received_ts', 'id', 'environment', 'app', 'source', 'proc', 'proc_type', 'event_type', 'level', 'error_code', 'request_id', 'message', 'size', 'drain', 'frame_id', 'retention_days', 'attrs'])
/** Characters allowed in output column names (they are backticked in SQL; no quotes, backslashes, braces). */
const ALIAS_CHARS = /^[A-Za-z0-9_@.()*,:+\-/%<>=!\[\] ]{1,128}$/
const INTERNAL = /^_(d|e|i)[0-9]+$|^_real$/

/** Validate an explicit `as name`. */
export function checkAlias(name: string, span: Span, defSql: string): void {
  if (!ALIAS_CHARS.test(name) || INTERNAL.test(name)) fail('bad_alias', `\`${name}\` cannot be used as a column name`, span, 'use letters, digits, `_`, `.` and `@`')
  if (TABLE_COLUMNS.has(name) && defSql !== name) fail('reserved_name', `\`${name}\` is a column of the events table`, span, `choose another name, e.g. \`${name}_2\``)
}

/** A safe column name from source text (unaliased columns are named by their text). */
export function autoName(text: string): string {
  const cleaned = text.replace(/\s+/g, ' ').replace(/[^A-Za-z0-9_@.()*,:+\-/%<>=!\[\] ]/g, '_').slice(0, 128)
  return INTERNAL.test(cleaned) || cleaned === '' ? `col_${cleaned}` : cleaned
}

/** Resolve a name in the current scope. */
export function resolveName(f: Frame, name: string, span: Span, quoted: boolean): Sql {
  const c = f.cols.get(name)
  if (c) return sql(c.sql, c.ty, false, c.interval ? { interval: c.interval } : {})
  if (f.rowMode) return eventField(name, span, quoted, f.params)
  const guess = closest(name, f.cols.keys())
  fail('unknown_field', `unknown column \`${name}\``, span, guess ? `did you mean \`${guess}\`?` : `after \`stats\` only its columns exist: ${[...f.cols.keys()].map((k) => `\`${k}\``).join(', ')}`)
}

/** Expression context for the frame's current scope. */
export function exprCtx(f: Frame, aggAllowed = false): ExprCtx {
  return {
    text: f.text, params: f.params, tz: f.tz, aggAllowed, rowMode: f.rowMode, rangeSeconds: f.rangeSeconds, userParams: f.userParams,
    resolve: (name, span, quoted) => resolveName(f, name, span, quoted),
    columnByText: (text) => {
      const c = f.rowMode ? undefined : f.cols.get(text.replace(/\s+/g, ' '))
      return c ? sql(c.sql, c.ty) : undefined
    },
  }
}

/** Wrap the current layer in a subquery; names in scope become columns of it. */
export function wrap(f: Frame): void {
  const inner = f.layer
  if (f.rowMode) {
    inner.star = true
    for (const c of f.cols.values()) {
      if (c.event) continue
      const alias = `_d${f.seq++}`
      inner.select.push({ sql: c.sql, alias })
      c.sql = quoteAlias(alias)
    }
  } else {
    inner.star = false
    inner.select.length = 0
    for (const c of f.cols.values()) {
      inner.select.push({ sql: c.sql, alias: c.name })
      c.sql = quoteAlias(c.name)
    }
  }
  f.layer = newLayer(inner)
}

/** Make sure a LIMIT picks a defined set of rows: newest events first, or by the `by` keys. */
export function ensureOrder(f: Frame): void {
  if (f.layer.orderBy.length > 0) return
  if (f.rowMode) f.layer.orderBy = ['ts DESC']
  else f.layer.orderBy = f.byNames.flatMap((n) => (f.cols.has(n) ? [`${f.cols.get(n)!.sql} ASC`] : []))
}

/** Add or replace a named column; returns it. */
export function defineCol(f: Frame, name: string, e: Sql, event: boolean): Col {
  const col: Col = { name, sql: e.sql, ty: e.ty, event, ...(e.interval ? { interval: e.interval } : {}) }
  f.cols.delete(name)
  f.cols.set(name, col)
  return col
}

/** Add names to the output list, keeping first positions. */
export function addOutput(f: Frame, names: readonly string[]): void {
  const out = f.output ?? []
  for (const n of names) if (!out.includes(n)) out.push(n)
  f.output = out
}

/** A fresh frame over the events table. */
export function newFrame(init: Omit<Frame, 'layer' | 'rowMode' | 'cols' | 'output' | 'sortKeys' | 'byNames' | 'extraSettings' | 'seq' | 'group'>): Frame {
  return { ...init, layer: newLayer(null), rowMode: true, cols: new Map(), output: null, sortKeys: null, byNames: [], extraSettings: {}, seq: 0, group: null }
}
