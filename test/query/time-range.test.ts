/** `ts` + timezone → absolute range, relative to a fixed now (Wed 2024-05-01T03:00:00Z). */
import fc from 'fast-check'
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
  // A range reaching past the store's years (1900–2299) is cut there: "since the beginning".
  ['0000-01-01T00:00:00Z', 'UTC', '1900-01-01T00:00:00Z', '2024-05-01T03:00:00Z'],
  ['P1000Y', 'Europe/Paris', '1900-01-01T00:00:00Z', '2024-05-01T03:00:00Z'],
]

describe('parseTimeRange', () => {
  for (const [ts, tz, from, to] of OK) {
    it(`${ts ?? '(none)'} in ${tz}`, () => {
      expect(parseTimeRange(ts, tz, NOW)).toEqual({ ok: true, range: { fromMicros: us(from), toMicros: us(to) } })
    })
  }
  const BAD: readonly [string, string, string][] = [
    ['banana', 'UTC', 'invalid_time_range'],
    // Past what a JS Date holds (it threw: a 500), or wholly outside the store's years.
    ['P1000000Y', 'UTC', 'invalid_time_range'],
    ['3000-01-01T00:00:00Z/3001-01-01T00:00:00Z', 'UTC', 'invalid_time_range'],
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

describe('any ts text', () => {
  it('gives a range inside the store\'s years or an error with a code; it never throws', () => {
    const piece = fc.constantFrom('P', 'T', '1', '99999999', '0', 'Y', 'M', 'W', 'D', 'H', 'S', '.', '/', '-', ':', '2024-', '2024-03-31T02:30:00',
      'Z', '+14:00', 'today', 'week', 'P1000000Y', 'PT1H', 'P1W/P0D', '1970-01-01', '9999-12-31T23:59:59', '0000-01-01')
    const ts = fc.oneof(fc.string({ maxLength: 30 }), fc.array(piece, { maxLength: 6 }).map((a) => a.join('')))
    const tz = fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York', 'Pacific/Kiritimati', 'Asia/Kathmandu', 'Australia/Lord_Howe')
    fc.assert(fc.property(ts, tz, (t, z) => {
      const r = parseTimeRange(t, z, NOW)
      if (!r.ok) {
        expect(r.error.code).toMatch(/^invalid_(time_range|timezone)$/)
        return
      }
      expect(r.range.fromMicros).toBeLessThan(r.range.toMicros)
      expect(r.range.fromMicros).toBeGreaterThanOrEqual(Date.UTC(1900, 0, 1) * 1000)
      expect(r.range.toMicros).toBeLessThan(Date.UTC(2300, 0, 1) * 1000)
    }), { numRuns: 5000, seed: Number(process.env.FUZZ_SEED ?? 20261203) })
  })
})
