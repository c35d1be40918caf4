/** Line classification and per-kind parsers (public API of src/lines). */
export { classify, classifyAndParse, PARSERS, type LineKind } from './classify.js'
export { DEFAULT_LINE_OPTIONS, type LineOptions, type LineParser } from './event.js'
export { parseHerokuLogsLine, splitHerokuLogsLine, type HerokuLogsLineOptions, type LineForm, type SplitLine } from './heroku-logs-line.js'
export { parseLogfmt, type LogfmtPair } from './logfmt.js'
export { levelOfText, levelOfValue } from './level.js'
export { procTypeOf } from './proc-type.js'
export { findErrorCode } from './platform-error.js'
