/**
 * Every function and aggregate, compiled and RUN on the embedded ClickHouse over the fixture
 * (test/query/fixture.ts). Scalar functions are evaluated on the one `api` event
 * (2024-05-01T02:30:00Z, api.release 42); aggregates over the six router events
 * (services 20, 40, 30000, 120, 2, 30001). Title = the query.
 */
import type { ClickHouseClient } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileQuery } from '../../src/query/index.js'
import { ctxFor, openStore, run } from './fixture.js'

let db: ClickHouseClient
beforeAll(async () => {
  db = await openStore()
})
afterAll(async () => {
  await db.close()
})

const FUNCTIONS: readonly [string, unknown][] = [
  ['isNull(router.status)', true],
  ['isNotNull(api.release)', true],
  ['if(api.release > 40, "new", "old")', 'new'],
  ['cond(api.release > 100, "a", api.release > 40, "b", "c")', 'b'],
  ['either(router.code, api.user)', 'dev@example.com'],
  ['coalesce(router.code, router.path, "none")', 'none'],
  ['any(api.release > 100, api.release == 42)', true],
  ['all(api.release > 100, api.release == 42)', false],
  ['abs(-api.release)', 42],
  ['pow(api.release, 2)', 1764],
  ['log(1)', 0],
  ['log2(8)', 3],
  ['log10(1000)', 3],
  ['exp(0)', 1],
  ['round(2.567, 2)', 2.57],
  ['round(3.7)', 4],
  ['floor(3.7)', 3],
  ['ceil(3.2)', 4],
  ['trim("  x  ")', 'x'],
  ['concat("v", api.release)', 'v42'],
  ['lowercase("AbC")', 'abc'],
  ['uppercase("AbC")', 'ABC'],
  ['substring("abcdef", 2, 3)', 'bcd'],
  ['length("héllo")', 5],
  ['replace("a-b-c", "-", "+")', 'a+b+c'],
  ['replaceFirst("a-b-c", "-", "+")', 'a+b-c'],
  ['startsWith(api.user, "dev@")', true],
  ['toHumanString(1234567)', '1.23 million'],
  ['now() > @ts', true],
  ['toTimezone(@ts, "Asia/Tokyo")', '2024-05-01 11:30:00.000000'],
  ['toYear(@ts)', 2024],
  ['toHour(@ts)', 2],
  ['toDay(@ts)', 1],
  ['toDayOfWeek(@ts)', 3],
  ['formatDate(@ts, "%Y/%m/%d %H:%i")', '2024/05/01 02:30'],
  ['bin(@ts, 1h)', '2024-05-01 02:00:00'],
  ['bin(api.release, 10)', 40],
  ['toStartOf(@ts, 1d)', '2024-05-01 00:00:00'],
  ['toEndOf(@ts, 1h)', '2024-05-01 02:59:59.999999'],
  ['toUnix(@ts)', 1714530600],
  ['@ts - 1d < "2024-04-30T03:00:00Z"', true],
  ['toInt("42")', 42],
  ['toFloat("2.5")', 2.5],
  ['toString(api.release)', '42'],
  ['toDateTime("2024-05-03T10:00:00Z") > @ts', true],
  ['toDate(@ts) == toStartOf(@ts, 1d)', true],
  ['urlParameter("https://x.io/a/b?page=2&q=1", "page")', '2'],
  ['urlPath("https://x.io/a/b?page=2")', '/a/b'],
  ['urlDomain("https://x.io/a/b")', 'x.io'],
  ['json("{\\"user\\":{\\"id\\":7}}", "user.id")', '7'],
  ['json("{\\"a\\":{\\"user-id\\":\\"x\\",\\"list\\":[5,6]}}", "a.user-id")', 'x'],
  ['json("{\\"a\\":{\\"user-id\\":\\"x\\",\\"list\\":[5,6]}}", "a.list[1]")', '6'],
  ['json("{\\"Europe/Paris\\":1}", "Europe/Paris")', '1'],
  ['json("{\\"a\\":[{\\"b\\":2}]}", "$.a[0].b")', '2'],
  // Mixed value types share one: a number and a string → strings; an int and a float → floats.
  ['cond(api.release > 100, 1, api.release > 40, "b", 2.5)', 'b'],
  // Values the engine would otherwise fail the whole query on.
  ['api.release % 0', null],
  ['api.release % 5', 2],
  ['substring("abcdef", 0, 2)', 'ab'],
  ['20000000000000000000 > api.release', true],
  ['1e300 / 1e299', 10],
  ['either(router.status, api.release::float)', 42],
  ['api.release::float / 8', 5.25],
  ['api.user::str', 'dev@example.com'],
  ['"42"::int + 1', 43],
  ['"true"::bool', true],
]

