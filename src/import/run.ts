/**
 * `sluice import FILE|-`: backfill saved logs through a running Sluice's drain (the embedded store
 * belongs to the server process, and going through the drain means the same parsers, redaction
 * and dedup). Input is streamed; bodies are ~100 KB like Logplex's; progress goes to stderr.
 */
import { createReadStream, statSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { frameForLine, looksLikeLogplex, splitComplete, splitLogplex } from './frames.js'
import { importFrameId, sendBody, type SendTarget } from './sender.js'

/** Options of an import. */
export interface ImportOptions extends SendTarget {
  readonly file: string
  readonly format: 'auto' | 'heroku' | 'logplex'
  /** Bytes per body (Logplex targets 102,400). */
  readonly bodyBytes?: number
  /** Year for saved forms that omit it (Papertrail). */
  readonly year?: number
  readonly progress?: (p: ImportProgress) => void
}

/** Progress so far. */
export interface ImportProgress { readonly bytesRead: number; readonly totalBytes: number | null; readonly lines: number; readonly bodies: number; readonly done: boolean }

/** Import a file (or `-` for stdin). Resolves with the final progress. */
export async function runImport(o: ImportOptions): Promise<ImportProgress> {
  const input: Readable = o.file === '-' ? process.stdin : createReadStream(o.file)
  const totalBytes = o.file === '-' ? null : statSync(o.file).size
  const target = o.bodyBytes ?? 102_400
  let bytesRead = 0
  let lines = 0
  let bodies = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  let bodyOffset = 0
  const report = (done: boolean) => o.progress?.({ bytesRead, totalBytes, lines, bodies, done })

  const flush = async () => {
    if (pending.length === 0) return
    const body = Buffer.concat(pending)
    await sendBody(o, body, pending.length, importFrameId(bodyOffset, body))
    lines += pending.length
    bodies++
    bodyOffset = bytesRead
    pending = []
    pendingBytes = 0
    report(false)
  }
  const add = async (frame: Buffer) => {
    if (pendingBytes + frame.length > target && pending.length > 0) await flush()
    pending.push(frame)
    pendingBytes += frame.length
  }

  const chunks = input[Symbol.asyncIterator]()
  const first = await chunks.next()
  const head: Buffer = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Buffer)
  const format = o.format === 'auto' ? (looksLikeLogplex(head.subarray(0, 64).toString('latin1')) ? 'logplex' : 'heroku') : o.format
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length) yield head
    for (let c = await chunks.next(); !c.done; c = await chunks.next()) yield Buffer.from(c.value as Buffer)
  }

  if (format === 'logplex') {
    // Frames may span chunks: keep the unframed tail and frame it with the next chunk.
    let carry: Buffer = Buffer.alloc(0)
    for await (const chunk of rest()) {
      bytesRead += chunk.length
      carry = carry.length ? Buffer.concat([carry, chunk]) : chunk
      const { frames, rest } = splitComplete(carry)
      for (const f of frames) await add(f)
      carry = rest
    }
    for (const f of splitLogplex(carry)) await add(f)
  } else {
    const now = Date.now() * 1000
    const rl = createInterface({ input: Readable.from(toStrings(rest())), crlfDelay: Infinity })
    for await (const line of rl) {
      bytesRead += Buffer.byteLength(line) + 1
      const f = frameForLine(line, now, o.year)
      if (f) await add(f)
    }
  }
  await flush()
  bytesRead = totalBytes ?? bytesRead
  report(true)
  return { bytesRead, totalBytes, lines, bodies, done: true }
}

async function* toStrings(src: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const d = new StringDecoder('utf8')
  for await (const b of src) yield d.write(b)
  yield d.end()
}
