/**
 * `sample#` metrics lines (HEROKU-FORMATS.md §5): log-runtime-metrics under `heroku[web.1]`,
 * Heroku Postgres / Redis / PgBouncer under `app[heroku-postgres|heroku-redis|heroku-pgbouncer]`,
 * and the 2013 `measure=load_avg_1m val=0.00` form. Values become numbers: sizes in bytes
 * (`MB`, `kB`, `bytes`; binary multiples as Linux reports them), other units dropped;
 * key dashes become underscores; `source`/`addon`/`dyno` kept as `sample_source`/`addon`/`dyno_id`.
 */
import type { Attrs, EventType } from '../model/index.js'
import { makeEvent, type LineParser } from './event.js'

/** Multiplier to bytes of a size unit, or 1 for count-like units (`pages`) and none. */
function unitFactor(s: string, a: number, b: number): number {
  const len = b - a
  if (len === 0) return 1
  const u = s.slice(a, b)
  switch (u) {
    case 'bytes': case 'B': case 'b': return 1
    case 'kB': case 'KB': case 'kb': case 'K': case 'k': case 'KiB': return 1024
    case 'MB': case 'M': case 'mb': case 'MiB': return 1024 * 1024
    case 'GB': case 'G': case 'gb': case 'GiB': return 1024 * 1024 * 1024
    default: return 1
  }
}

/** Number at the start of `s[a..b)` with its size unit applied; null when there is no number. */
export function metricValue(s: string, a: number, b: number): number | null {
  let i = a
  if (s.charCodeAt(i) === 45) i++
  while (i < b) {
    const c = s.charCodeAt(i)
    if ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || ((c === 43 || c === 45) && (s.charCodeAt(i - 1) | 32) === 101)) i++
    else break
  }
  if (i === a) return null
  const v = Number(s.slice(a, i))
  if (!Number.isFinite(v)) return null
  const f = unitFactor(s, i, b)
  return f === 1 ? v : Math.round(v * f)
}

/** `sample#load-avg-1m` → `load_avg_1m`. */
const normKey = (k: string): string => (k.indexOf('-') === -1 ? k : k.replace(/-/g, '_'))

/** Event type of a metrics line from its PROCID, or from its keys when the PROCID is unknown. */
export function metricsKind(proc: string, msg: string): EventType {
  if (proc === 'heroku-postgres') return 'postgres_metrics'
  if (proc === 'heroku-redis') return 'redis_metrics'
  if (proc === 'heroku-pgbouncer') return 'pgbouncer_metrics'
  if (proc !== '') return 'runtime_metrics'
  if (msg.includes('sample#memory-redis') || msg.includes('sample#hit-rate')) return 'redis_metrics'
  if (msg.includes('sample#client_active') || msg.includes('source=pgbouncer')) return 'pgbouncer_metrics'
  if (msg.includes('sample#db_size') || msg.includes('sample#current_transaction') || msg.includes('source=HEROKU_POSTGRESQL') || msg.includes('source=DATABASE')) return 'postgres_metrics'
  return 'runtime_metrics'
}

/** Parse a metrics message into a `*_metrics` event. */
export const parseMetrics: LineParser = (msg, tsMicros, source, proc, procType, size) => {
  const attrs: Attrs = {}
  const n = msg.length
  let measure: string | null = null
  let i = 0
  while (i < n) {
    while (i < n && msg.charCodeAt(i) === 32) i++
    if (i >= n) break
    const ks = i
    const eq = msg.indexOf('=', i)
    let sp = msg.indexOf(' ', i)
    if (sp === -1) sp = n
    if (eq === -1 || eq > sp) { i = sp; continue }
    const vs = eq + 1
    const ve = sp
    i = sp
    if (msg.startsWith('sample#', ks)) {
      attrs[`sample.${normKey(msg.slice(ks + 7, eq))}`] = metricValue(msg, vs, ve)
      continue
    }
    const key = msg.slice(ks, eq)
    const val = ve > vs ? msg.slice(vs, ve) : null
    if (key === 'source') attrs['sample_source'] = val
    else if (key === 'addon') attrs['addon'] = val
    else if (key === 'dyno') attrs['dyno_id'] = val
    else if (key === 'measure') measure = val
    else if (key === 'val' && measure !== null) attrs[`sample.${normKey(measure)}`] = metricValue(msg, vs, ve)
    // Other keys (`units=`, future ones) stay in the message only.
  }
  return makeEvent(tsMicros, source, proc, procType, metricsKind(proc, msg), null, null, null, msg, size, attrs)
}