describe('functions run on ClickHouse', () => {
  for (const [expr, value] of FUNCTIONS) {
    const q = `filter event_type == "api" | only ${expr} as v`
    it(q, async () => expect(await run(db, q)).toEqual([{ v: value }]))
  }
})

const AGGREGATES: readonly [string, unknown][] = [
  ['count()', 6],
  ['count(*)', 6],
  ['count(router.code)', 2],
  ['count(router.status >= 500)', 3],
  ['sum(router.service)', 60183],
  ['avg(router.status)', 351],
  ['min(router.service)', 2],
  ['max(router.service)', 30001],
  ['unique(router.path)', 4],
  ['count_distinct(router.path)', 4],
  ['percentile(50, router.service)', 80],
  ['pct(router.service, 50)', 80],
  ['first(router.path)', '/api/users'],
  ['last(router.path)', '/api/orders'],
  ['apdex(router.service, 100)', 3.5 / 6],
  ['top(1, router.path)', ['/api/orders']],
  ['top(2, router.dyno, sum(router.service))', ['web.2', 'web.1']],
  ['sum(router.service) / count()', 60183 / 6],
]

describe('aggregates run on ClickHouse', () => {
  for (const [agg, value] of AGGREGATES) {
    const q = `filter event_type == "router" | stats ${agg} as v`
    it(q, async () => expect(await run(db, q)).toEqual([{ v: value }]))
  }
})

// `ilike` with an ASCII pattern compiles to like(lower(x), lower(p)); it must agree with the
// engine's own ilike on every haystack, including characters that fold in Unicode (Kelvin sign,
// long s, dotted I, Ä), `_` over multi-byte characters and escapes.
const HAYSTACKS = ['x\u212Ay', 'ſ', 'İstanbul', 'ÄBC', 'ABC_é', 'Ab\nC', 'GET /Users', 'get', 'K', 'ECONNRESET by peer', 'a%b', 'aé_b']
const PATTERNS = ['%k%', '%s%', '%istanbul%', '%abc%', 'ab_c', '%get%', 'k', '%econnreset%', 'a\\%b', 'a__b', '%USERS', '']
describe('ilike with an ASCII pattern agrees with ClickHouse ilike', () => {
  it(`${HAYSTACKS.length} haystacks × ${PATTERNS.length} patterns`, async () => {
    const rows: { h: string; p: string; engine: number; ours: boolean }[] = []
    for (const p of PATTERNS) {
      const r = compileQuery(`filter event_type == "api" | only message ilike \${p} as m`, ctxFor({ params: { p } }))
      if (!r.ok) throw new Error(JSON.stringify(r.error))
      expect(r.query.sql).toContain('like(lower(')
      // The compiled predicate on each haystack, next to the engine's ilike.
      const predicate = /AS `m`/.test(r.query.sql) ? r.query.sql.split('SELECT ')[1]!.split(' AS `m`')[0]! : ''
      for (const h of HAYSTACKS) {
        const sql = `SELECT toUInt8(ilike({h:String}, {pp:String})) AS engine, toBool(${predicate.replaceAll('message', '{h:String}')}) AS ours`
        const rs = await db.query({ query: sql, query_params: { ...r.query.params, h, pp: p }, format: 'JSONEachRow' })
        const [row] = await rs.json<{ engine: number; ours: boolean }>()
        rows.push({ h, p, engine: row!.engine, ours: row!.ours })
      }
    }
    expect(rows.filter((r) => Boolean(r.engine) !== r.ours)).toEqual([])
    expect(rows.filter((r) => r.ours).length).toBeGreaterThan(10)
  })
  it('a non-ASCII pattern keeps the engine ilike', async () => {
    const r = compileQuery('filter message ilike "%äbc%" | stats count() as n', ctxFor())
    expect(r.ok && r.query.sql).toContain('ilike(message')
  })
})
