/**
 * The benchmark generator must produce what the real parsers would store for the same lines:
 * otherwise the query benchmark times data that ingest never produces. Generates rows in the
 * embedded engine, reads them back, re-parses each (source, proc, message) with the real line
 * parsers and compares event_type, level, error_code, request_id, proc_type and attrs.
 */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateEvents, generatedStats, type GeneratedStats } from '../../bench/lib/generate-events.js'
import { NEEDLE } from '../../bench/lib/event-sql-app.js'
import { routeSql } from '../../bench/lib/event-sql-router.js'
import { routeOf } from '../../src/lines/route.js'
import fc from 'fast-check'
import { classifyAndParse } from '../../src/lines/index.js'
import { FIELDS_BY_NAME } from '../../src/model/index.js'

// The events' parsed fields as one JSON object: the same SQL `@preview` uses (router columns included).
const preview = FIELDS_BY_NAME.get('@preview')!.storage
const PREVIEW_SQL = preview.kind === 'computed' ? preview.sql : ''
import { migrate, openStore, type Store } from '../../src/store/index.js'

const TOTAL = 40_000
let store: Store
let stats: GeneratedStats
let rows: Row[]

interface Row {
  event_type: string; source: string; proc: string; proc_type: string; level: string | null; error_code: string | null
  request_id: string | null; message: string; size: number; ts_us: string; attrs: string
}

/** `{"a":{"b":1,"c":null}}` → `{"a.b": 1}`: stored attrs as the parser's flat dot paths, nulls dropped. */
function flatten(o: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    const p = prefix ? `${prefix}.${k}` : k
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, p, out)
    else if (v !== null) out[p] = v
  }
  return out
}

beforeAll(async () => {
  store = openStore({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'sluice-gen-')), maxServerMemoryMb: 4096, queryMaxMemoryMb: 2048 })
  await migrate(store.client)
  await generateEvents(store.client, { projectId: 'p_gen', total: TOTAL, chunkRows: 15_000 })
  stats = await generatedStats(store.client, 'p_gen')
  const rs = await store.client.query({
    query: `SELECT event_type, source, proc, proc_type, level, error_code, request_id, message, size, toString(toUnixTimestamp64Micro(ts)) AS ts_us,
              ${PREVIEW_SQL} AS attrs
              FROM events WHERE project_id = 'p_gen' ORDER BY ts`,
    format: 'JSONEachRow',
  })
  rows = await rs.json<Row>()
})
afterAll(async () => { await store?.close() })

