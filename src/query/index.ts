/** The query language (public API): compile BadgerQL-style pipelines to parameterised ClickHouse SQL. */
export { compileQuery, type CompileContext, type CompiledQuery, type CompileResult, type QueryLimits } from './compile.js'
export type { QueryError, Span } from './errors.js'
export { parseTimeRange, type TimeRange, type TimeRangeResult } from './time-range.js'
