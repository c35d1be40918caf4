/**
 * The query AST: readonly nodes tagged by `kind` (modelled on Kysely's operation nodes). The
 * compiler and the English renderer each dispatch on `kind` through a `Record<Kind, …>` table, so a
 * new node without a handler fails the build.
 */
import type { Span } from './errors.js'

/** Type hints accepted after `::`. */
export type TypeHint = 'int' | 'float' | 'str' | 'bool'

/** Binary operators (comparison, arithmetic, logic). `=`/`<>` are normalised to `==`/`!=`. */
export type BinaryOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%' | 'and' | 'or'

/** Expression nodes. */
export type Expr =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly lit: 'string' | 'int' | 'float' | 'bool' | 'null'; readonly span: Span }
  | { readonly kind: 'duration'; readonly amount: number; readonly unit: string; readonly span: Span }
  | { readonly kind: 'regex'; readonly source: string; readonly span: Span }
  | { readonly kind: 'array'; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'field'; readonly name: string; readonly span: Span }
  | { readonly kind: 'index'; readonly arg: Expr; readonly index: number | '*'; readonly span: Span }
  | { readonly kind: 'param'; readonly name: string; readonly fallback?: string; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly arg: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'between'; readonly negated: boolean; readonly arg: Expr; readonly low: Expr; readonly high: Expr; readonly span: Span }
  | { readonly kind: 'in'; readonly negated: boolean; readonly arg: Expr; readonly list: Expr; readonly span: Span }
  | { readonly kind: 'like'; readonly op: 'like' | 'ilike'; readonly negated: boolean; readonly arg: Expr; readonly pattern: Expr; readonly span: Span }
  | { readonly kind: 'match'; readonly negated: boolean; readonly arg: Expr; readonly regex: Expr; readonly span: Span }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly star: boolean; readonly span: Span }
  | { readonly kind: 'cast'; readonly arg: Expr; readonly to: TypeHint; readonly span: Span }

/** Kind of an expression node. */
export type ExprKind = Expr['kind']

/** An expression with an optional `as name`; `text` is its source text (the default column name). */
export interface Named {
  readonly expr: Expr
  readonly alias?: string
  readonly text: string
  readonly span: Span
}

/** One `sort` key. */
export interface SortKey {
  readonly expr: Expr
  readonly desc: boolean
}

/** Pipeline stages. */
export type Stage =
  | { readonly kind: 'filter'; readonly expr: Expr; readonly span: Span }
  | { readonly kind: 'fields'; readonly items: readonly Named[]; readonly span: Span }
  | { readonly kind: 'only'; readonly items: readonly Named[]; readonly span: Span }
  | { readonly kind: 'stats'; readonly aggs: readonly Named[]; readonly by: readonly Named[]; readonly span: Span }
  | { readonly kind: 'sort'; readonly keys: readonly SortKey[]; readonly span: Span }
  | { readonly kind: 'limit'; readonly count: Expr; readonly by: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'parse'; readonly source: Expr; readonly regex: Expr; readonly span: Span }
  | { readonly kind: 'unique'; readonly exprs: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'expand'; readonly items: readonly Named[]; readonly span: Span }
  | {
      readonly kind: 'fill'
      readonly field: Expr
      readonly desc: boolean
      readonly from?: Expr
      readonly to?: Expr
      readonly step?: Expr
      readonly interpolate: readonly { readonly name: string; readonly expr: Expr; readonly span: Span }[]
      readonly span: Span
    }

/** Kind of a stage. */
export type StageKind = Stage['kind']

/** A parsed query: its stages in the user's order. */
export interface Query {
  readonly stages: readonly Stage[]
}
