/**
 * Queries never stop for the engine's LLVM compiler. ClickHouse compiles an expression, aggregate
 * or sort shape on its third execution, synchronously, inside that query (a ~100–170 ms spike in
 * the 3rd–4th run of each shape at 10M events, with no steady-state gain: src/query/compile.ts).
 * Measured here with the engine's own counters: the compiled queries, each run 4 times, compile
 * nothing; the same SQL without our settings does (so this test can fail).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClickHouseClient } from '@clickhouse/client'
import { withSettings } from '../../src/query-api/run.js'
import { compileQuery } from '../../src/query/index.js'
import { ctxFor, openStore } from './fixture.js'

const SHAPES = [
  'filter event_type == "router" and isNotNull(router.service) | stats count() as requests, percentile(50, router.service) as p50_ms, percentile(95, router.service) as p95_ms by router.method, router.route | sort p95_ms desc | limit 50',
  'stats percentile(95, router.service) as p95, count() by router.path | sort p95 desc | limit 20',
  'filter router.status >= 500 | stats count() by bin(1m)',
  'filter router.service * 2 + 1 > 10 and router.status % 100 == 3 | stats sum(router.service * 3 + 1) as s, avg(router.connect) by router.status | sort s desc',
]

let db: ClickHouseClient
beforeAll(async () => { db = await openStore() })
afterAll(async () => { await db.close() })

/** The engine's count of LLVM compilations started so far (process-wide). */
async function compilations(): Promise<number> {
  const rs = await db.query({ query: "SELECT sum(value) AS n FROM system.events WHERE event = 'CompileFunction'", format: 'JSONEachRow' })
  return Number((await rs.json<{ n: string }>())[0]?.n ?? 0)
}

async function runEach(settingsOf: (s: Record<string, string | number>) => Record<string, string | number>): Promise<void> {
  for (const text of SHAPES) {
    const r = compileQuery(text, ctxFor())
    if (!r.ok) throw new Error(`compile error: ${JSON.stringify(r.error)}`)
    for (let i = 0; i < 4; i++) {
      // In the statement's own SETTINGS clause, as the query API sends it (src/query-api/run.ts).
      const rs = await db.query({ query: withSettings(r.query.sql, settingsOf(r.query.settings)), query_params: r.query.params, format: 'JSONEachRow' })
      await rs.json()
    }
  }
}

describe('no JIT compilation inside a query', () => {
  it('compiled queries, each run 4 times, start no LLVM compilation', async () => {
    const before = await compilations()
    await runEach((s) => s)
    expect(await compilations()).toBe(before)
  })

  it('control: the same SQL without those settings does compile (the engine has the JIT)', async () => {
    const before = await compilations()
    await runEach((s) => Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('compile_'))))
    expect(await compilations()).toBeGreaterThan(before)
  })
})
