/**
 * The semi-join pushdown (src/query/pushdown.ts) never changes an answer: every query here runs on
 * the embedded ClickHouse with and without it, over requests that have router and app lines, router
 * lines without a request id, null service times and groups that only qualify through one row.
 * The SQL is checked too, so a shape that should be narrowed is, and one where narrowing would be
 * wrong is not.
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileQuery } from '../../src/query/index.js'
import { MIGRATIONS, MIGRATIONS_TABLE } from '../../src/store/migrations.js'
import { rng } from '../helpers/rng.js'
import { ctxFor } from './fixture.js'

// The same rows every run.
const rnd = rng(7)

function rows(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  const base = { project_id: 'p1', environment: 'production', app: 'shop', drain: 'd.1', frame_id: '', retention_days: 65535, size: 100, attrs: {} }
  const at = (i: number) => `2024-05-01 ${String(Math.floor(i / 3600) % 3).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000000`
  const services = Array.from({ length: 600 }, (_, i) => i * 7 + 3).sort(() => rnd() - 0.5) // distinct: no ties
  for (let r = 0; r < 600; r++) {
    const rid = r % 50 === 0 ? null : `req-${r}`
    const service = r % 37 === 0 ? null : services[r]!
    const path = `/items/${r % 9}`
    out.push({ ...base, id: `00000000-0000-4000-8000-${String(out.length).padStart(12, '0')}`, ts: at(r * 13), received_ts: at(r * 13), source: 'heroku', proc: 'router', proc_type: 'router', event_type: 'router', level: 'info', error_code: null, request_id: rid, message: `at=info path="${path}" service=${service}ms`, router_path: path, router_method: r % 3 ? 'GET' : 'POST', router_service: service, router_status: r % 11 ? 200 : 503 })
    for (let a = 0; a < r % 4; a++) {
      out.push({ ...base, id: `00000000-0000-4000-8000-${String(out.length).padStart(12, '0')}`, ts: at(r * 13 + a + 1), received_ts: at(r * 13 + a + 1), source: 'app', proc: 'web.1', proc_type: 'web', event_type: 'app', level: a === 2 ? 'error' : 'info', error_code: null, request_id: rid, message: `line ${a} of ${rid}` })
    }
  }
  return out
}

let db: ClickHouseClient
beforeAll(async () => {
  const path = mkdtempSync(join(tmpdir(), 'sluice-pushdown-'))
  db = createClient({ connection: createChdbConnection({ path }) } as Parameters<typeof createClient>[0])
  await db.command({ query: MIGRATIONS_TABLE })
  for (const m of MIGRATIONS) for (const s of m.statements) await db.command({ query: s })
  await db.insert({ table: 'events', values: [...rows(), ...propRows()], format: 'JSONEachRow' })
})
afterAll(async () => {
  await db.close()
})

function compile(text: string, pushdown: boolean, params: Record<string, unknown> = {}) {
  const r = compileQuery(text, ctxFor({ pushdown, params }))
  if (!r.ok) throw new Error(`compile error: ${JSON.stringify(r.error)}`)
  return r.query
}
async function run(q: ReturnType<typeof compile>) {
  const rs = await db.query({ query: q.sql, query_params: q.params, clickhouse_settings: q.settings as never, format: 'JSONEachRow' })
  return rs.json<Record<string, unknown>>()
}

const SLOW = `filter isNotNull(request_id) and (event_type == "app" or event_type == "router")
| stats max(router.service) as service_ms, max(router.path) as path, count(event_type == "app") as app_lines, count(level == "error") as app_errors, first(if(event_type == "app", message, null)) as first_app_line, last(if(event_type == "app", message, null)) as last_app_line by request_id`

/**
 * [query, how the key set is narrowed: 'top' (sorted keys, limited), 'filter' (keys with a
 * qualifying row), 'percentile' (keys with a row past a percentile bound), 'none'].
 */
