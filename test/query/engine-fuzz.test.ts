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
import { query } from './fuzz-grammar.js'

let db: ClickHouseClient
beforeAll(async () => { db = await openStore() })
afterAll(async () => { await db.close() })

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
