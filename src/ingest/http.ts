/**
 * Request plumbing shared by the ingest routes: where the key comes from, the media type, and a
 * body read that stops at the limit instead of buffering whatever a client sends.
 */
import type { IncomingMessage } from 'node:http'
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
  // Under @hono/node-server, read the Node request itself: `c.req.raw.body` would build the full
  // web Request (undici) and a web stream over it for every POST, ~5% of the main thread at 50
  // drain connections (CPU profile of the ingest bench).
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (incoming && typeof incoming.on === 'function') return readIncoming(incoming, limit, tooLarge)
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

/** The body of a Node request, or `tooLarge()` as soon as it exceeds `limit` bytes. */
function readIncoming(incoming: IncomingMessage, limit: number, tooLarge: () => IngestError): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const done = (e?: unknown) => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
      incoming.off('close', onClose)
      if (e) reject(e)
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total))
    }
    const onData = (chunk: Buffer) => {
      total += chunk.length
      if (total > limit) {
        // Answer 413 without reading on: stop listening and let the rest drain unread (destroying
        // the request would reset the connection, and Logplex retries a reset forever).
        done(tooLarge())
        incoming.resume()
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => done()
    const onError = (e: Error) => done(e)
    // Closed before the end: the client went away mid-body.
    const onClose = () => { if (!incoming.complete) done(new Error('request aborted before the end of its body')) }
    if (incoming.readableEnded) return resolve(Buffer.alloc(0))
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
    incoming.on('close', onClose)
  })
}
