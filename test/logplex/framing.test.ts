/** RFC 6587 octet counting over bytes: table cases, then properties with fast-check. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { frameOctets, type FramePiece } from '../../src/logplex/index.js'

/** Pieces as readable tuples: ['frame', text] or [issue code, raw text]. */
const show = (body: Buffer, pieces: readonly FramePiece[]): [string, string][] =>
  pieces.map((p) => (p.kind === 'frame' ? ['frame', body.toString('utf8', p.start, p.end)] : [p.issue.code, p.issue.raw.toString('utf8')]))

// "<1>1 a" is 6 bytes; with its LF, 7.
const CASES: readonly (readonly [string, string, readonly [string, string][]])[] = [
  ['two frames with trailing LF counted', '7 <1>1 a\n7 <1>1 b\n', [['frame', '<1>1 a'], ['frame', '<1>1 b']]],
  ['glued frames, no LF (Logplex L10 + next frame)', '6 <1>1 a7 <1>1 b\n', [['frame', '<1>1 a'], ['frame', '<1>1 b']]],
  ['only one trailing LF stripped', '8 <1>1 a\n\n', [['frame', '<1>1 a\n']]],
  ['a frame that is not followed by its LF keeps its last byte', '6 <1>1 a\n7 <1>1 b\n', [['frame', '<1>1 a'], ['frame', '<1>1 b']]],
  ['CRLF and blank lines between frames are not data', '6 <1>1 a\r\n\n6 <1>1 b', [['frame', '<1>1 a'], ['frame', '<1>1 b']]],
  ['multi-byte UTF-8 counted in bytes', '10 <1>1 µé!\n', [['frame', '<1>1 µé!']]],
  ['garbage before the first frame', 'hello 6 <1>1 a', [['garbage', 'hello '], ['frame', '<1>1 a']]],
  ['garbage only', 'no frames here', [['garbage', 'no frames here']]],
  ['truncated tail', '6 <1>1 a40 <1>1 cut', [['frame', '<1>1 a'], ['truncated', '40 <1>1 cut']]],
  ['count too short, resynced at the next frame', '3 <1>1 abc\n6 <1>1 d', [['bad_length', '3 <1>1 abc\n'], ['frame', '<1>1 d']]],
  ['count too long, resynced at the next frame', '30 <1>1 abc\n6 <1>1 d', [['bad_length', '30 <1>1 abc\n'], ['frame', '<1>1 d']]],
  ['count landing on digits by chance is caught by the look-ahead', '9 <1>1 x 74 tail\n6 <1>1 d', [['bad_length', '9 <1>1 x 74 tail\n'], ['frame', '<1>1 d']]],
  ['zero length', '0 <1>1 x', [['bad_length', '0 <1>1 x']]],
  ['length prefix without a space', '12<1>1 abc', [['garbage', '12<1>1 abc']]],
  ['11-digit length', '12345678901 x', [['garbage', '12345678901 x']]],
  ['empty body', '', []],
]

describe('frameOctets', () => {
  for (const [title, body, want] of CASES) {
    it(`${title}: ${JSON.stringify(body)}`, () => {
      const b = Buffer.from(body)
      expect(show(b, frameOctets(b))).toEqual(want)
    })
  }

  it('issue offsets point at the raw bytes in the body', () => {
    const b = Buffer.from('6 <1>1 a3 <1>1 abc\n6 <1>1 d')
    for (const p of frameOctets(b)) {
      if (p.kind === 'issue') expect(b.subarray(p.issue.offset, p.issue.offset + p.issue.raw.length).equals(p.issue.raw)).toBe(true)
    }
  })
})

/** `<len> SP <bytes>` for each message: RFC 6587 §3.4.1 framing. */
const frame = (xs: readonly Uint8Array[]): Buffer =>
  Buffer.concat(xs.flatMap((x) => [Buffer.from(`${x.length} `), Buffer.from(x)]))

describe('frameOctets properties', () => {
  it('arbitrary bytes never throw, and frames + issues never overlap or leave the body', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      const b = Buffer.from(bytes)
      let last = 0
      for (const p of frameOctets(b)) {
        const from = p.kind === 'frame' ? p.offset : p.issue.offset
        const to = p.kind === 'frame' ? p.rawEnd : p.issue.offset + p.issue.raw.length
        expect(from).toBeGreaterThanOrEqual(last)
        expect(to).toBeLessThanOrEqual(b.length)
        expect(to).toBeGreaterThan(from)
        last = to
      }
    }), { numRuns: 2000 })
  })

  it('arbitrary bytes: every byte that is not inter-frame whitespace is in a frame or an issue', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const b = Buffer.from(bytes)
      const covered = new Uint8Array(b.length)
      for (const p of frameOctets(b)) {
        const from = p.kind === 'frame' ? p.offset : p.issue.offset
        const to = p.kind === 'frame' ? p.rawEnd : p.issue.offset + p.issue.raw.length
        covered.fill(1, from, to)
      }
      b.forEach((c, i) => { if (!covered[i]) expect([9, 10, 13, 32]).toContain(c) })
    }), { numRuns: 2000 })
  })

  it('framing(frame(xs)) == xs for arbitrary non-empty byte messages', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { maxLength: 20 }), (xs) => {
      const b = frame(xs)
      const pieces = frameOctets(b)
      expect(pieces.every((p) => p.kind === 'frame')).toBe(true)
      expect(pieces.map((p) => (p.kind === 'frame' ? [...b.subarray(p.start, p.rawEnd)] : []))).toEqual(xs.map((x) => [...x]))
    }), { numRuns: 1000 })
  })
})
