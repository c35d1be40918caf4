/**
 * The byte-level fast paths of the syslog header (the usual Logplex header, the 32-byte Logplex
 * timestamp): they must give exactly what the general string parser gives, on every input.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseLogplexBody, parseSyslogHeader, parseTimestampMicros } from '../../src/logplex/index.js'
import { LOGPLEX_TIMESTAMP_LENGTH, logplexTimestampMicros } from '../../src/logplex/timestamp.js'

const pad = (n: number, w: number): string => String(n).padStart(w, '0')

/** Timestamps in and around the Logplex shape (bad ranges, other zones and separators). */
const timestamp = fc.tuple(
  fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
  fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 61 }),
  fc.integer({ min: 0, max: 999_999 }), fc.constantFrom('T', 't', ' ', 'x'),
  fc.constantFrom('+00:00', '-00:00', '+01:30', 'Z', '+0000', '+00:0x', '+00:00 '),
).map(([y, mo, d, h, mi, s, f, t, z]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}${t}${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(f, 6)}${z}`)
const anyTimestamp = fc.oneof(
  timestamp,
  timestamp.map((s) => s.replace(/\d/, 'x')),
  fc.string({ minLength: LOGPLEX_TIMESTAMP_LENGTH, maxLength: LOGPLEX_TIMESTAMP_LENGTH }),
  fc.constant('-'),
)
const field = fc.oneof(fc.constantFrom('host', 'heroku', 'app', 'router', 'web.1', '-', 'd.73ea7440', 'hostx', 'ho', ''), fc.string({ maxLength: 6 }))
const header = fc.tuple(
  fc.constantFrom('<158>', '<1>', '<0158>', '<192>', '<>', '158>', '<15x>'), fc.constantFrom('1 ', '12 ', '1', 'x ', '1  '),
  anyTimestamp, fc.array(fc.tuple(fc.constantFrom(' ', '  ', ''), field), { maxLength: 6 }), fc.constantFrom('', ' msg', ' - msg', '\n'),
).map(([pri, v, ts, fields, msg]) => `${pri}${v}${ts}${fields.map(([sp, f]) => sp + f).join('')}${msg}`)

const logplexTimestamp = fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString().replace('Z', '123+00:00'))

/** Headers of the usual shape, `<PRI>1 TS host APP PROC - MSG`, with some parts off. */
const usual = fc.tuple(
  fc.constantFrom('<158>', '<190>', '<45>', '<0>', '<191>', '<1580>'), fc.constantFrom('1 ', '1 ', '2 '), fc.oneof(logplexTimestamp, logplexTimestamp, timestamp),
  fc.constantFrom(' host ', ' host ', ' hostx ', ' host  ', ' d.x '), field, fc.constantFrom(' ', ' ', '  ', ''), field,
  fc.constantFrom(' - ', ' - ', ' -', ' ', ' -- ', ' - - '), fc.constantFrom('at=info', '', ' x', '- y'),
).map((p) => p.join(''))

describe('parseSyslogHeader with the body bytes', () => {
  it('gives what the string parser gives, for any header inside any body', () => {
    fc.assert(fc.property(fc.string({ maxLength: 4 }), fc.oneof(header, usual), fc.string({ maxLength: 4 }), (before, h, after) => {
      const body = Buffer.from(before + h + after, 'latin1')
      const text = body.toString('latin1')
      const start = before.length
      const end = start + h.length
      expect(parseSyslogHeader(text, start, end, body)).toEqual(parseSyslogHeader(text, start, end))
    }), { numRuns: 20_000 })
  })

  it('reads the usual Logplex header', () => {
    const s = '<158>1 2019-12-11T16:17:53.786555+00:00 host heroku router - at=info'
    expect(parseSyslogHeader(s, 0, s.length, Buffer.from(s, 'latin1'))).toEqual({
      kind: 'header', pri: 158, tsMicros: Date.UTC(2019, 11, 11, 16, 17, 53) * 1000 + 786_555, source: 'heroku', proc: 'router', layout: 'logplex', msgStart: s.indexOf('at='),
    })
  })

  it('bodies parse the same when frames repeat or interleave their APP-NAME and PROCID', () => {
    const frames = ['heroku router', 'app web.1', 'heroku router', 'app web.2', 'heroku web.1', 'app web.1', 'app -', 'heroku router']
      .map((p, k) => `<158>1 2024-05-01T12:00:0${k}.000001+00:00 host ${p} - m${k}\n`)
    const body = Buffer.from(frames.map((f) => `${f.length} ${f}`).join(''))
    const got = parseLogplexBody(body, { receivedMicros: 0 }).events.map((e) => `${e.source} ${e.proc || '-'} ${e.message}`)
    expect(got).toEqual(['heroku router m0', 'app web.1 m1', 'heroku router m2', 'app web.2 m3', 'heroku web.1 m4', 'app web.1 m5', 'app - m6', 'heroku router m7'])
  })
})

describe('logplexTimestampMicros', () => {
  it('agrees with parseTimestampMicros whenever it accepts, and accepts every valid Logplex timestamp', () => {
    fc.assert(fc.property(anyTimestamp, (ts) => {
      const s = ts.slice(0, LOGPLEX_TIMESTAMP_LENGTH)
      const fast = logplexTimestampMicros(Buffer.from(s, 'latin1'), 0)
      const general = parseTimestampMicros(s, 0, s.length)
      if (!Number.isNaN(fast)) expect(fast).toBe(general)
      if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/.test(s) && !Number.isNaN(general)) expect(fast).toBe(general)
    }), { numRuns: 20_000 })
  })

  it('agrees with Date for arbitrary instants', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), (d) => {
      const s = d.toISOString().replace('Z', '123+00:00')
      expect(logplexTimestampMicros(Buffer.from(s, 'latin1'), 0)).toBe(d.getTime() * 1000 + 123)
    }), { numRuns: 2000 })
  })

  it('never reads past the end of the bytes', () => {
    expect(logplexTimestampMicros(Buffer.from('2019-12-11T16:17:53.786555+00:0', 'latin1'), 0)).toBeNaN()
  })
})
