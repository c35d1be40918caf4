import { describe, expect, it } from 'vitest'
import { routeOf } from '../../src/lines/route.js'
import fc from 'fast-check'

describe('router.route', () => {
  it.each([
    ['/', '/'],
    ['/users', '/users'],
    ['/users/123', '/users/:id'],
    ['/users/123/orders?page=2', '/users/:id/orders'],
    ['/api/v2/events', '/api/v2/events'],
    ['/orders/5f0c6a3e-9b1d-4c2a-8e7f-0123456789ab/items', '/orders/:uuid/items'],
    ['/images/badge/211abb4747fce155ac83a67d9c8c9f92279340514c2238f80ea1e4d5a696571d.svg', '/images/badge/211abb4747fce155ac83a67d9c8c9f92279340514c2238f80ea1e4d5a696571d.svg'],
    ['/commits/9fceb02d0ae598e95dc970b74767f19372d61af8', '/commits/:hex'],
    ['/posts/42-my-first-post', '/posts/:id'],
    ['/reset/Zk9xQm1sY3p2dGVzdDEyMzQ1', '/reset/:token'],
    ['/socket.io/?EIO=3&transport=websocket&sid=o3sYNdYzcZc3UxgTAASk', '/socket.io/'],
    ['/de/admin/profiles/79', '/de/admin/profiles/:id'],
    ['/search#results', '/search'],
    ['/login', '/login'],
    ['/v1/2024/report', '/v1/:id/report'],
    ['', ''],
  ])('%s → %s', (path, route) => {
    expect(routeOf(path)).toBe(route)
  })
  it('never throws, never grows a path by more than its placeholders, and is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const r = routeOf(s)
      expect(routeOf(r)).toBe(r)
    }))
  })
})
