/**
 * Sends Logplex bodies to a running Sluice's drain, as Logplex would: one request at a time,
 * `Logplex-Frame-Id` derived from the body's position and bytes, so an interrupted import that is
 * run again re-sends the same ids and the drain skips what it already stored. 429/503/network
 * errors are retried (honouring Retry-After); any other 4xx stops the import with its message.
 */
import { createHash } from 'node:crypto'

/** Where and how to send. */
export interface SendTarget {
  readonly url: string
  readonly key: string
  readonly env: string
  readonly app?: string | undefined
  /** Identifies this import's frames (the drain's dedup key is drain token + frame id). */
  readonly drainToken: string
}

/** What one POST did. */
export interface SendResult { readonly status: number; readonly lines: number }

/** A stable frame id for the body that starts at `offset` of the input. */
export function importFrameId(offset: number, body: Buffer): string {
  return createHash('md5').update(String(offset)).update('\0').update(body).digest('hex').toUpperCase()
}

/** POST one body; retries transient failures up to `attempts` times. */
export async function sendBody(t: SendTarget, body: Buffer, frames: number, frameId: string, attempts = 8): Promise<SendResult> {
  const q = new URLSearchParams({ env: t.env, ...(t.app ? { app: t.app } : {}) })
  const url = `${t.url.replace(/\/+$/, '')}/v1/events?${q}`
  let wait = 250
  for (let attempt = 1; ; attempt++) {
    let status = 0
    let message = ''
    let retryAfter = 0
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/logplex-1',
          'x-api-key': t.key,
          'logplex-msg-count': String(frames),
          'logplex-frame-id': frameId,
          'logplex-drain-token': t.drainToken,
          'user-agent': 'sluice-import',
        },
        body,
      })
      status = res.status
      retryAfter = Number(res.headers.get('retry-after') ?? 0)
      const text = await res.text()
      if (res.ok) return { status, lines: frames }
      message = text.slice(0, 300)
    } catch (e) {
      message = (e as Error).message
    }
    const transient = status === 0 || status === 429 || status >= 500
    if (!transient || attempt >= attempts) throw new Error(`the drain answered ${status || 'no response'}: ${message}`)
    await new Promise((r) => setTimeout(r, retryAfter > 0 ? retryAfter * 1000 : wait))
    wait = Math.min(wait * 2, 10_000)
  }
}
