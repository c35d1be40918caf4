/**
 * The canonical query shapes of issue 6, and the check that the server answers them right before
 * anything is timed: each runs through `POST /v1/query` over the generator's absolute windows and
 * is compared with the numbers computed by plain SQL right after generation (expectations.ts).
 */
import assert from 'node:assert/strict'
import { NEEDLE } from './event-sql-app.js'
import { tsDigits, type Expectations, type Window } from './expectations.js'
import { runQuery, type Api } from './query-client.js'

/** One canonical shape: the query text, its time range for timing, and its p95 target (ms, at 10M). */
export interface Canonical {
  readonly name: string
  readonly query: string
  readonly ts: string
  readonly targetMs: number
}

/** The shapes of issue 6 with the targets it sets at 10M events, warm. */
export const CANONICAL: readonly Canonical[] = [
  { name: 'count by status, 6 h', query: 'filter event_type == "router" | stats count() by router.status', ts: 'PT6H', targetMs: 100 },
  { name: 'per-minute errors, 6 h', query: 'filter router.status >= 500 | stats count() by bin(1m)', ts: 'PT6H', targetMs: 100 },
  { name: 'p95 by path, 7 d', query: 'stats percentile(95, router.service) as p95, count() by router.path | sort p95 desc | limit 20', ts: 'P7D', targetMs: 400 },
  { name: 'substring like, 7 d', query: `filter message like "%${NEEDLE}%" | stats count()`, ts: 'P7D', targetMs: 1000 },
  { name: 'substring ilike, 7 d', query: `filter message ilike "%${NEEDLE.toLowerCase()}%" | stats count()`, ts: 'P7D', targetMs: 1000 },
  { name: 'newest 100 matches, 7 d', query: `filter message like "%${NEEDLE}%" | fields @ts, message | sort @ts desc | limit 100`, ts: 'P7D', targetMs: 150 },
  // Not in the list: the same percentiles by router.route (ids taken out of the path).
  { name: 'p95 by route, 7 d', query: 'stats percentile(95, router.service) as p95, count() by router.route | sort p95 desc | limit 20', ts: 'P7D', targetMs: 400 },
]

const range = (w: Window): string => `${w.from}/${w.to}`
const num = (v: unknown): number => Number(v)

/** Run every canonical shape over the expectation windows; throws on the first wrong answer. */
export async function checkCanonical(api: Api, e: Expectations): Promise<void> {
  const [byStatus, perMinute, byPath, like, ilike, newest] = CANONICAL
  const q = (c: Canonical, w: Window) => runQuery(api, { kind: 'adhoc', query: c.query, ts: range(w) })

  const s = await q(byStatus!, e.window6h)
  const got = Object.fromEntries(s.results.map((r) => [String(r['router.status']), num(r['count()'])]))
  assert.deepEqual(got, e.statusCounts6h, 'count by status over 6 h')

  const m = await q(perMinute!, e.window6h)
  assert.equal(m.results.reduce((a, r) => a + num(r['count()']), 0), e.errors6h, 'per-minute errors: total')
  assert.equal(m.results.length, e.errorMinutes6h, 'per-minute errors: buckets')

  const p = await q(byPath!, e.all)
  assert.equal(p.results.length, 20, 'p95 by path: 20 rows')
  const p95s = p.results.map((r) => num(r.p95))
  assert.deepEqual(p95s, [...p95s].sort((a, b) => b - a), 'p95 by path: sorted by p95 desc')
  for (const r of p.results.slice(0, 3)) {
    const path = String(r['router.path'])
    const c = await runQuery(api, { kind: 'adhoc', query: `filter router.path == ${JSON.stringify(path)} | stats count()`, ts: range(e.all) })
    assert.equal(num(c.results[0]!['count()']), num(r['count()']), `p95 by path: count of ${path}`)
  }

  assert.equal(num((await q(like!, e.all)).results[0]!['count()']), e.needle, 'like count')
  assert.equal(num((await q(ilike!, e.all)).results[0]!['count()']), e.needleCi, 'ilike count')

  const n = await q(newest!, e.all)
  assert.deepEqual(n.results.map((r) => tsDigits(String(r['@ts']))), e.newestNeedle, 'newest 100 matches: timestamps')
  assert.ok(n.results.every((r) => String(r.message).includes(NEEDLE)), 'newest 100 matches: every message matches')
}
