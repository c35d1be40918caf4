/**
 * Every query that compiles runs: random pipelines (filters, fields, stats with every aggregate,
 * sort, limit, only, unique, parse, expand) over fields of every kind (typed router columns,
 * dynamic app fields, arrays, missing ones) with the scalar functions, operators and casts,
 * compiled and run on the embedded engine over the fixture. A query the compiler accepts but the
 * engine refuses is a 500 for the user; a query it rejects must be a located compile error. Found
 * before the fix: `sort coalesce(duration, 0)` and mixed `cond()` values (a Variant sort key),
 * `sort … | expand …`, `expand x[*]` over a non-array, `urlparameter(x, field)`, `[1, 2]::int`,
 * `json(x, "Europe/Paris")` (not a JSONPath).
 */
import type { ClickHouseClient } from '@clickhouse/client'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileQuery } from '../../src/query/index.js'
import { ctxFor, openStore } from './fixture.js'

let db: ClickHouseClient
beforeAll(async () => { db = await openStore() })
afterAll(async () => { await db.close() })

const FIELDS = ['router.status', 'router.service', 'router.path', 'router.method', 'message', '@ts', 'user.id', 'duration', 'error_code', 'proc', 'event_type', 'tags', 'dyno.memory_mb', 'api.release', 'level', 'request_id', '@size', 'amount', 'missing.field']
const LIT = ['1', '0', '-1', '2.5', '"x"', '"2024-05-01T01:00:00Z"', 'true', 'null', '5m', '1h', '""', '"%a%"', '[1, 2]', '["a"]', '/a.*/']
const FN1 = ['isnull', 'isnotnull', 'abs', 'log', 'exp', 'floor', 'ceil', 'round', 'trim', 'lowercase', 'uppercase', 'length', 'toint', 'tofloat', 'tostring', 'urlpath', 'urldomain', 'tohumanstring', 'toyear', 'tomonth', 'today', 'tohour', 'tominute', 'todayofweek', 'tounix', 'todate', 'todatetime', 'json']
const FN2 = ['if', 'cond', 'replacefirst', 'top', 'pow', 'startswith', 'concat', 'coalesce', 'either', 'urlparameter', 'replace', 'substring', 'formatdate', 'tostartof', 'toendof', 'totimezone', 'any', 'all']
const AGG = ['count()', 'count(X)', 'sum(X)', 'avg(X)', 'min(X)', 'max(X)', 'count_distinct(X)', 'percentile(X, 95)', 'pct(X, 50)', 'first(X)', 'last(X)', 'apdex(X, 100)', 'top(X, 3)']
const OPS = ['==', '!=', '<>', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', 'and', 'or', 'like', 'ilike', 'match', 'in', 'not in', 'not like', 'not match']
const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...FIELDS), fc.constantFrom(...LIT),
    fc.tuple(fc.constantFrom(...FN1), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom(...FN2), tie('e'), tie('e')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(tie('e'), fc.constantFrom(...OPS), tie('e')).map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(tie('e'), fc.constantFrom('::int', '::str', '::float', '::bool')).map(([a, c]) => `(${a})${c}`),
    fc.tuple(fc.constantFrom('not '), tie('e')).map(([n, a]) => `${n}(${a})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `${a} between ${b} and ${c}`),
    fc.tuple(fc.constantFrom('if', 'substring', 'cond', 'json'), tie('e'), tie('e'), tie('e')).map(([f, a, b, c]) => `${f}(${a}, ${b}, ${c})`),
    fc.tuple(fc.constantFrom('formatdate', 'tostartof', 'toendof', 'json', 'totimezone'), fc.constantFrom('@ts', 'message', 'duration'), fc.constantFrom('"%Y-%m-%d"', '1h', '"day"', '"Europe/Paris"', '"a.b"', '"$.x"')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.constantFrom('now()', 'bin(1h)', '${p}', '${q:-3}', '@id', '@size', '@received_ts', '@preview', 'router.request_id', 'user', 'count', '`odd name`'),
    tie('e').map((a) => `(${a})`),
  ),
})).e
const agg = fc.tuple(fc.constantFrom(...AGG), expr).map(([a, x]) => a.replace('X', x))
const stage = fc.oneof(
  expr.map((e) => `filter ${e}`),
  fc.array(expr, { minLength: 1, maxLength: 3 }).map((es) => `fields ${es.map((e, i) => `${e} as f${i}`).join(', ')}`),
  fc.tuple(fc.array(agg, { minLength: 1, maxLength: 2 }), fc.array(fc.oneof(expr, fc.constantFrom('bin(1h)', 'bin(5m)', 'bin()')), { maxLength: 2 })).map(([as, bs]) => `stats ${as.map((a, i) => `${a} as a${i}`).join(', ')}${bs.length ? ` by ${bs.join(', ')}` : ''}`),
  fc.tuple(expr, fc.constantFrom('', ' desc', ' asc')).map(([e, d]) => `sort ${e}${d}`),
  fc.integer({ min: 0, max: 20 }).map((n) => `limit ${n}`),
  fc.constantFrom(...FIELDS).map((f) => `only ${f}`),
  fc.constantFrom(...FIELDS).map((f) => `unique ${f}`),
  fc.constantFrom(...FIELDS).map((f) => `parse ${f} /(?<p>[a-z]+)/`),
  fc.constantFrom(...FIELDS).map((f) => `expand ${f}[*] as x`),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom(...FIELDS)).map(([n, f]) => `limit ${n} by ${f}`),
  fc.constantFrom('fill t', 'fill t with a0 = 0', 'fill bin(1h)'),
  fc.tuple(fc.constantFrom(...AGG), expr).map(([a, x]) => `stats ${a.replace('X', x)} as a0 by bin(30m) as t`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('/(?<p>[0-9]+)/', '"* *" as a, b', '/x/', '"*=*" as k, v')).map(([f, r]) => `parse ${f} ${r}`),
)
const query = fc.array(stage, { minLength: 1, maxLength: 4 }).map((s) => s.join(' | '))

describe('compiled queries run', () => {
  it('every random query that compiles runs on the engine; the rest fail with a located error', async () => {
    let compiled = 0
    await fc.assert(fc.asyncProperty(query, async (q) => {
      const r = compileQuery(q, ctxFor({ params: { p: 'v' } }))
      if (!r.ok) {
        expect(r.error.code, q).not.toBe('internal_error')
        expect(r.error.line, q).toBeGreaterThanOrEqual(1)
        return
      }
      compiled++
      const rs = await db.query({ query: r.query.sql, query_params: r.query.params, clickhouse_settings: r.query.settings as never, format: 'JSONEachRow' })
        .catch((e: unknown) => { throw new Error(`${q}\n→ ${String((e as Error).message).split('\n')[0]}`) })
      await rs.json()
    }), { numRuns: 1500, seed: Number(process.env.FUZZ_SEED ?? 20261203) })
    // The generator reaches the engine often enough to mean something.
    expect(compiled).toBeGreaterThan(300)
  }, 120_000)
})
