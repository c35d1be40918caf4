/**
 * Request plumbing shared by the ingest routes: where the key comes from, the media type, and a
 * body read that stops at the limit instead of buffering whatever a client sends, and decodes a
 * compressed one (`Content-Encoding`) within the same limit.
 */
import type { IncomingMessage } from 'node:http'
import zlib from 'node:zlib'
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

/** Content codings a request body may use (`Content-Encoding`), as the 415 lists them. */
export const CONTENT_CODINGS = 'gzip, deflate, br, identity'

/**
 * The body's content codings, in the order they were applied ('identity' left out), or 415
 * `unsupported_content_encoding` — before a byte of the body is read. Honeybadger's notifiers
 * send `deflate` (honeybadger-ruby: notices and Insights events); shippers such as Vector and
 * Fluent Bit send gzip. Logplex sends none.
 */
export function contentCodings(c: Context): string[] {
  const header = c.req.header('content-encoding')
  if (!header) return []
  const codings: string[] = []
  for (const part of header.split(',')) {
    const coding = part.trim().toLowerCase()
    if (coding === '' || coding === 'identity') continue
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== 'deflate' && coding !== 'br') {
      throw new IngestError('unsupported_content_encoding', `Content-Encoding ${JSON.stringify(part.trim())} is not supported; use one of ${CONTENT_CODINGS}`,
        undefined, { got: header, supported: CONTENT_CODINGS.split(', ') }, { 'Accept-Encoding': CONTENT_CODINGS })
    }
    codings.push(coding)
  }
  return codings
}

/**
 * The request body, decoded when it came compressed; 413 as soon as it exceeds `limit` bytes
 * (declared, as sent, or decoded: a small gzip body cannot expand past the limit in memory).
 */
export async function readBody(c: Context, limit: number): Promise<Buffer> {
  const codings = contentCodings(c)
  const body = await readRawBody(c, limit)
  return codings.length === 0 || body.length === 0 ? body : decodeBody(body, codings, limit)
}

/**
 * Undo the codings, last applied first. Sync zlib on purpose: the libuv threads that async zlib
 * would use also carry the store's INSERTs and queries, and a body is at most `limit` bytes.
 */
export function decodeBody(body: Buffer, codings: readonly string[], limit: number): Buffer {
  let out = body
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!
    const opts = { maxOutputLength: limit }
    try {
      if (coding === 'br') out = zlib.brotliDecompressSync(out, opts)
      // HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2), which honeybadger-ruby sends;
      // some clients send raw deflate under the same name, so a body without the zlib header is
      // read as raw.
      else if (coding === 'deflate') out = hasZlibHeader(out) ? zlib.inflateSync(out, opts) : zlib.inflateRawSync(out, opts)
      else out = zlib.gunzipSync(out, opts)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new IngestError('body_too_large', `request body over ${limit} bytes once decoded (Content-Encoding ${coding})`, undefined, { limit })
      }
      throw new IngestError('bad_content_encoding', `the body is not valid ${coding} data: ${(e as Error).message}`, undefined, { coding })
    }
  }
  return out
}

/** A zlib stream starts with CMF/FLG: deflate method (8), a window ≤ 32 KiB, a multiple of 31. */
function hasZlibHeader(b: Buffer): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && (b[0]! >> 4) <= 7 && ((b[0]! << 8) | b[1]!) % 31 === 0
}

/** The request body as sent, or 413 as soon as it exceeds `limit` bytes (declared or actual). */
async function readRawBody(c: Context, limit: number): Promise<Buffer> {
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
