/**
 * A grammar of random query pipelines for the engine fuzz tests: every stage, fields of every kind
 * (typed router columns, dynamic app fields, arrays, missing ones), scalar functions, operators,
 * casts, aggregates and literals. Many generated queries do not compile; the tests check those
 * fail with a located error and that the rest run.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { fixtureBlocks } from '../ingest/harness.js'

const FIELDS = ['router.status', 'router.service', 'router.path', 'router.method', 'message', '@ts', 'user.id', 'duration', 'error_code', 'proc', 'event_type', 'tags', 'dyno.memory_mb', 'api.release', 'level', 'request_id', '@size', 'amount', 'missing.field']
const LIT = ['1', '0', '-1', '2.5', '1e300', '20000000000000000000', '"x"', '"2024-05-01T01:00:00Z"', 'true', 'null', '5m', '1h', '""', '"%a%"', '[1, 2]', '["a"]', '/a.*/']
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
/** One random pipeline of 1–4 stages. */
export const query = fc.array(stage, { minLength: 1, maxLength: 4 }).map((s) => s.join(' | '))


/**
 * Data for the fuzz tests that run over ingested events: the real Logplex bodies of
 * test/fixtures/logplex-bodies.txt with every timestamp moved to `atMs` (retention would expire
 * the fixture's dates), and NDJSON custom events whose fields change type from row to row (a
 * number, a string, an array, an object, null, a number past 2^64).
 */
export function ingestedData(atMs: number): { bodies: string[]; events: string } {
  const text = readFileSync(new URL('../fixtures/logplex-bodies.txt', import.meta.url), 'utf8')
  const when = new Date(atMs).toISOString()
  const bodies = fixtureBlocks(text).map((b) => b.body.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, when))
  const events = [
    { duration: 12, tags: ['a', 'b'], user: { id: 42 }, amount: '7', level: 'warn' },
    { duration: '80ms', tags: 'x', user: { id: 'abc' }, amount: 3.5 },
    { duration: null, tags: [1, 2], user: 'flat', amount: true, 'odd key': 1 },
    { duration: [1], tags: { a: 1 }, amount: -9e18, big: 18446744073709551615 },
  ].map((e, k) => JSON.stringify({ ...e, ts: atMs + 30_000 + k })).join('\n')
  return { bodies, events }
}
