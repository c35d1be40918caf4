/**
 * Every stage and operator, compiled and RUN on the embedded ClickHouse over the fixture dataset
 * (test/query/fixture.ts); the assertions are on the rows. Title = the query.
 */
import type { ClickHouseClient } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, run } from './fixture.js'

let db: ClickHouseClient
beforeAll(async () => {
  db = await openStore()
})
afterAll(async () => {
  await db.close()
})

const STAGES: readonly [string, readonly Record<string, unknown>[]][] = [
  ['filter router.status >= 500 | only router.path, router.status', [{ 'router.path': '/api/orders', 'router.status': 503 }, { 'router.path': '/api/orders', 'router.status': 500 }, { 'router.path': '/api/orders', 'router.status': 503 }]],
  ['where error_code == "R14" | only proc', [{ proc: 'web.2' }, { proc: 'web.1' }]],
  ['filter event_type == "api" | fields api.release, api.user', [{ 'api.release': 42, 'api.user': 'dev@example.com' }]],
  ['filter event_type == "api" | fields api.user | only api.release', [{ 'api.release': 42 }]],
  ['filter event_type == "router" | stats count() as n by router.method', [{ 'router.method': 'GET', n: 4 }, { 'router.method': 'POST', n: 2 }]],
  ['filter event_type == "router" | sort router.service | only router.service | limit 3', [{ 'router.service': 2 }, { 'router.service': 20 }, { 'router.service': 40 }]],
  ['limit 2 | only event_type', [{ event_type: 'api' }, { event_type: 'runtime_metrics' }]],
  ['filter event_type == "router" | limit 1 by router.method | only router.method, router.path', [{ 'router.method': 'POST', 'router.path': '/api/orders' }, { 'router.method': 'GET', 'router.path': '/health' }]],
  ['filter event_type == "app" | parse message /in (?<ms>[0-9]+)ms/ | only ms', [{ ms: '80' }, { ms: '25' }]],
  ['filter event_type == "api" | parse message /user=(?<u>\\w+)/ | only u', [{ u: null }]],
  ['filter event_type == "router" | unique router.method | only router.method', [{ 'router.method': 'POST' }, { 'router.method': 'GET' }]],
  ['expand tags[*] as tag | stats count() as n by tag', [{ tag: 'a', n: 1 }, { tag: 'b', n: 2 }]],
  ['filter error_code == "R14" | stats count() as n by bin(30m) as t | fill t', [
    { t: '2024-05-01 00:00:00', n: 0, '@fill': true }, { t: '2024-05-01 00:30:00', n: 0, '@fill': true }, { t: '2024-05-01 01:00:00', n: 0, '@fill': true },
    { t: '2024-05-01 01:30:00', n: 1, '@fill': false }, { t: '2024-05-01 02:00:00', n: 1, '@fill': false }, { t: '2024-05-01 02:30:00', n: 0, '@fill': true }]],
  ['filter error_code == "R14" | stats count() as n by bin(1h) as t | fill t with n = 99', [
    { t: '2024-05-01 00:00:00', n: 99, '@fill': true }, { t: '2024-05-01 01:00:00', n: 1, '@fill': false }, { t: '2024-05-01 02:00:00', n: 1, '@fill': false }]],
  ['stats count() as n by event_type | filter n >= 2 | only event_type, n', [{ event_type: 'app', n: 2 }, { event_type: 'dyno', n: 2 }, { event_type: 'router', n: 6 }]],
  ['limit 3 | stats count() as n', [{ n: 3 }]],
  ['filter event_type == "dyno" | only proc, dyno.memory_mb as mb | sort mb', [{ proc: 'web.2', mb: 600 }, { proc: 'web.1', mb: 1024.5 }]],
  ['filter event_type == "router" | stats count() as n by router.method, router.path | stats max(n) as most by router.method', [{ 'router.method': 'GET', most: 1 }, { 'router.method': 'POST', most: 2 }]],
  ['stats count() as n', [{ n: 12 }]],
  // router.request_id is the row's request_id on router rows (no column of its own), null elsewhere.
  ['filter isNotNull(router.request_id) | only router.request_id, request_id', [{ 'router.request_id': 'r1', request_id: 'r1' }]],
  ['filter router.path == "/too-early" or message == "other project" | only message', []],
  ['filter @ts >= "2024-05-01T02:00:00Z" | stats count() as n', [{ n: 4 }]],
  ['only event_type | limit 1', [{ event_type: 'api' }]],
  ['filter duration > 30 | only message', [{ message: 'Completed 500 Internal Server Error in 80ms user=abc' }]],
  ['filter user.id == "abc" | only proc', [{ proc: 'web.2' }]],
  ['filter user.id::int == 42 | only duration', [{ duration: 25.5 }]],
  ['filter event_type == "api" | only @id, @size, @received_ts', [{ '@id': '00000000-0000-4000-8000-000000000012', '@size': 100, '@received_ts': '2024-05-01 02:30:01.000000' }]],
  ['filter event_type == "api" | stats count() as n by bin() as t', [{ t: '2024-05-01 02:30:00', n: 1 }]],
  ['stats count(router.status >= 500) as errors, count(router.status) as total, errors / total as ratio', [{ errors: 3, total: 6, ratio: 0.5 }]],
  ['filter event_type == "router" | stats count() by router.path | sort count() desc | limit 1', [{ 'router.path': '/api/orders', 'count()': 3 }]],
]

