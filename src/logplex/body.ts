/**
 * Frame + parse one `application/logplex-1` body: {@link frameOctets} → {@link parseSyslogHeader}
 * → `classifyAndParse`. Events come out in body order; every framing problem and every frame whose
 * header does not parse is BOTH an issue and an `unparsed` event carrying the raw frame text
 * (STYLE.md rule 7: keep what does not parse, count it). Never throws.
 */
import { isAscii } from 'node:buffer'
import type { ParsedEvent } from '../model/index.js'
import { classifyAndParse, type LineOptions } from '../lines/index.js'
import { frameOctets, type FramingIssue } from './framing.js'
import { parseSyslogHeader } from './syslog-header.js'

/** Options of {@link parseLogplexBody} (the config layer passes `redact`). */
export interface ParseOptions {
  /** Redact secrets in app lines; default true. */
  readonly redact?: boolean
  /** Fallback time (epoch µs) for frames without a usable timestamp; default: now. */
  readonly receivedMicros?: number
}

/** The result of parsing one body. */
export interface ParsedBody {
  readonly events: ParsedEvent[]
  readonly issues: FramingIssue[]
  /** Frames seen, bad ones included (compare with `Logplex-Msg-Count`). */
  readonly frames: number
}

const REDACT: LineOptions = { redact: true }
const NO_REDACT: LineOptions = { redact: false }

function unparsed(issue: FramingIssue, receivedMicros: number): ParsedEvent {
  return {
    tsMicros: receivedMicros, source: '', proc: '', procType: '', eventType: 'unparsed', level: null, errorCode: null,
    requestId: null, message: issue.raw.toString('utf8'), size: issue.raw.length, attrs: {},
  }
}

/** Frame + parse one application/logplex-1 body. Never throws. */
export function parseLogplexBody(body: Buffer, opts: ParseOptions = {}): ParsedBody {
  const lineOpts = opts.redact === false ? NO_REDACT : REDACT
  const receivedMicros = opts.receivedMicros ?? Date.now() * 1000
  const events: ParsedEvent[] = []
  const issues: FramingIssue[] = []
  const pieces = frameOctets(body)
  // The header is parsed on one latin1 decoding of the whole body: one char per byte, so string
  // offsets are byte offsets whatever the encoding. Each message is then decoded on its own
  // (utf8 unless the body is ASCII): a flat string, which the per-kind scanners read much faster
  // than a slice of the body string, and whose byte size is simply end - start.
  const text = body.toString('latin1')
  const encoding: BufferEncoding = isAscii(body) ? 'latin1' : 'utf8'
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!
    if (p.kind === 'issue') {
      issues.push(p.issue)
      events.push(unparsed(p.issue, receivedMicros))
      continue
    }
    const h = parseSyslogHeader(text, p.start, p.end, body)
    if (h.kind === 'error') {
      const issue: FramingIssue = { code: 'bad_header', raw: body.subarray(p.offset, p.rawEnd), offset: p.offset, message: `${h.message} in frame at byte ${p.offset}` }
      issues.push(issue)
      events.push(unparsed(issue, receivedMicros))
      continue
    }
    const message = h.msgStart < p.end ? body.toString(encoding, h.msgStart, p.end) : ''
    const ts = Number.isNaN(h.tsMicros) ? receivedMicros : h.tsMicros
    events.push(classifyAndParse(h.source, h.proc, message, ts, p.end - h.msgStart, lineOpts))
  }
  return { events, issues, frames: pieces.length }
}
