/** Tokens of the query language, each with its span in the source text. */
import type { Span } from './errors.js'

/** Kind of a token. */
export type TokenKind =
  | 'ident' // bare word or dotted path: filter, router.status, @ts
  | 'quoted' // backticked name: `Affected Users`
  | 'string'
  | 'number'
  | 'duration' // 5m 1h 1d 1w 1M
  | 'regex'
  | 'param' // ${name} or ${name:-default}
  | 'op' // == != <> < > <= >= + - * / % ::
  | 'punct' // ( ) [ ] , |
  | 'eof'

/** One token. `text` is the decoded value (string contents, regex source, param name). */
export interface Token {
  readonly kind: TokenKind
  readonly text: string
  readonly span: Span
  /** For `param`: the default after `:-`, if any. For `duration`: the unit. */
  readonly extra?: string
  /** For `number`/`duration`: the numeric value. */
  readonly value?: number
}