describe('stages run on ClickHouse', () => {
  for (const [q, rows] of STAGES) it(q, async () => expect(await run(db, q)).toEqual(rows))

  it('filter router.status == ${s} | stats count() as n  (params {s: 503})', async () => {
    expect(await run(db, 'filter router.status == ${s} | stats count() as n', { params: { s: 503 } })).toEqual([{ n: 2 }])
  })
  it('filter router.status == ${s:-500} | stats count() as n  (no params)', async () => {
    expect(await run(db, 'filter router.status == ${s:-500} | stats count() as n')).toEqual([{ n: 1 }])
  })
  it('only event_type  (request limit 2)', async () => {
    expect(await run(db, 'only event_type', { limit: 2 })).toEqual([{ event_type: 'api' }, { event_type: 'runtime_metrics' }])
  })
  it('filter event_type == "router" | stats count() as n by bin(1d) as d  (timezone America/New_York)', async () => {
    expect(await run(db, 'filter event_type == "router" | stats count() as n by bin(1d) as d', { timezone: 'America/New_York' })).toEqual([{ d: '2024-04-30 00:00:00', n: 6 }])
  })
  it('filter event_type == "api" | only @preview', async () => {
    const [row] = await run(db, 'filter event_type == "api" | only @preview')
    expect(JSON.parse(String(row!['@preview'])).api).toMatchObject({ action: 'release', release: 42, user: 'dev@example.com' })
  })
})

const ROUTER = (cond: string) => `filter event_type == "router" and ${cond} | only router.service | sort router.service`
const OPERATORS: readonly [string, readonly number[]][] = [
  ['router.status == 200', [2, 20, 40]],
  ['router.status != 200', [120, 30000, 30001]],
  ['router.status <> 200', [120, 30000, 30001]],
  ['router.service < 40', [2, 20]],
  ['router.service <= 40', [2, 20, 40]],
  ['router.service > 120', [30000, 30001]],
  ['router.service >= 120', [120, 30000, 30001]],
  ['router.service + 1 == 21', [20]],
  ['router.service - 1 == 19', [20]],
  ['router.service * 2 == 80', [40]],
  ['router.service / 4 == 5', [20]],
  ['router.service % 7 == 6', [20, 30001]],
  ['-router.service < -30000', [30001]],
  ['router.service > 100 and router.method == "GET"', [120]],
  ['(router.service < 10 or router.service > 30000)', [2, 30001]],
  ['not(router.method == "GET")', [30000, 30001]],
  ['router.service between 20 and 120', [20, 40, 120]],
  ['router.service not between 20 and 120', [2, 30000, 30001]],
  ['router.status in [500, 503]', [120, 30000, 30001]],
  ['router.status not in [500, 503]', [2, 20, 40]],
  ['router.method in ["POST"]', [30000, 30001]],
  ['router.path like "/api/users%"', [20, 40]],
  ['router.path not like "/api/%"', [2]],
  ['router.method ilike "get"', [2, 20, 40, 120]],
  ['router.method not ilike "get"', [30000, 30001]],
  ['router.path match /^\\/api\\/orders$/', [120, 30000, 30001]],
  ['router.path not match /orders/', [2, 20, 40]],
  ['isNull(router.code)', [2, 20, 40, 120]],
]

describe('operators run on ClickHouse', () => {
  for (const [cond, services] of OPERATORS) {
    const q = ROUTER(cond)
    it(q, async () => expect((await run(db, q)).map((r) => r['router.service'])).toEqual(services))
  }
})

describe('every golden query runs on ClickHouse', async () => {
  const { readdirSync, readFileSync } = await import('node:fs')
  const dir = new URL('./golden/', import.meta.url)
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sluiceql')).sort()) {
    const text = readFileSync(new URL(file, dir), 'utf8')
    const params = /^# params: (.*)$/m.exec(text)?.[1]
    it(file, async () => {
      const rows = await run(db, text, params ? { params: JSON.parse(params) as Record<string, unknown> } : {})
      expect(Array.isArray(rows)).toBe(true)
    })
  }
})

describe('several percentiles of one value share one sampler', () => {
  it('stats percentile(50, router.service) as a, percentile(99, router.service) as b, percentile(50, router.connect) as c, count() as n by router.method', async () => {
    const fused = await run(db, 'filter event_type == "router" | stats percentile(50, router.service) as a, percentile(99, router.service) as b, percentile(50, router.connect) as c, count() as n by router.method | sort router.method')
    const a = await run(db, 'filter event_type == "router" | stats percentile(50, router.service) as a by router.method | sort router.method')
    const b = await run(db, 'filter event_type == "router" | stats percentile(99, router.service) as b by router.method | sort router.method')
    expect(fused.map((r) => [r['router.method'], r.a, r.b])).toEqual(a.map((r, i) => [r['router.method'], r.a, b[i]!.b]))
    // GET services 2, 20, 40, 120; POST 30000, 30001.
    expect(fused.map((r) => Math.round(Number(r.b) * 100) / 100)).toEqual([117.6, 30000.99])
  })
})