const CASES: readonly [string, 'top' | 'filter' | 'percentile' | 'none', Record<string, unknown>?][] = [
  [`${SLOW} | filter service_ms >= 3000 | sort service_ms desc | limit 7`, 'top'],
  [`${SLOW} | filter service_ms >= \${min_ms} | sort service_ms desc | limit 5`, 'top', { min_ms: 2500 }],
  [`${SLOW} | filter service_ms > 4000 | sort service_ms desc`, 'filter'],
  [`${SLOW} | filter 4000 <= service_ms | sort request_id | limit 20`, 'filter'],
  [`${SLOW} | filter service_ms >= 3000 and app_lines >= 2 | sort service_ms desc | limit 7`, 'filter'],
  [`${SLOW} | filter app_lines >= 2 | filter service_ms >= 1000 | sort service_ms desc | limit 7`, 'filter'],
  [`${SLOW} | sort service_ms desc | limit 10 | filter service_ms >= 3000`, 'none'],
  [`${SLOW} | filter service_ms < 100 | sort service_ms | limit 5`, 'none'],
  [`${SLOW} | filter service_ms >= 3000 | fields app_lines + 1 as more | sort service_ms desc | limit 5`, 'filter'],
  [`filter isNotNull(request_id) | stats min(router.service) as fastest, count() as n by request_id | filter fastest <= 200 | sort fastest | limit 6`, 'top'],
  [`filter isNotNull(request_id) | stats min(router.service) as fastest by request_id | filter fastest <= 200 | sort fastest desc | limit 6`, 'filter'],
  // request_id may be NULL here: a NULL key would not match IN, so nothing is pushed.
  [`stats max(router.service) as s, count() as n by request_id | filter s >= 3000 | sort s desc | limit 5`, 'none'],
  // event_type is never NULL: pushed.
  [`stats max(router.service) as s, count() as n by event_type | filter s >= 10 | sort s desc | limit 5`, 'top'],
  [`filter isNotNull(request_id) | stats max(router.service) as s by request_id, proc | filter s >= 4000 | sort s desc | limit 4`, 'top'],
  [`filter isNotNull(request_id) | stats max(router.service) as s by bin(10m) as t, request_id | filter s >= 4000 | sort s desc | limit 4`, 'none'],
  [`filter isNotNull(request_id) | limit 100 | stats max(router.service) as s by request_id | filter s >= 1000`, 'none'],
  // Percentile top n: 9 paths; 600 request ids, 1 router row each (most groups have one value,
  // some only app rows: a NULL percentile, sorted last), ascending and descending.
  [`stats percentile(95, router.service) as p95, count() by router.path | sort p95 desc | limit 5`, 'percentile'],
  [`filter isNotNull(request_id) | stats percentile(95, router.service) as p, count() as n by request_id | sort p desc | limit 7`, 'percentile'],
  [`filter isNotNull(request_id) | stats percentile(90, router.service) as p, count(event_type == "app") as app_lines by request_id | sort p | limit 7`, 'percentile'],
  [`stats percentile(50, router.service) as p50, percentile(95, router.service) as p95, percentile(99, router.service) as p99 by router.path | sort p99 desc | limit 3`, 'percentile'],
  [`filter event_type == "router" | stats percentile(99, router.service) as p by router.path, router.method | sort p desc | limit 4`, 'percentile'],
  // More groups asked for than there are: no bound (NULL), every group kept.
  [`stats percentile(95, router.service) as p by router.path | sort p desc | limit 50`, 'percentile'],
  // Few-valued keys (LowCardinality columns, expressions): the extra scans would cost more than the groups saved.
  [`stats percentile(95, router.service) as p by proc | sort p desc | limit 2`, 'none'],
  [`stats percentile(95, router.service) as p by router.method | sort p desc | limit 2`, 'none'],
  // A filter between stats and sort changes which groups rank: not rewritten.
  [`stats percentile(95, router.service) as p95, count() as n by router.path | filter n > 60 | sort p95 desc | limit 5`, 'none'],
  [`filter isNotNull(request_id) | stats percentile(95, router.service) as p by request_id | sort request_id | limit 7`, 'none'],
  // request_id may be NULL: the NULL group (router lines without an id, and every app line of
  // them) is kept whole, and ranks by its own percentile.
  [`stats percentile(95, router.service) as p by request_id | sort p desc | limit 7`, 'percentile'],
  [`stats percentile(5, router.service) as p by request_id | sort p | limit 3`, 'percentile'],
]

