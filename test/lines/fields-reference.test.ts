/**
 * The parsers against the field reference (src/model/fields.ts): every attr a parser emits for a
 * declared field has the declared type, and the field's `kinds` include the kind that emitted it.
 * Run over every corpus line, every fixture body and a spread of generated lines.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyAndParse, parseHerokuLogsLine } from '../../src/lines/index.js'
import { parseLogplexBody } from '../../src/logplex/index.js'
import { FIELDS_BY_NAME, type FieldType, type ParsedEvent } from '../../src/model/index.js'

const ISO_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/

function hasType(v: unknown, t: FieldType): boolean {
  switch (t) {
    case 'string': case 'uuid': return typeof v === 'string'
    case 'int': return Number.isInteger(v)
    case 'float': return typeof v === 'number' && Number.isFinite(v)
    case 'bool': return typeof v === 'boolean'
    case 'datetime': return typeof v === 'string' && ISO_MICROS.test(v)
  }
}

/** Namespaces only the platform parsers write: an undeclared key there is a parser bug. */
const CLOSED = ['dyno.', 'api.', 'logplex.']

function check(e: ParsedEvent): void {
  for (const [k, v] of Object.entries(e.attrs)) {
    const f = FIELDS_BY_NAME.get(k)
    if (f === undefined) {
      expect(CLOSED.some((p) => k.startsWith(p)), `undeclared ${k} from ${e.eventType}`).toBe(false)
      continue
    }
    expect(f.kinds === 'all' || f.kinds.includes(e.eventType), `${k} from ${e.eventType}`).toBe(true)
    if (v !== null) expect(hasType(v, f.type), `${k}=${JSON.stringify(v)} is not ${f.type}`).toBe(true)
  }
}

describe('parsers emit declared fields with declared types and kinds', () => {
  it('every line of heroku-lines.txt', () => {
    const lines = readFileSync(new URL('../fixtures/heroku-lines.txt', import.meta.url), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'))
    for (const l of lines) check(parseHerokuLogsLine(l, { year: 2020, fallbackMicros: 0 }))
  })

  it('every frame of logplex-bodies.txt', () => {
    const frames = readFileSync(new URL('../fixtures/logplex-bodies.txt', import.meta.url), 'utf8').split('\n').filter((l) => /^\d+ </.test(l))
    for (const f of frames) {
      const msg = f.slice(f.indexOf(' ') + 1)
      parseLogplexBody(Buffer.from(`${Buffer.byteLength(msg)} ${msg}`)).events.forEach(check)
    }
  })

  it('generated router, dyno, api, metrics and notice lines', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9._\-/]{0,12}$/)
    const routerLine = fc.tuple(fc.constantFrom('info', 'error', 'warning', ''), fc.constantFrom('', 'H12', 'H27'), word, fc.constantFrom('', '0', '12ms', '1.5ms', 'x'), fc.constantFrom('', '200', '503'), fc.constantFrom('true', 'false', ''))
      .map(([at, code, path, ms, status, tls]) => `at=${at} code=${code} method=GET path="${path}" connect=${ms} service=${ms} status=${status} bytes=${ms} tls=${tls} tls_version=${path} sock=client cause="x" agent="a b"`)
    // Metrics keys a kind really sends (its declared sample.* fields, spelled with dashes as Postgres
    // and Redis do) plus one undeclared key.
    const KINDS = { 'web.1': 'runtime_metrics', 'heroku-postgres': 'postgres_metrics', 'heroku-redis': 'redis_metrics', 'heroku-pgbouncer': 'pgbouncer_metrics' } as const
    for (const [proc, kind] of Object.entries(KINDS)) {
      const keys = [...FIELDS_BY_NAME.values()].filter((f) => f.name.startsWith('sample.') && f.kinds !== 'all' && f.kinds.includes(kind)).map((f) => f.name.slice(7).replace(/_/g, proc === 'web.1' ? '_' : '-'))
      const sample = fc.tuple(fc.constantFrom(...keys, 'new-metric'), fc.constantFrom('1', '2.5MB', '3kB', '0.1', '7pages', 'NaN', ''))
      const line = fc.array(sample, { minLength: 1, maxLength: 6 }).map((xs) => `source=${proc} addon=a-1 dyno=heroku.1.x ${xs.map(([k, v]) => `sample#${k}=${v}`).join(' ')}`)
      fc.assert(fc.property(line, (m) => {
        const e = classifyAndParse(proc === 'web.1' ? 'heroku' : 'app', proc, m, 0, m.length)
        expect(e.eventType).toBe(kind)
        check(e)
      }), { numRuns: 200 })
    }
    fc.assert(fc.property(routerLine, (m) => check(classifyAndParse('heroku', 'router', m, 0, m.length))), { numRuns: 500 })
    fc.assert(fc.property(fc.string({ maxLength: 80 }), fc.constantFrom('api', 'web.1', 'logplex', 'router'), (m, proc) => {
      check(classifyAndParse('heroku', proc, m, 0, m.length))
      check(classifyAndParse('app', proc, m, 0, m.length))
    }), { numRuns: 1000 })
  })
})
