/**
 * Whatever JSON values a sender puts in its events, the engine takes the INSERT: custom events
 * and app JSON lines with random objects (huge and tiny numbers, 20-digit integers, lone
 * surrogates, odd keys) are all stored, through the real routes into the embedded store. One value
 * the engine rejects would otherwise fail its whole request (and a drain's retries, forever).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { logplexBody, openHarness, postDrain, type Harness } from './harness.js'

let h: Harness
beforeAll(async () => { h = await openHarness({}) })
afterAll(async () => { await h.close() })

const count = async (where: string) =>
  Number((await h.rows<{ n: string }>(`SELECT count() AS n FROM events WHERE ${where}`))[0]!.n)

/** Numbers JSON can carry, weighted toward the edges of the engine's integer and float types. */
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(2 ** 63, 2 ** 64, 2 ** 64 - 2048, -(2 ** 63), -(2 ** 63) - 4096, 18665849582234040000, -18665849582234040000, 1e21 - 65536, 1e21, 5e-324, -0, 1.7976931348623157e308),
  fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).map(Number),
)
const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a.b', '', ' ', 'router.status', '@ts', 'message', 'level', '\ud800', 'x'.repeat(200)))
const scalar = fc.oneof(number, fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 10 }), fc.boolean(), fc.constant(null), fc.constantFrom('\ud800', 'a\udc00b'))
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
})).v
const event = fc.dictionary(key, value, { minKeys: 1, maxKeys: 8 })

describe('JSON values in events', () => {
  it('custom events: every line of random JSON objects is accepted and stored', async () => {
    let sent = 0
    await fc.assert(fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 6 }), async (objs) => {
      const body = objs.map((o) => JSON.stringify({ ...o, tag: 'jsonvals' })).join('\n')
      const res = await h.app.request('/v1/events?app=jsonvals', { method: 'POST', headers: { 'x-api-key': 'key-alpha', 'content-type': 'application/x-ndjson' }, body })
      const text = await res.text()
      expect(res.status, `${text} for ${body.slice(0, 400)}`).toBe(200)
      expect((JSON.parse(text) as { accepted: number }).accepted).toBe(objs.length)
      sent += objs.length
    }), { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 20261203) })
    expect(await count("app = 'jsonvals'")).toBe(sent)
  })

  it('app JSON lines in a Logplex body: random objects are parsed into attrs and stored, every frame', async () => {
    let frames = 0
    let n = 0
    await fc.assert(fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 6 }), async (objs) => {
      const lines = objs.map((o) => `<190>1 2026-01-01T00:00:00.000000+00:00 host app web.1 - ${JSON.stringify(o)}`)
      const res = await postDrain(h.app, logplexBody(lines), { 'logplex-msg-count': String(lines.length), 'logplex-frame-id': `JSONVALS${String(n++).padStart(24, '0')}` }, 'api_key=key-alpha&env=jsonvals')
      expect(res.status, `${await res.text()} for ${lines.join('\n').slice(0, 400)}`).toBe(204)
      frames += lines.length
    }), { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 20261203) })
    expect(await count("environment = 'jsonvals'")).toBe(frames)
  })

  it('a 20-digit integer is stored as the number the sender meant (Float64), next to ordinary ones', async () => {
    const body = '{"tag":"bigint","big":18665849582234040000,"neg":-9223372036854775809,"max":18446744073709551615,"ok":9223372036854775807,"small":42}'
    const res = await h.app.request('/v1/events?app=bigint', { method: 'POST', headers: { 'x-api-key': 'key-alpha', 'content-type': 'application/x-ndjson' }, body })
    expect(res.status).toBe(200)
    const [row] = await h.rows<Record<string, number>>(`SELECT toFloat64(attrs.big) AS big, toFloat64(attrs.neg) AS neg, toFloat64(attrs.max) AS max,
      toFloat64(attrs.ok) AS ok, toInt64(attrs.small) AS small FROM events WHERE app = 'bigint'`)
    expect(row).toEqual({ big: 18665849582234040000, neg: -9223372036854775809, max: 18446744073709551615, ok: 9223372036854775807, small: 42 })
  })
})
