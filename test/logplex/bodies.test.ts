/**
 * Every body in test/fixtures/logplex-bodies.txt. The file shows frames one per line; the body a
 * drain received is rebuilt from each frame's own count: `N + text` gets a trailing LF when N is
 * the text's byte length + 1 and none when N is exactly the length (metrics frames), so the
 * honest blocks must frame to exactly their frame count with no issue. Blocks whose counts do
 * not match (the file says which, and why) must never throw, lose no byte, and report issues.
 * Syslog-drain blocks shown with the `d.<token>` HOSTNAME stripped (count = shown + 40) get a
 * 38-byte token put back, which makes them honest in the syslog-drain layout.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseLogplexBody } from '../../src/logplex/index.js'
import type { EventType } from '../../src/model/index.js'

interface Block { readonly source: string; readonly frames: string[] }

const text = readFileSync(new URL('../fixtures/logplex-bodies.txt', import.meta.url), 'utf8')
const blocks: Block[] = []
for (const line of text.split('\n')) {
  if (line.startsWith('=== source:')) { blocks.push({ source: line.slice(12), frames: [] }); continue }
  // Logentries prefixes its own receive time; frames are the `N <PRI>…` lines (HTTP headers are skipped).
  const f = line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ /, '')
  if (blocks.length > 0 && /^\d+ </.test(f)) blocks.at(-1)!.frames.push(f)
}

const bytes = (s: string): number => Buffer.byteLength(s)
const split = (f: string): { n: number; msg: string } => ({ n: Number(f.slice(0, f.indexOf(' '))), msg: f.slice(f.indexOf(' ') + 1) })
/** The body as received: each frame with a trailing LF exactly when its count includes one. */
const honestBody = (frames: readonly string[]): Buffer => Buffer.from(frames.map((f) => {
  const { n, msg } = split(f)
  return n === bytes(msg) + 1 ? `${f}\n` : f
}).join(''))
/**
 * Put the syslog-drain HOSTNAME back (`d.` + a 36-char UUID) after the timestamp, plus the LF
 * syslog drains always add. One R12 line shows a trailing space its count does not include (a
 * viewer artifact); a trailing space is dropped only when that is what makes the count fit.
 */
const TOKEN = 'd.73ea7440-270a-435a-a0ea-adf50b4e5f5a'
const withToken = (f: string): string => {
  const t = f.replace(/^(\d+ <\d+>1 \S+ )/, `$1${TOKEN} `)
  const { n, msg } = split(t)
  return n === bytes(msg) + 1 ? `${t}\n` : `${t.trimEnd()}\n`
}

const byPrefix = (p: string): Block => {
  const b = blocks.find((x) => x.source.startsWith(p))
  if (!b) throw new Error(`no block ${p}`)
  return b
}

const HONEST: readonly (readonly [string, readonly EventType[]])[] = [
  ['heroku/logplex doc/README.http_drains.md', Array<EventType>(10).fill('app')],
  ['eauc/heroku-influxdb-drain samples/sample5.txt', ['app']],
  ['eauc/heroku-influxdb-drain samples/sample0.txt', ['app', 'app', 'app', 'app', 'app']],
  ['Heroku Dev Center "Heroku Labs: HTTPS Drains"', ['dyno', 'dyno']],
  ['getsentry/relay', ['app', 'app', 'postgres_metrics']],
  ['vectordotdev/vector', ['router']],
  ['thelookoutway/heroku_drain_datadog spec/heroku_drain_datadog/router_spec.rb', ['router', 'runtime_metrics', 'redis_metrics', 'postgres_metrics']],
]

