/**
 * Query compile time: typical queries (the README query, Heroku dashboards, a parse, a fill)
 * compiled end to end — lex, parse, compile, explain. Each must compile before it is timed.
 * Target: well under 1 ms per query.
 */
import { compileQuery, type CompileContext } from '../src/query/index.js'
import { opsPerSecond, report, type BenchRow } from './report.js'

const ctx: CompileContext = {
  projectId: 'proj_1',
  range: { fromMicros: Date.UTC(2024, 4, 1) * 1000, toMicros: Date.UTC(2024, 4, 1, 3) * 1000 },
  timezone: 'Europe/Paris',
  limits: { maxExecutionSeconds: 30, maxRowsToRead: 1e9, maxResultRows: 100_000, defaultLimit: 1000, maxLimit: 10_000 },
}

const QUERIES: readonly [string, string][] = [
  ['README 5xx', 'filter environment == "production" and router.status >= 500\n| fields @ts, router.method, router.path, router.status\n| sort @ts desc\n| limit 20'],
  ['p95 service by path', 'filter event_type == "router" | stats percentile(95, router.service) as p95, count() as n by router.path | sort p95 desc | limit 20'],
  ['H12 per hour + fill', 'filter router.code == "H12" | stats count() as timeouts by bin(1h) as hour | fill hour'],
  ['R14 by dyno', 'filter error_code == "R14" | stats count() as r14, max(dyno.memory_mb) as peak by proc | sort r14 desc'],
  ['parse app line', 'filter event_type == "app" | parse message /Completed (?<status>[0-9]{3}) .* in (?<ms>[0-9]+)ms/ | stats avg(ms::int) by status'],
  ['filter after stats', 'stats count() as n by router.path, bin(5m) | filter n > 100 | sort n desc | limit 50'],
]

const rows: BenchRow[] = []
for (const [name, q] of QUERIES) {
  const r = compileQuery(q, ctx)
  if (!r.ok) throw new Error(`${name} does not compile: ${r.error.message}`)
  if (!r.query.sql.includes('project_id = {p0:String}')) throw new Error(`${name}: no project guard`)
  const ops = opsPerSecond(() => compileQuery(q, ctx), 1000, 200)
  const us = 1e6 / ops
  rows.push({ name: `compile: ${name}`, value: us, unit: 'µs/query', target: '< 1000 µs', pass: us < 1000 })
}
report({
  title: 'Query compile',
  setup: `compileQuery (lex, parse, compile to SQL, explain) of ${QUERIES.length} typical queries, timezone Europe/Paris, single thread.`,
  rows,
})
