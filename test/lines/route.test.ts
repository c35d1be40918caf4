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
    // Asset fingerprints (a new one each deploy) and content-hash file names: one endpoint each.
    ['/images/badge/211abb4747fce155ac83a67d9c8c9f92279340514c2238f80ea1e4d5a696571d.svg', '/images/badge/:hex.svg'],
    ['/assets/application-6789cc2536a7.js', '/assets/application-:hex.js'],
    ['/assets/application-3a5f0e4b1c7d9e2f3a5f0e4b1c7d9e2f3a5f0e4b1c7d9e2f3a5f0e4b1c7d9e2f.css.gz', '/assets/application-:hex.css.gz'],
    ['/packs/js/main.3f2a1b9c.chunk.js', '/packs/js/main.:hex.chunk.js'],
    ['/static/9f8e7d6c5b.js?v=2', '/static/:hex.js'],
    // Kept: too short, no digit, not followed by an extension, or not hex.
    ['/assets/app-1a2b3c.js', '/assets/app-1a2b3c.js'],
    ['/assets/app-deadbeefcafe.js', '/assets/app-deadbeefcafe.js'],
    ['/files/report-2024abcd', '/files/report-2024abcd'],
    ['/assets/app-1a2b3c4g5h.js', '/assets/app-1a2b3c4g5h.js'],
    ['/api/v1.2/users', '/api/v1.2/users'],
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