describe('logplex-bodies.txt: honest counts frame exactly', () => {
  it('every frame line of the file is in a block', () => {
    expect(blocks).toHaveLength(13)
  })
  for (const [prefix, types] of HONEST) {
    it(prefix, () => {
      const b = byPrefix(prefix)
      const body = honestBody(b.frames)
      const r = parseLogplexBody(body, { receivedMicros: 1 })
      expect(r.issues).toEqual([])
      expect(r.frames).toBe(b.frames.length)
      expect(r.events.map((e) => e.eventType)).toEqual(types)
      r.events.forEach((e, i) => {
        expect(e.tsMicros).not.toBe(1)
        // The message is the frame's tail after the header, and its size is its byte length.
        expect(split(b.frames[i]!).msg.endsWith(e.message)).toBe(true)
        expect(e.size).toBe(bytes(e.message))
      })
    })
  }

  it('the documented request: Content-Length 730 for 10 frames of 70', () => {
    const body = honestBody(byPrefix('heroku/logplex doc/README.http_drains.md').frames)
    expect(body.length).toBe(730)
    const r = parseLogplexBody(body)
    expect(r.events.map((e) => [e.source, e.proc, e.message])).toEqual(Array(10).fill(['erlang', 'console', 'Hi from erlang']))
  })

  it('the legacy 2012 layout: source heroku, proc web.3, drain token dropped', () => {
    const r = parseLogplexBody(honestBody(byPrefix('Heroku Dev Center "Heroku Labs: HTTPS Drains"').frames))
    expect(r.events.map((e) => [e.source, e.proc, e.attrs['dyno.event']])).toEqual([['heroku', 'web.3', 'state_change'], ['heroku', 'web.3', 'starting']])
  })
})

const SYSLOG_DRAIN: readonly (readonly [string, readonly EventType[]])[] = [
  ['arches/whacamole', ['app', 'app']],
  ['SYSLOG-drain (not HTTPS)', ['router', 'dyno', 'dyno', 'app', 'dyno']],
  ['https://gist.github.com/8vius', ['router']],
]

describe('logplex-bodies.txt: syslog-drain frames with the token put back', () => {
  for (const [prefix, types] of SYSLOG_DRAIN) {
    it(prefix, () => {
      const b = byPrefix(prefix)
      const framed = b.frames.map(withToken)
      framed.forEach((f) => expect(split(f).n).toBe(bytes(split(f).msg)))
      const r = parseLogplexBody(Buffer.from(framed.join('')))
      expect(r.issues).toEqual([])
      expect(r.events.map((e) => e.eventType)).toEqual(types)
      // The SD NILVALUE `-` of the syslog layout is not part of the message.
      r.events.forEach((e) => expect(e.message.startsWith('- ')).toBe(false))
    })
  }
})

/** Blocks whose counts the file flags as wrong, shown one frame per line. */
const DISHONEST: readonly (readonly [string, number, readonly string[]])[] = [
  ['Heroku Dev Center "HTTP Routing"', 2, ['bad_length', 'bad_length']],
  ['thelookoutway/heroku_drain_datadog spec/heroku_drain_datadog/parser_spec.rb', 3, ['bad_length', 'bad_length', 'bad_length']],
  ['Go test file', 4, ['bad_length', 'truncated']],
]

describe('logplex-bodies.txt: counts that lie are reported, never thrown, never dropped', () => {
  for (const [prefix, frames, codes] of DISHONEST) {
    it(prefix, () => {
      const body = Buffer.from(`${byPrefix(prefix).frames.join('\n')}\n`)
      const r = parseLogplexBody(body, { receivedMicros: 7 })
      expect(r.frames).toBe(frames)
      expect(r.issues.map((i) => i.code)).toEqual(codes)
      expect(r.events).toHaveLength(frames)
      // Every issue is also an `unparsed` event holding the raw bytes, stamped with the receive time.
      const unparsed = r.events.filter((e) => e.eventType === 'unparsed')
      expect(unparsed.map((e) => e.message)).toEqual(r.issues.map((i) => i.raw.toString('utf8')))
      unparsed.forEach((e) => expect(e.tsMicros).toBe(7))
      // Nothing lost: good frames and issue bytes cover every non-whitespace byte of the body.
      const covered = r.issues.reduce((n, i) => n + i.raw.length, 0) +
        r.events.filter((e) => e.eventType !== 'unparsed').reduce((n, e) => n + e.size, 0)
      expect(covered).toBeGreaterThan(body.length * 0.6)
    })
  }
})
