/** The syslog header of Logplex frames (HEROKU-FORMATS.md §1.2): layouts, timestamps, traps. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatMicros, parseSyslogHeader, parseTimestampMicros } from '../../src/logplex/index.js'

type Row = readonly [string, { source: string; proc: string; layout: string; ts: string | null; msg: string; pri: number }]

const ROWS: readonly Row[] = [
  ['<158>1 2019-12-11T16:17:53.786555+00:00 host heroku router - at=info method=GET',
    { source: 'heroku', proc: 'router', layout: 'logplex', ts: '2019-12-11T16:17:53.786555Z', msg: 'at=info method=GET', pri: 158 }],
  ['<190>1 2014-08-04T18:28:43.015630+00:00 host app web.1 - 50.168.96.221 - - [04/Aug/2014 18:28:43] "GET /foo"',
    { source: 'app', proc: 'web.1', layout: 'logplex', ts: '2014-08-04T18:28:43.015630Z', msg: '50.168.96.221 - - [04/Aug/2014 18:28:43] "GET /foo"', pri: 190 }],
  ['<190>1 2023-07-17T01:07:08.965260+00:00 host app web.1 - - Gracefully stopping',
    { source: 'app', proc: 'web.1', layout: 'logplex', ts: '2023-07-17T01:07:08.965260Z', msg: '- Gracefully stopping', pri: 190 }],
  ['<190>1 2017-12-13T09:50:10.066481+00:00 host app web.1 - [GIN] 2017/12/13',
    { source: 'app', proc: 'web.1', layout: 'logplex', ts: '2017-12-13T09:50:10.066481Z', msg: '[GIN] 2017/12/13', pri: 190 }],
  ['<134>1 2016-08-19T11:23:29+00:00 host app heroku-postgres - source=DATABASE',
    { source: 'app', proc: 'heroku-postgres', layout: 'logplex', ts: '2016-08-19T11:23:29.000000Z', msg: 'source=DATABASE', pri: 134 }],
  ['<40>1 2012-11-30T06:45:29+00:00 heroku web.3 d.73ea7440-270a-435a-a0ea-adf50b4e5f5a - State changed from starting to up',
    { source: 'heroku', proc: 'web.3', layout: 'legacy', ts: '2012-11-30T06:45:29.000000Z', msg: 'State changed from starting to up', pri: 40 }],
  ['<158>1 2016-09-30T23:59:12.550028+00:00 d.73ea7440-270a-435a-a0ea-adf50b4e5f5a heroku router - - at=error code=H12',
    { source: 'heroku', proc: 'router', layout: 'syslog', ts: '2016-09-30T23:59:12.550028Z', msg: 'at=error code=H12', pri: 158 }],
  ['<40>1 2010-11-10T17:16:33-08:00 domU-12-31-39-13-74-02 t.xxx web.1 - - State changed from created to starting',
    { source: 't.xxx', proc: 'web.1', layout: 'syslog', ts: '2010-11-11T01:16:33.000000Z', msg: 'State changed from created to starting', pri: 40 }],
  ['<172>1 2013-04-17T19:04:46.1Z host heroku logplex - Error L10 (output buffer overflow): 1 messages dropped since 2013-04-17T19:04:46+00:00.',
    { source: 'heroku', proc: 'logplex', layout: 'logplex', ts: '2013-04-17T19:04:46.100000Z', msg: 'Error L10 (output buffer overflow): 1 messages dropped since 2013-04-17T19:04:46+00:00.', pri: 172 }],
  ['<2>1 2017-11-30T06:45:29+00:00 host app - sample#service.dataset_count=19071',
    { source: 'app', proc: '', layout: 'logplex', ts: '2017-11-30T06:45:29.000000Z', msg: 'sample#service.dataset_count=19071', pri: 2 }],
  ['<190>1 - host app web.1 - no time', { source: 'app', proc: 'web.1', layout: 'logplex', ts: null, msg: 'no time', pri: 190 }],
  ['<190>1 2023-04-06T21:20:57.143644+00:00 host app web.1 -', { source: 'app', proc: 'web.1', layout: 'logplex', ts: '2023-04-06T21:20:57.143644Z', msg: '', pri: 190 }],
]

describe('parseSyslogHeader', () => {
  for (const [input, want] of ROWS) {
    it(input, () => {
      const h = parseSyslogHeader(input)
      expect(h.kind).toBe('header')
      if (h.kind !== 'header') return
      expect({ source: h.source, proc: h.proc, layout: h.layout, ts: Number.isNaN(h.tsMicros) ? null : formatMicros(h.tsMicros), msg: input.slice(h.msgStart), pri: h.pri }).toEqual(want)
    })
  }

  const BAD = ['', 'hello', '<456>1 2023-12-05T03:10:36+00:00 host app heroku-postgres - x', '<1>x 2012 host', '<>1 2012-01-01T00:00:00Z host a b - m', '<1>1 2012-01-01T00:00:00Z host app', '<1>1 2012-01-01T00:00:00Z']
  for (const input of BAD) {
    it(`bad header: ${JSON.stringify(input)}`, () => {
      expect(parseSyslogHeader(input)).toMatchObject({ kind: 'error', code: 'bad_header' })
    })
  }

  it('parses a header inside a larger string by offsets', () => {
    const s = 'xx<158>1 2019-12-11T16:17:53.786555+00:00 host heroku router - at=info yy'
    const h = parseSyslogHeader(s, 2, s.length - 3)
    expect(h.kind === 'header' && s.slice(h.msgStart, s.length - 3)).toBe('at=info')
  })

  it('arbitrary strings never throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => { parseSyslogHeader(s) }), { numRuns: 3000 })
    fc.assert(fc.property(fc.string({ maxLength: 120 }), (s) => { parseSyslogHeader(`<190>1 ${s}`) }), { numRuns: 3000 })
  })
})

const TS: readonly (readonly [string, string | null])[] = [
  ['2019-12-11T16:17:53.786555+00:00', '2019-12-11T16:17:53.786555Z'],
  ['2016-08-19T11:23:29+00:00', '2016-08-19T11:23:29.000000Z'],
  ['2018-01-24T23:40:28.000000+00:00', '2018-01-24T23:40:28.000000Z'],
  ['2010-10-06T21:51:07-07:00', '2010-10-07T04:51:07.000000Z'],
  ['2024-03-15T12:10:39Z', '2024-03-15T12:10:39.000000Z'],
  ['2024-03-15T12:10:39.5+05:30', '2024-03-15T06:40:39.500000Z'],
  ['2024-03-15T12:10:39.1234567Z', '2024-03-15T12:10:39.123456Z'],
  ['1969-12-31T23:59:59.999999Z', '1969-12-31T23:59:59.999999Z'],
  ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000000Z'],
  ['2024-13-01T00:00:00Z', null],
  ['2024-01-01T00:00:00', null],
  ['2024-01-01T00:00:00.Z', null],
  ['2024-01-01T00:00:00+0000', null],
  ['not a time at all', null],
]

describe('parseTimestampMicros', () => {
  for (const [input, want] of TS) {
    it(input, () => {
      const t = parseTimestampMicros(input, 0, input.length)
      expect(Number.isNaN(t) ? null : formatMicros(t)).toBe(want)
    })
  }
  it('a missing zone is UTC when allowed (`hk log` output): 2014-11-14T06:26:43', () => {
    const s = '2014-11-14T06:26:43'
    expect(formatMicros(parseTimestampMicros(s, 0, s.length, true))).toBe('2014-11-14T06:26:43.000000Z')
  })
  it('agrees with Date for arbitrary millisecond instants', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString()
      expect(parseTimestampMicros(iso, 0, iso.length)).toBe(d.getTime() * 1000)
    }), { numRuns: 2000 })
  })
})
