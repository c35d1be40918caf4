/**
 * Router key matching: keys are identified by length and last character, confirmed character by
 * character, and the usual next key is tried in place first. None of that may change what a line
 * parses into, whatever the key order or spelling.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRouter } from '../../src/lines/router.js'

const parse = (msg: string) => parseRouter(msg, 0, 'heroku', 'router', 'router', msg.length, { redact: true })

const LINE = 'at=info method=GET path="/users/42" host=a.com request_id=r-1 fwd="1.2.3.4" dyno=web.1 connect=1ms service=20ms status=200 bytes=512 protocol=https tls=true tls_version=tls1.3'

describe('router keys', () => {
  it('unknown keys that share a documented key\'s length and last character stay unknown', () => {
    const e = parse('at=info pxth="/a" mothod=GET hest=x cpnnect=3ms ststus=500 tls_verxion=1 fwe=2 at2=x')
    expect(e.attrs).toEqual({
      'router.at': 'info', 'router.pxth': '/a', 'router.mothod': 'GET', 'router.hest': 'x', 'router.cpnnect': '3ms',
      'router.ststus': '500', 'router.tls_verxion': '1', 'router.fwe': '2', 'router.at2': 'x',
    })
  })

  it('a key that starts like the usual next one is not taken for it', () => {
    expect(parse('at=info methods=GET method=POST pathx=/a path=/b').attrs).toEqual({
      'router.at': 'info', 'router.methods': 'GET', 'router.method': 'POST', 'router.pathx': '/a', 'router.path': '/b', 'router.route': '/b',
    })
    expect(parse('at= tls=false tls_version= status=2').attrs).toEqual({ 'router.at': null, 'router.tls': false, 'router.tls_version': null, 'router.status': 2 })
  })

  it('any order of the keys gives the same fields', () => {
    const pairs = LINE.split(' ')
    const want = parse(LINE)
    fc.assert(fc.property(fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }), (shuffled) => {
      const e = parse(shuffled.join(' '))
      expect(e.attrs).toEqual(want.attrs)
      expect([e.level, e.requestId, e.errorCode]).toEqual([want.level, want.requestId, want.errorCode])
    }), { numRuns: 500 })
  })

  it('bare words between pairs are skipped, and many of them stay cheap', () => {
    expect(parse('at=info ... method=GET x y status=200 tail').attrs).toEqual({ 'router.at': 'info', 'router.method': 'GET', 'router.status': 200 })
    const t0 = performance.now()
    const e = parse(`${'w '.repeat(50_000)}status=503`)
    expect(e.attrs).toEqual({ 'router.status': 503 })
    expect(performance.now() - t0).toBeLessThan(1000)
  })
})
