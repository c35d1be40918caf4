/**
 * The bench's load generator stamps each body it sends with the current time, as Logplex does
 * (successive bodies move forward in time), without changing anything else in the body.
 */
import { describe, expect, it } from 'vitest'
import { parseLogplexBody } from '../../src/logplex/index.js'
import { bodyFor, stampNow } from './loadgen.js'

describe('loadgen stampNow', () => {
  it('re-stamps every frame with the current time, in order, and keeps the rest of the body', () => {
    const template = bodyFor(7, 370, Date.parse('2020-01-01T00:00:00Z'))
    const before = Date.now()
    const stamped = stampNow(template)
    const after = Date.now()
    expect(stamped.length).toBe(template.length)
    const a = parseLogplexBody(template).events
    const b = parseLogplexBody(stamped).events
    expect(b).toHaveLength(370)
    expect(b.map((e) => e.message)).toEqual(a.map((e) => e.message))
    expect(b.every((e) => e.eventType === 'router')).toBe(true)
    for (let i = 1; i < b.length; i++) expect(b[i]!.tsMicros).toBeGreaterThan(b[i - 1]!.tsMicros)
    expect(b[369]!.tsMicros / 1000).toBeGreaterThanOrEqual(before)
    expect(b[369]!.tsMicros / 1000).toBeLessThanOrEqual(after)
    expect(b[0]!.tsMicros / 1000).toBe(b[369]!.tsMicros / 1000 - 369)
    // The template itself is untouched (it is reused for every send).
    expect(parseLogplexBody(template).events[0]!.tsMicros).toBe(a[0]!.tsMicros)
  })
})
