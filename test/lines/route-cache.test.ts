/** The route cache: `routeOf` must always return what the uncached `computeRoute` returns. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { computeRoute, ROUTE_CACHE_SLOTS, routeOf } from '../../src/lines/route.js'

const segment = fc.oneof(
  fc.constantFrom('users', 'api', 'v2', 'edit', 'health', '42', '2024', 'ab', '12', '42-my-first-post', '5f0c6a3e-9b1d-4c2a-8e7f-0123456789ab', '9fceb02d0ae598e95dc970b74767f19372d61af8', 'Zk9xQm1sY3p2dGVzdDEyMzQ1'),
  fc.string({ maxLength: 6 }),
)
const path = fc.tuple(fc.array(segment, { maxLength: 5 }), fc.constantFrom('', '?page=2', '#x', '?a=1/2'))
  .map(([segs, tail]) => `/${segs.join('/')}${tail}`)

describe('routeOf (cached)', () => {
  it('agrees with computeRoute, asked again and again in any order', () => {
    fc.assert(fc.property(fc.array(fc.oneof(path, fc.string()), { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 80 }), (paths, picks) => {
      for (const p of paths) expect(routeOf(p)).toBe(computeRoute(p))
      for (const k of picks) {
        const p = paths[k % paths.length]!
        expect(routeOf(p)).toBe(computeRoute(p))
      }
    }), { numRuns: 2000 })
  })

  it('paths that share a slot (same length, middle and last character) replace each other correctly', () => {
    for (let k = 0; k < 3; k++) {
      expect(routeOf('/12/edit')).toBe('/:id/edit')
      expect(routeOf('/ab/edit')).toBe('/ab/edit')
    }
  })

  it('the empty path (the initial content of every slot) and strings equal to a cached path', () => {
    expect(routeOf('')).toBe('')
    const p = '/users/123/orders?page=2'
    expect(routeOf(p)).toBe('/users/:id/orders')
    expect(routeOf(`/users/${'123'}/orders?page=2`)).toBe('/users/:id/orders') // another string object, same text
  })

  it('stays right when far more distinct paths than slots go through it', () => {
    for (let k = 0; k < ROUTE_CACHE_SLOTS * 4; k++) {
      const p = k % 3 === 0 ? `/u/${k}/x` : k % 3 === 1 ? `/assets/app-${k.toString(16)}.css` : `/p${k}`
      expect(routeOf(p)).toBe(computeRoute(p))
    }
  })
})
