/**
 * Deterministic event ids for Logplex frames, so a retried frame maps onto the ids it already has.
 *
 * id = md5(project, drain, frameId)[0..8] ‖ fnv1a32(message) ‖ index counted FROM THE END of the
 * body. Counting from the end matters: on a retry Logplex rebuilds the body and may PREPEND an L10
 * "messages dropped" frame (HEROKU-FORMATS.md §1.1, `request_to_iolist/2`), which shifts every
 * index from the front but none from the back. The message hash keeps two different messages at
 * the same position (e.g. two L10 notices with different counts) apart. Version nibble 8
 * (RFC 9562 §5.8, custom) and the RFC variant bits are set so the value is a valid UUID.
 */
import { createHash, randomUUID } from 'node:crypto'

/** 32-bit FNV-1a over the UTF-16 code units of `s` (cheap; collisions only matter per position). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0')

/** The per-frame part of the ids: 16 hex chars from md5(project, drain, frameId), version set. */
export function framePrefix(projectId: string, drain: string, frameId: string): string {
  const d = createHash('md5').update(`${projectId}\u0000${drain}\u0000${frameId}`).digest('hex')
  // xxxxxxxx-xxxx-8xxx: replace the version nibble (hex index 12).
  return `${d.slice(0, 8)}-${d.slice(8, 12)}-8${d.slice(13, 16)}`
}

/** The message's 32 bits of an id: its FNV-1a hash with the RFC variant bits 10xx on top (RFC 9562 §4.1). */
export function messageIdBits(message: string): number {
  return ((fnv1a32(message) & 0x3fffffff) | 0x80000000) >>> 0
}

/** The 8 bytes of a {@link framePrefix} (the id's first half, in text order). */
export function framePrefixBytes(prefix: string): Uint8Array {
  const hex = prefix.replace(/-/g, '')
  const out = new Uint8Array(8)
  for (let i = 0; i < 8; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** The id of the message at `indexFromEnd` (0 = last frame of the body) in the frame with `prefix`. */
export function frameEventId(prefix: string, message: string, indexFromEnd: number): string {
  const hh = hex8(messageIdBits(message))
  const ii = hex8(indexFromEnd)
  return `${prefix}-${hh.slice(0, 4)}-${hh.slice(4)}${ii}`
}

/** A random id, for events that carry no frame id (custom events, notices, Logplex without Frame-Id). */
export function randomEventId(): string {
  return randomUUID()
}
