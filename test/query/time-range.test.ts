/** `ts` + timezone → absolute range, relative to a fixed now (Wed 2024-05-01T03:00:00Z). */
import { describe, expect, it } from 'vitest'
import { parseTimeRange } from '../../src/query/index.js'

const NOW = new Date('2024-05-01T03:00:00Z')
const us = (iso: string) => Date.parse(iso) * 1000

const OK: readonly [string | undefined, string, string, string][] = [
  [undefined, 'UTC', '2024-05-01T00:00:00Z', '2024-05-01T03:00:00Z'],
  ['PT3H', 'UTC', '2024-05-01T00:00:00Z', '2024-05-01T03:00:00Z'],
  ['P1D', 'UTC', '2024-04-30T03:00:00Z', '2024-05-01T03:00:00Z'],
  ['PT90M', 'UTC', '2024-05-01T01:30:00Z', '2024-05-01T03:00:00Z'],
  ['P1M', 'UTC', '2024-04-01T03:00:00Z', '2024-05-01T03:00:00Z'],
  ['today', 'UTC', '2024-05-01T00:00:00Z', '2024-05-01T03:00:00Z'],
  ['today', 'America/New_York', '2024-04-30T04:00:00Z', '2024-05-01T03:00:00Z'],
  ['yesterday', 'UTC', '2024-04-30T00:00:00Z', '2024-05-01T00:00:00Z'],
  ['yesterday', 'Asia/Tokyo', '2024-04-29T15:00:00Z', '2024-04-30T15:00:00Z'],
  ['week', 'UTC', '2024-04-29T00:00:00Z', '2024-05-01T03:00:00Z'],
  ['month', 'UTC', '2024-05-01T00:00:00Z', '2024-05-01T03:00:00Z'],
  ['month', 'Europe/Paris', '2024-04-30T22:00:00Z', '2024-05-01T03:00:00Z'],
  ['P1W/P0D', 'UTC', '2024-04-24T03:00:00Z', '2024-05-01T03:00:00Z'],
  ['P2D/P1D', 'UTC', '2024-04-29T03:00:00Z', '2024-04-30T03:00:00Z'],
  ['2024-04-30T00:00:00Z/2024-04-30T12:00:00Z', 'UTC', '2024-04-30T00:00:00Z', '2024-04-30T12:00:00Z'],
  ['2024-04-30T10:00:00Z/PT2H', 'UTC', '2024-04-30T10:00:00Z', '2024-04-30T12:00:00Z'],
  ['PT2H/2024-04-30T12:00:00Z', 'UTC', '2024-04-30T10:00:00Z', '2024-04-30T12:00:00Z'],
  ['2024-04-30', 'Europe/Paris', '2024-04-29T22:00:00Z', '2024-05-01T03:00:00Z'],
  ['2024-04-30T12:00:00+02:00', 'UTC', '2024-04-30T10:00:00Z', '2024-05-01T03:00:00Z'],
]

describe('parseTimeRange', () => {
  for (const [ts, tz, from, to] of OK) {
    it(`${ts ?? '(none)'} in ${tz}`, () => {
      expect(parseTimeRange(ts, tz, NOW)).toEqual({ ok: true, range: { fromMicros: us(from), toMicros: us(to) } })
    })
  }
  const BAD: readonly [string, string, string][] = [
    ['banana', 'UTC', 'invalid_time_range'],
    ['2024-05-02T00:00:00Z', 'UTC', 'invalid_time_range'],
    ['P1D/2024-13-45', 'UTC', 'invalid_time_range'],
    ['PT3H', 'Mars/Base', 'invalid_timezone'],
  ]
  for (const [ts, tz, code] of BAD) {
    it(`${ts} in ${tz} → ${code}`, () => {
      const r = parseTimeRange(ts, tz, NOW)
      expect(r.ok ? 'ok' : r.error.code).toBe(code)
    })
  }
})