describe('generateEvents(40,000 rows)', () => {
  it('stores exactly the rows asked for, over 7 days', () => {
    expect(stats.rows).toBe(TOTAL)
    expect(stats.spanHours).toBeGreaterThan(167.9)
    expect(stats.spanHours).toBeLessThanOrEqual(168)
  })

  it.each([
    ['router', 0.57, 0.63], ['app', 0.32, 0.37], ['runtime_metrics', 0.02, 0.03], ['dyno', 0.01, 0.02],
    ['postgres_metrics', 0.004, 0.01], ['redis_metrics', 0.005, 0.01], ['api', 0.0002, 0.002], ['logplex', 0, 0.002],
  ])('event_type %s is between %d and %d of rows', (type, lo, hi) => {
    const share = (stats.byType[type] ?? 0) / TOTAL
    expect(share).toBeGreaterThanOrEqual(lo)
    expect(share).toBeLessThanOrEqual(hi)
  })

  it('types router status / service / path as the typed router columns', () => {
    expect([stats.statusType, stats.serviceType, stats.pathType]).toEqual(['Nullable(UInt16)', 'Nullable(UInt32)', 'Nullable(String)'])
  })

  it(`plants the needle ${NEEDLE} in about 0.1% of rows, and nowhere by chance`, () => {
    const hits = rows.filter((r) => r.message.includes(NEEDLE)).length
    expect(hits / TOTAL).toBeGreaterThan(0.0006)
    expect(hits / TOTAL).toBeLessThan(0.0014)
    expect(rows.filter((r) => r.message.toLowerCase().includes(NEEDLE.toLowerCase())).length).toBe(hits)
  })

  it('has high-cardinality paths and unique request ids', () => {
    const router = rows.filter((r) => r.event_type === 'router')
    const paths = new Set(router.map((r) => (JSON.parse(r.attrs) as { router: { path: string } }).router.path))
    expect(paths.size).toBeGreaterThan(router.length * 0.4)
    expect(new Set(router.map((r) => r.request_id)).size).toBe(router.length)
    const fivexx = router.filter((r) => /status=5\d\d /.test(r.message)).length / router.length
    expect(fivexx).toBeGreaterThan(0.01)
    expect(fivexx).toBeLessThan(0.04)
  })

  it('stores what the real parsers make of every generated line', () => {
    const mismatches: string[] = []
    for (const r of rows) {
      const e = classifyAndParse(r.source, r.proc, r.message, Number(r.ts_us), r.size)
      // @preview also shows fields computed from columns (router.request_id is the row's request_id); the parser does not emit those.
      const stored = Object.entries(flatten(JSON.parse(r.attrs) as Record<string, unknown>)).filter(([k]) => FIELDS_BY_NAME.get(k)?.storage.kind !== 'computed')
      const got = { event_type: r.event_type, proc_type: r.proc_type, level: r.level, error_code: r.error_code, request_id: r.request_id, attrs: Object.fromEntries(stored) }
      const want = { event_type: e.eventType, proc_type: e.procType, level: e.level, error_code: e.errorCode, request_id: e.requestId, attrs: e.attrs }
      // logplex.since is stored as a date (ClickHouse infers DateTime64 for the dynamic path): the
      // store spells it 'YYYY-MM-DD hh:mm:ss.ffffff…'; compare to the microsecond.
      const since = want.attrs['logplex.since']
      if (typeof since === 'string') want.attrs = { ...want.attrs, 'logplex.since': since.replace('T', ' ').replace('Z', '') }
      const storedSince = got.attrs['logplex.since']
      if (typeof storedSince === 'string') got.attrs['logplex.since'] = storedSince.slice(0, 26)
      try {
        expect(got).toEqual(want)
      } catch {
        mismatches.push(`${r.source}/${r.proc}: ${r.message}\n  stored ${JSON.stringify(got)}\n  parser ${JSON.stringify(want)}`)
      }
    }
    expect(mismatches.slice(0, 8)).toEqual([])
  })

  it('computes router.route in SQL exactly as the parser does, for random id- and fingerprint-like paths', async () => {
    // Segments built from pieces that hit every rule: digits, hex runs with and without digits,
    // uuids, friendly ids, tokens, file extensions, and the separators between them.
    const piece = fc.oneof(
      fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[0-9a-f]{6,14}$/), fc.stringMatching(/^[a-f]{8,12}$/),
      fc.uuid(), fc.constantFrom('users', 'application', 'main', 'chunk', 'js', 'css', 'gz', 'v1', 'my-post', 'x_y', 'Zk9xQm1sY3p2dGVzdDEyMzQ1'),
    )
    const segment = fc.array(fc.tuple(piece, fc.constantFrom('', '-', '.', '_')), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.map(([p, sep]) => p + sep).join(''))
    const path = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '?page=2', '#top', '/'))
      .map(([segs, tail]) => `/${segs.join('/')}${tail}`)
    const paths = fc.sample(path, { numRuns: 3000, seed: 42 })
    const rs = await store.client.query({
      query: `SELECT p, ${routeSql('p')} AS route FROM (SELECT arrayJoin({paths:Array(String)}) AS p)`,
      query_params: { paths }, format: 'JSONEachRow',
    })
    const got = await rs.json<{ p: string; route: string }>()
    expect(got.length).toBe(paths.length)
    const wrong = got.filter((r) => r.route !== routeOf(r.p)).map((r) => `${r.p}: sql ${r.route}, parser ${routeOf(r.p)}`)
    expect(wrong.slice(0, 5)).toEqual([])
    // The paths exercised the new rule, and the rest.
    expect(got.filter((r) => r.route.includes('-:hex.') || r.route.includes('.:hex.')).length).toBeGreaterThan(50)
    expect(got.filter((r) => r.route.includes(':uuid')).length).toBeGreaterThan(50)
  })
})
