/** What compiling an expression needs from the surrounding pipeline. */
import type { Expr } from './ast.js'
import type { Span } from './errors.js'
import type { Params } from './params.js'
import type { Sql } from './types.js'

/** Context for compiling one expression. */
export interface ExprCtx {
  readonly text: string
  readonly params: Params
  /** Placeholder of the request's IANA timezone (bound once). */
  readonly tz: () => string
  /** Resolve a field or column name in the current scope. */
  readonly resolve: (name: string, span: Span, quoted: boolean) => Sql
  /** Aggregates are allowed (inside `stats`). */
  readonly aggAllowed: boolean
  /** Event rows are in scope (so `@ts` exists for first/last). */
  readonly rowMode: boolean
  /** Length of the query's time range in seconds (for `bin()` without an interval). */
  readonly rangeSeconds: number
  /** A column named exactly by this source text (e.g. `count()` after `stats`), if any. */
  readonly columnByText: (text: string) => Sql | undefined
  /** The request's `params`. */
  readonly userParams: Readonly<Record<string, unknown>>
}

/** Compile function handed to function tables (breaks the import cycle). */
export type CompileFn = (e: Expr, ctx: ExprCtx) => Sql
