/**
 * Request plumbing shared by the ingest routes: where the key comes from, the media type, and a
 * body read that stops at the limit instead of buffering whatever a client sends.
 */
import type { Context } from 'hono'
import { IngestError } from './errors.js'

/**
 * The ingest key: `api_key` query parameter, `X-API-Key` header, or HTTP basic auth — Heroku turns
 * drain URL userinfo into `Authorization: Basic` (HEROKU-FORMATS §1.1); the password is the key,
 * or the user name when there is no password (`https://KEY@host/…`).
 */
export function ingestKey(c: Context): string | null {
  const q = c.req.query('api_key')
  if (q) return q
  const h = c.req.header('x-api-key')
  if (h) return h
  const auth = c.req.header('authorization')
  if (auth && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8')
    const i = decoded.indexOf(':')
    const user = i < 0 ? decoded : decoded.slice(0, i)
    const pass = i < 0 ? '' : decoded.slice(i + 1)
    return pass || user || null
  }
  return null
}

/** The media type of the request, lower-cased, without parameters ('' when absent). */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/** The request body, or 413 as soon as it exceeds `limit` bytes (declared or actual). */
export async function readBody(c: Context, limit: number): Promise<Buffer> {
  const tooLarge = () => new IngestError('body_too_large', `request body over ${limit} bytes`, undefined, { limit })
  const declared = Number(c.req.header('content-length') ?? NaN)
  if (declared > limit) throw tooLarge()
  const stream = c.req.raw.body
  if (!stream) return Buffer.alloc(0)
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  return chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength) : Buffer.concat(chunks, total)
}
