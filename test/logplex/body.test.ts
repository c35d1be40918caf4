/** parseLogplexBody: the contract the drain route is written against. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseLogplexBody } from '../../src/logplex/index.js'

const framed = (...msgs: string[]): Buffer =>
  Buffer.concat(msgs.map((m) => Buffer.concat([Buffer.from(`${Buffer.byteLength(m)} `), Buffer.from(m)])))

const L10 = '<172>1 2024-05-01T00:00:01+00:00 host heroku logplex - Error L10 (output buffer overflow): 3 messages dropped since 2024-05-01T00:00:00+00:00.'
const ROUTER = '<158>1 2024-05-01T00:00:00.002000+00:00 host heroku router - at=info method=GET path="/" host=a.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="1.2.3.4" dyno=web.1 connect=0ms service=3ms status=200 bytes=13 protocol=https\n'

describe('parseLogplexBody', () => {
  it('glued L10 notice (no LF) then a router frame', () => {
    const r = parseLogplexBody(framed(L10, ROUTER))
    expect(r.frames).toBe(2)
    expect(r.issues).toEqual([])
    expect(r.events.map((e) => [e.eventType, e.errorCode, e.proc])).toEqual([['logplex', 'L10', 'logplex'], ['router', null, 'router']])
    expect(r.events[0]!.attrs).toEqual({ 'logplex.dropped': 3, 'logplex.since': '2024-05-01T00:00:00.000000Z' })
    expect(r.events[1]!).toMatchObject({ tsMicros: Date.UTC(2024, 4, 1) * 1000 + 2000, requestId: '8601b555-6a83-4c12-8269-97c8e32cdb22', level: 'info', procType: 'router' })
  })

  it('a frame with a bad header is both an issue and an unparsed event, in body order', () => {
    const bad = '<999>1 garbage'
    const r = parseLogplexBody(framed(ROUTER, bad, ROUTER), { receivedMicros: 42 })
    expect(r.frames).toBe(3)
    expect(r.events.map((e) => e.eventType)).toEqual(['router', 'unparsed', 'router'])
    expect(r.issues).toHaveLength(1)
    expect(r.issues[0]).toMatchObject({ code: 'bad_header', offset: Buffer.byteLength(ROUTER) + String(Buffer.byteLength(ROUTER)).length + 1 })
    expect(r.issues[0]!.raw.toString()).toBe(`${bad.length} ${bad}`)
    expect(r.events[1]).toEqual({
      tsMicros: 42, source: '', proc: '', procType: '', eventType: 'unparsed', level: null, errorCode: null, requestId: null,
      message: `${bad.length} ${bad}`, size: bad.length + 3, attrs: {},
    })
  })

  it('size is the byte length of the message part; non-ASCII bodies decode as UTF-8', () => {
    const r = parseLogplexBody(framed('<190>1 2024-05-01T00:00:00Z host app web.1 - héllo wörld ✓\n', ROUTER))
    expect(r.events[0]).toMatchObject({ message: 'héllo wörld ✓', size: Buffer.byteLength('héllo wörld ✓'), eventType: 'app' })
    expect(r.events[1]).toMatchObject({ eventType: 'router', size: Buffer.byteLength(ROUTER) - ROUTER.indexOf('at=info') - 1 })
  })

  it('a frame without a usable timestamp gets receivedMicros', () => {
    const r = parseLogplexBody(framed('<190>1 - host app web.1 - hi', '<190>1 yesterday host app web.1 - hi'), { receivedMicros: 99 })
    expect(r.events.map((e) => e.tsMicros)).toEqual([99, 99])
  })

  it('redacts app lines by default, and not with redact: false', () => {
    const body = framed('<190>1 2024-05-01T00:00:00Z host app web.1 - at=info user=bob password=hunter2')
    expect(parseLogplexBody(body).events[0]).toMatchObject({ message: 'at=info user=bob password=[REDACTED]', attrs: { user: 'bob', password: '[REDACTED]' } })
    expect(parseLogplexBody(body, { redact: false }).events[0]).toMatchObject({ message: 'at=info user=bob password=hunter2', attrs: { password: 'hunter2' } })
  })

  it('an empty body has no frames', () => {
    expect(parseLogplexBody(Buffer.alloc(0))).toEqual({ events: [], issues: [], frames: 0 })
  })

  it('arbitrary bytes never throw; one event per frame seen', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const r = parseLogplexBody(Buffer.from(bytes), { receivedMicros: 1 })
      expect(r.events).toHaveLength(r.frames)
    }), { numRuns: 2000 })
  })

  it('arbitrary syslog-looking frames never throw', () => {
    const msg = fc.tuple(fc.integer({ min: 0, max: 191 }), fc.string({ maxLength: 20 }), fc.constantFrom('app', 'heroku', 'x'), fc.constantFrom('router', 'web.1', 'api', 'logplex', 'heroku-postgres', 'log-shuttle', 'nginx', '-'), fc.string({ maxLength: 120 }))
      .map(([pri, ts, src, proc, m]) => `<${pri}>1 ${ts || '-'} host ${src} ${proc} - ${m}`)
    fc.assert(fc.property(fc.array(msg, { maxLength: 8 }), (msgs) => {
      const r = parseLogplexBody(framed(...msgs), { receivedMicros: 1 })
      expect(r.events).toHaveLength(r.frames)
    }), { numRuns: 1000 })
  })
})
