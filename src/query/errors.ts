/**
 * Errors of the query language. Inside the pipeline a stage throws a {@link QueryFailure}
 * (code + span + hint); the public API turns it into a located {@link QueryError} with line,
 * column and a caret excerpt (like liqe/PRQL), and never lets anything else escape.
 */

/** Half-open character range [start, end) in the query text. */
export interface Span {
  readonly start: number
  readonly end: number
}

/** A located error, as the HTTP layer returns it. `code` is stable; `message` is for people. */
export interface QueryError {
  readonly code: string
  readonly message: string
  readonly line: number
  readonly column: number
  readonly span: Span
  readonly excerpt: string
  readonly hint?: string
}

/** Thrown inside the compiler; converted to a {@link QueryError} at the public boundary. */
export class QueryFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly span: Span,
    readonly hint?: string,
  ) {
    super(message)
  }
}

/** Throw a {@link QueryFailure}. */
export function fail(code: string, message: string, span: Span, hint?: string): never {
  throw new QueryFailure(code, message, span, hint)
}

/** Build the located error for `text`: 1-based line/column and the offending line with a caret. */
export function locate(text: string, code: string, message: string, span: Span, hint?: string): QueryError {
  const start = Math.max(0, Math.min(span.start, text.length))
  const end = Math.max(start, Math.min(span.end, text.length))
  const lineStart = start === 0 ? 0 : text.lastIndexOf('\n', start - 1) + 1
  const nl = text.indexOf('\n', start)
  const lineEnd = nl === -1 ? text.length : nl
  const line = text.slice(0, start).split('\n').length
  const column = start - lineStart + 1
  const width = Math.max(1, Math.min(end, lineEnd) - start)
  const excerpt = `${text.slice(lineStart, lineEnd)}\n${' '.repeat(Math.max(0, start - lineStart))}${'^'.repeat(width)}`
  return { code, message, line, column, span: { start, end }, excerpt, ...(hint ? { hint } : {}) }
}

/** Convert anything thrown during compilation into a located {@link QueryError}. */
export function toQueryError(text: string, err: unknown): QueryError {
  if (err instanceof QueryFailure) return locate(text, err.code, err.message, err.span, err.hint)
  const detail = err instanceof Error ? err.message : String(err)
  return locate(text, 'internal_error', `internal error while compiling the query: ${detail}`, { start: 0, end: 0 })
}
