/**
 * Turns saved logs into Logplex drain bodies: `heroku logs` output (`TS source[proc]: msg`, and the
 * other saved forms `splitHerokuLogsLine` knows) becomes one RFC 5424 frame per line, exactly as
 * Logplex would have sent it; raw Logplex bodies are split at frame boundaries.
 */
import { formatMicros, frameOctets } from '../logplex/index.js'
import { splitHerokuLogsLine } from '../lines/index.js'

/** One Logplex frame (length prefix included) for a saved log line, or null for a blank line. */
export function frameForLine(line: string, fallbackMicros: number, year?: number): Buffer | null {
  const text = line.replace(/\r$/, '')
  if (text.trim() === '') return null
  const l = splitHerokuLogsLine(text, year)
  const ts = Number.isNaN(l.tsMicros) ? fallbackMicros : l.tsMicros
  // PRI: local7.info for app output, local3.info for the router, syslog.notice otherwise (what
  // Logplex sends; the level is inferred from content, never from PRI).
  const source = l.source || 'app'
  const proc = l.proc || 'import'
  const pri = source === 'app' ? 190 : proc === 'router' ? 158 : 45
  const msg = Buffer.from(`<${pri}>1 ${formatMicros(ts)} host ${source} ${proc} - ${l.message}\n`, 'utf8')
  return Buffer.concat([Buffer.from(`${msg.length} `, 'ascii'), msg])
}

/** Does this text start like a Logplex body (`NNN <PRI>1 `)? */
export function looksLikeLogplex(head: string): boolean {
  return /^\s*\d{1,7} <\d{1,3}>\d /.test(head)
}

/**
 * Split the start of a stream of Logplex bytes into whole frames, keeping back a last stretch that
 * does not frame (it may be a frame cut by the chunk boundary; the next chunk completes it).
 */
export function splitComplete(buf: Buffer): { frames: Buffer[]; rest: Buffer } {
  const pieces = frameOctets(buf)
  const last = pieces.at(-1)
  const keep = last?.kind === 'issue' ? last.issue.offset : buf.length
  const frames = (last?.kind === 'issue' ? pieces.slice(0, -1) : pieces).map((p) =>
    p.kind === 'frame' ? buf.subarray(p.offset, p.rawEnd) : p.issue.raw,
  )
  return { frames, rest: buf.subarray(keep) }
}

/**
 * Split a raw Logplex body into whole frames (a bad stretch is kept as it is: the drain stores it
 * raw and counts it). Returns the frames as byte slices, in order.
 */
export function splitLogplex(body: Buffer): Buffer[] {
  const out: Buffer[] = []
  for (const piece of frameOctets(body)) {
    if (piece.kind === 'frame') out.push(body.subarray(piece.offset, piece.rawEnd))
    else out.push(piece.issue.raw)
  }
  return out
}
