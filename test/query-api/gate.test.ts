import { describe, expect, it } from 'vitest'
import { createQueryGate } from '../../src/query-api/gate.js'
import { AppError } from '../../src/errors.js'

const settled = async <T,>(p: Promise<T>): Promise<'pending' | 'resolved' | 'rejected'> => {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending'
  p.then(() => { state = 'resolved' }, () => { state = 'rejected' })
  await new Promise((r) => setTimeout(r, 10))
  return state
}

describe('query gate', () => {
  it('runs at most `slots` at once and admits waiters first come, first served', async () => {
    const gate = createQueryGate({ slots: 2, perProject: 2, maxWaitMs: 10_000 })
    const a = await gate.acquire('p')
    await gate.acquire('q')
    const order: string[] = []
    const w1 = gate.acquire('p').then((r) => { order.push('w1'); return r })
    const w2 = gate.acquire('q').then((r) => { order.push('w2'); return r })
    expect([gate.running, gate.waiting]).toEqual([2, 2])
    expect(await settled(w1)).toBe('pending')
    a()
    a() // giving a slot back twice frees it once
    await w1
    expect(await settled(w2)).toBe('pending')
    expect([gate.running, gate.waiting]).toEqual([2, 1])
    ;(await w1)()
    await w2
    expect(order).toEqual(['w1', 'w2'])
  })

  it("keeps a slot for other projects: one project's burst waits while another project's query runs at once", async () => {
    const gate = createQueryGate({ slots: 3, maxWaitMs: 10_000 }) // 2 per project
    await gate.acquire('burst')
    await gate.acquire('burst')
    const third = gate.acquire('burst')
    expect(await settled(third)).toBe('pending')
    expect(await settled(gate.acquire('other'))).toBe('resolved')
    expect([gate.running, gate.waiting]).toEqual([3, 1])
  })

  it('a waiter gets a clear error after maxWaitMs: 429 when its project holds its share, 503 when the store is full', async () => {
    const gate = createQueryGate({ slots: 2, maxWaitMs: 50 }) // 1 per project
    await gate.acquire('a')
    const own = await gate.acquire('a').catch((e: unknown) => e)
    expect(own).toBeInstanceOf(AppError)
    expect(own).toMatchObject({ status: 429, code: 'too_many_queries', headers: { 'Retry-After': '5' } })
    await gate.acquire('b')
    const full = await gate.acquire('c').catch((e: unknown) => e)
    expect(full).toMatchObject({ status: 503, code: 'store_busy', headers: { 'Retry-After': '5' } })
    expect(gate.waiting).toBe(0)
  })

  it('a waiter whose client goes away leaves the queue and never takes a slot', async () => {
    const gate = createQueryGate({ slots: 1, maxWaitMs: 10_000 })
    const release = await gate.acquire('a')
    const ac = new AbortController()
    const gone = gate.acquire('b', ac.signal).catch((e: unknown) => e)
    ac.abort()
    expect(await gone).toMatchObject({ code: 'query_cancelled' })
    expect(gate.waiting).toBe(0)
    release()
    expect(gate.running).toBe(0)
    const already = new AbortController()
    already.abort()
    expect(await gate.acquire('b', already.signal).catch((e: unknown) => e)).toMatchObject({ code: 'query_cancelled' })
    expect(gate.running).toBe(0)
  })
})
