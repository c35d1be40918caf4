/**
 * Property tests (fast-check): random input never escapes as anything but a QueryError, and user
 * values or field names never change the SQL's shape — only the bound parameters.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileQuery } from '../../src/query/index.js'
import { ctxFor } from './fixture.js'

const TOKENS = [
  'filter', 'where', 'fields', 'only', 'stats', 'sort', 'limit', 'parse', 'unique', 'expand', 'fill', 'by', 'as', 'and', 'or', 'not',
  'in', 'like', 'ilike', 'match', 'between', 'desc', 'asc', 'with', 'from', 'to', 'step', '|', '(', ')', '[', ']', ',', '==', '!=',
  '<>', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '::int', '::str', '@ts', '@preview', 'message', 'router.status', 'user.id',
  'count()', 'percentile(95, router.service)', 'bin(1h)', 'bin()', '"x"', "'y'", '/re/', '5m', '1M', '42', '3.5', 'true', 'null',
  '${p}', '${q:-1}', '`odd name`', '#', '\n', '"', '`', '{', '}', '\\', ';', '$', '[*]', '[0]',
]
const SNIPPETS = ['"', "'", '\\', '`', '{', '}', '{p0:String}', "'; DROP TABLE events; --", 'SELECT', 'UNION ALL', ') OR 1=1 --', '\n', '${x}']
const nasty = fc.array(fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 8 })), { maxLength: 4 }).map((a) => a.join(''))

describe('properties', () => {
  it('random token soup compiles or fails with a located QueryError, never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }), (toks) => {
        const text = toks.join(' ')
        const r = compileQuery(text, ctxFor({ params: { p: 'v' } }))
        if (!r.ok) {
          expect(r.error.code).toMatch(/^[a-z_]+$/)
          expect(r.error.code).not.toBe('internal_error')
          expect(r.error.line).toBeGreaterThanOrEqual(1)
          expect(r.error.column).toBeGreaterThanOrEqual(1)
        } else expect(r.query.sql).toContain('project_id = {p0:String}')
      }),
      { numRuns: 1500 },
    )
  })

  it('random text never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => {
      const r = compileQuery(text, ctxFor())
      if (!r.ok) expect(r.error.code).not.toBe('internal_error')
    }), { numRuns: 1000 })
  })

  const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
  const shapes: readonly ((v: string) => string)[] = [
    (v) => `filter message == "${escape(v)}"`,
    (v) => `filter router.path like "${escape(v)}" | stats count() by router.path`,
    (v) => `filter user.id in ["${escape(v)}", "b"] | fields concat(message, "${escape(v)}") as m`,
    (v) => `filter router.path == \${v} | limit 5`,
  ]
  it('string values never change the SQL, only the parameters', () => {
    for (const shape of shapes) {
      const reference = compileQuery(shape('x'), ctxFor({ params: { v: 'x' } }))
      if (!reference.ok) throw new Error(JSON.stringify(reference.error))
      fc.assert(fc.property(nasty, (v) => {
        const r = compileQuery(shape(v), ctxFor({ params: { v } }))
        if (!r.ok) throw new Error(JSON.stringify(r.error))
        expect(r.query.sql).toBe(reference.query.sql)
        expect(Object.values(r.query.params)).toContain(v)
      }), { numRuns: 200 })
    }
  })

  it('field names never change the SQL, only the parameters', () => {
    const shape = (name: string) => `filter \`${name}\` == "a" | stats count() as n by \`${name}\` as k | sort n desc`
    const reference = compileQuery(shape('x'), ctxFor())
    if (!reference.ok) throw new Error(JSON.stringify(reference.error))
    const names = nasty.filter((n) => n.length > 0 && !n.includes('`') && !/[\u0000-\u001f]/.test(n) && !n.split('.').includes('') && !n.startsWith('@'))
    fc.assert(fc.property(names, (name) => {
      const r = compileQuery(shape(name), ctxFor())
      if (!r.ok) {
        // Only a name that is a declared field (typed, not a parameter) may compile differently.
        expect(r.error.code).toMatch(/^(unknown_field|bad_field)$/)
        return
      }
      if (!Object.values(r.query.params).includes(name)) return // a declared field such as `message`
      expect(r.query.sql).toBe(reference.query.sql)
    }), { numRuns: 300 })
  })
})
