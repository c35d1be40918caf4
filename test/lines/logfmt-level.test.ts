/** The strict logfmt scanner, level inference and proc types: tables, then never-throw properties. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { levelOfText, levelOfValue, parseLogfmt, procTypeOf } from '../../src/lines/index.js'

const LOGFMT: readonly (readonly [string, readonly (readonly [string, string | null])[] | null])[] = [
  ['a=1 b="two words" c=', [['a', '1'], ['b', 'two words'], ['c', null]]],
  ['msg="say \\"hi\\"" url=/a?b=c', [['msg', 'say "hi"'], ['url', '/a?b=c']]],
  ['  padded=yes  ', [['padded', 'yes']]],
  ['service: p50=23.00 p99=334.00', null],
  ['just words', null],
  ['a="unterminated', null],
  ['a="x"b', null],
  ['=novalue', null],
  ['', null],
]

describe('parseLogfmt', () => {
  for (const [input, want] of LOGFMT) {
    it(JSON.stringify(input), () => {
      const r = parseLogfmt(input)
      expect(r === null ? null : r.map((p) => [p.key, p.value])).toEqual(want)
    })
  }
  it('arbitrary strings never throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => { parseLogfmt(s) }), { numRuns: 5000 })
  })
  it('round-trips generated pairs', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_.]{0,10}$/)
    const val = fc.string({ maxLength: 20 }).filter((v) => !/[\\\n]/.test(v))
    fc.assert(fc.property(fc.array(fc.tuple(key, val), { minLength: 1, maxLength: 6 }), (pairs) => {
      const line = pairs.map(([k, v]) => `${k}="${v.replace(/"/g, '\\"')}"`).join(' ')
      expect(parseLogfmt(line)!.map((p) => [p.key, p.value])).toEqual(pairs)
    }), { numRuns: 1000 })
  })
})

const LEVEL_TEXT: readonly (readonly [string, string | null])[] = [
  ['I, [2023-07-17T04:20:44.263473 #2]  INFO -- : hi', 'info'],
  ['D, [2023-07-17T04:20:44.400412 #2] DEBUG -- : sql', 'debug'],
  ['F, [2023-07-17T04:20:44.401443 #2] FATAL -- : x', 'fatal'],
  ['[2021-01-11 15:02:54 +0000] [4] [INFO] Booting worker', 'info'],
  ['[2012-11-20 22:35:46] ERROR SignalException: SIGTERM', 'error'],
  ['2024/01/01 WARN disk almost full', 'warn'],
  ['[17:37:53] Error: connect ECONNREFUSED 63.245.213.57:443', 'error'],
  ['INFORMATION is not a level word', null],
  ['no level here', null],
  ['<134>1 looks like syslog but PRI is never a level', null],
]

describe('levelOfText', () => {
  for (const [input, want] of LEVEL_TEXT) it(input, () => expect(levelOfText(input)).toBe(want))
  it('never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => { levelOfText(s) }), { numRuns: 3000 })
  })
})

describe('levelOfValue', () => {
  const ROWS: readonly (readonly [unknown, string | null])[] = [
    [10, 'debug'], [20, 'debug'], [30, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal'], ['50', 'error'],
    ['WARNING', 'warn'], ['err', 'error'], ['Critical', 'fatal'], ['trace', 'debug'], ['nonsense', null], [true, null], ['constructor', null], ['__proto__', null],
  ]
  for (const [input, want] of ROWS) it(JSON.stringify(input), () => expect(levelOfValue(input)).toBe(want))
})

describe('procTypeOf', () => {
  const ROWS: readonly (readonly [string, string])[] = [
    ['web.1', 'web'], ['scheduler.8715', 'scheduler'], ['bidtable_worker.1', 'bidtable_worker'], ['router', 'router'],
    ['heroku-postgres', 'heroku-postgres'], ['postgres.1127530', 'postgres'], ['web-12a34bcd56-7efgh', 'web'], ['', ''], ['a.b', 'a.b'],
  ]
  for (const [input, want] of ROWS) it(JSON.stringify(input), () => expect(procTypeOf(input)).toBe(want))
})