describe('semi-join pushdown gives the same answers', () => {
  for (const [text, how, params] of CASES) {
    it(`${how}: ${text.replace(/\s+/g, ' ').replace(SLOW.replace(/\s+/g, ' '), 'SLOW')}`, async () => {
      const on = compile(text, true, params)
      const off = compile(text, false, params)
      expect(off.sql).not.toContain('IN (SELECT')
      if (how === 'none') expect(on.sql).toBe(off.sql)
      else expect(on.sql).toContain('IN (SELECT')
      expect(on.sql.includes('LIMIT 1 BY')).toBe(how === 'top')
      expect(on.sql.includes('IS NULL OR')).toBe(how === 'percentile')
      const [a, b] = [await run(on), await run(off)]
      expect(b.length).toBeGreaterThan(0)
      expect(a).toEqual(b)
    })
  }
})

/**
 * The percentile top n drops a candidate key when too few of its rows are at or above the bound
 * for its percentile to get there (a popular path with one slow request). Random groups with
 * many ties and values on both sides of the bound, each at most 8,192 rows (beyond that
 * `quantile` samples, so two runs need not agree): the top n with the rewrite must be a top n
 * of the plain query's groups, with the same values. The cases are drawn up front (fast-check,
 * fixed seed) and inserted with the other rows: compiled queries set `readonly`, which stays on
 * the embedded session.
 */
const PROP_CASES = fc.sample(
  fc.record({
    groups: fc.array(fc.record({ fast: fc.integer({ min: 0, max: 300 }), slow: fc.integer({ min: 0, max: 40 }), nulls: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 12 }),
    // Router rows without a path: the NULL key's group (kept whole, read only when it can rank).
    nullPath: fc.option(fc.record({ fast: fc.integer({ min: 0, max: 100 }), slow: fc.integer({ min: 0, max: 20 }), nulls: fc.integer({ min: 0, max: 3 }) })),
    level: fc.constantFrom(50, 90, 95, 99),
    n: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
  }),
  { numRuns: 60, seed: 20261121 },
)

function propRows(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  PROP_CASES.forEach((c, k) => {
    const r = rng(c.seed)
    const base = { project_id: `prop${k}`, environment: 'production', app: 'shop', drain: 'd.1', frame_id: '', retention_days: 65535, size: 100, attrs: {}, source: 'heroku', proc: 'router', proc_type: 'router', event_type: 'router', message: '' }
    const groups = c.nullPath ? [...c.groups, c.nullPath] : c.groups
    groups.forEach((g, i) => {
      // Fast values 1–5 and slow ones 1000–1003: ties on both sides of any bound.
      const vs = [
        ...Array.from({ length: g.fast }, () => 1 + Math.floor(r() * 5)),
        ...Array.from({ length: g.slow }, () => 1000 + Math.floor(r() * 4)),
        ...Array.from({ length: g.nulls }, () => null),
      ]
      for (const v of vs) {
        const t = `2024-05-01 01:${String(out.length % 60).padStart(2, '0')}:00.000000`
        out.push({ ...base, id: `00000000-0000-4000-9000-${String(out.length).padStart(12, '0')}`, ts: t, received_ts: t, router_path: i < c.groups.length ? `/p/${i}` : null, router_service: v })
      }
    })
  })
  return out
}

describe('percentile top n keeps every group that can rank', () => {
  PROP_CASES.forEach((c, k) => {
    const text = `stats percentile(${c.level}, router.service) as p, count() as c by router.path | sort p desc | limit ${c.n}`
    it(`case ${k}: ${c.groups.length} groups${c.nullPath ? ' and a NULL path' : ''}, ${text}`, async () => {
      const ctx = (pushdown: boolean) => ctxFor({ pushdown, projectId: `prop${k}` })
      const on = compileQuery(text, ctx(true))
      const off = compileQuery(text, ctx(false))
      const all = compileQuery(`stats percentile(${c.level}, router.service) as p, count() as c by router.path`, ctx(false))
      if (!on.ok || !off.ok || !all.ok) throw new Error('compile error')
      expect(on.query.sql).toContain('IS NULL OR')
      const [a, b, every] = [await run(on.query), await run(off.query), await run(all.query)]
      expect(a.map((x) => x.p)).toEqual(b.map((x) => x.p))
      const real = new Set(every.map((x) => JSON.stringify([x['router.path'], x.p, x.c])))
      for (const x of a) expect(real.has(JSON.stringify([x['router.path'], x.p, x.c]))).toBe(true)
    })
  })
})
