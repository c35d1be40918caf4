/** Logplex HTTPS-drain bodies: framing, syslog header, body parsing (public API of src/logplex). */
export { parseLogplexBody, type ParseOptions, type ParsedBody } from './body.js'
export { frameOctets, resync, type Frame, type FrameIssue, type FramePiece, type FramingIssue } from './framing.js'
export { parseSyslogHeader, type HeaderError, type HeaderLayout, type SyslogHeader } from './syslog-header.js'
export { formatMicros, parseTimestampMicros } from './timestamp.js'
