/**
 * Platform lines for the generator (HEROKU-FORMATS.md §3–5): dyno manager lines, platform API
 * lines, log-runtime-metrics, Heroku Postgres and Redis metrics, and Logplex L10 notices, as SQL
 * over the per-row aliases of event-sql.ts. Each kind is one `multiIf` branch; attrs carry what the
 * real parsers extract (sizes in bytes, key dashes → underscores).
 */
import { cat, h, jsonObject, lit, pick, u } from './sql-helpers.js'

/** Per-row aliases of platform lines. */
export const SYSTEM_ALIASES: readonly string[] = [
  `${h(50)} % 100 AS g_s`,
  `round(0.02 + 1.5 * pow(${u(51)}, 3), 2) AS g_load`,
  `round(120 + 380 * ${u(52)}, 2) AS g_mem_mb`,
  `toUInt32(${h(53)} % 20) AS g_conns`,
  `toUInt32(1 + ${h(54)} % 400) AS g_release`,
  `lower(substring(hex(${h(55)}), 1, 7)) AS g_sha`,
  `${pick(['dev@acme.com', 'ops@acme.com', 'ci@acme.com'], 56)} AS g_user`,
  `concat('heroku.145151706.', toString(generateUUIDv4(3))) AS g_dyno_id`,
]

const DYNO_MESSAGE = `multiIf(
  g_s < 25, 'State changed from starting to up',
  g_s < 30, 'State changed from up to crashed',
  g_s < 45, 'Starting process with command \`bundle exec puma -C config/puma.rb\`',
  g_s < 60, 'Stopping all processes with SIGTERM',
  g_s < 75, 'Process exited with status 143',
  g_s < 85, ${cat(lit('Process running mem='), 'toString(round(g_mem_mb * 3))', lit('M('), 'toString(round(g_mem_mb * 3 / 5.12, 1))', lit('%)'))},
  g_s < 95, 'Error R14 (Memory quota exceeded)',
  'Cycling')`
const DYNO_ATTRS = `multiIf(
  g_s < 25, '{"dyno.event":"state_change","dyno.state_from":"starting","dyno.state_to":"up"}',
  g_s < 30, '{"dyno.event":"state_change","dyno.state_from":"up","dyno.state_to":"crashed"}',
  g_s < 45, '{"dyno.event":"starting","dyno.command":"bundle exec puma -C config/puma.rb"}',
  g_s < 60, '{"dyno.event":"stopping","dyno.signal":"SIGTERM"}',
  g_s < 75, '{"dyno.event":"exited","dyno.exit_status":143}',
  g_s < 85, ${jsonObject([['dyno.event', "'memory'", 'str'], ['dyno.memory_mb', 'round(g_mem_mb * 3)', 'num'], ['dyno.memory_pct', 'round(g_mem_mb * 3 / 5.12, 1)', 'num']])},
  g_s < 95, '{"dyno.event":"error","dyno.error_desc":"Memory quota exceeded"}',
  '{"dyno.event":"cycling"}')`
const DYNO_LEVEL = "multiIf(g_s >= 25 AND g_s < 30, 'error', g_s >= 75 AND g_s < 85 AND g_mem_mb * 3 / 5.12 > 100, 'warn', g_s >= 85 AND g_s < 95, 'error', 'info')"

const API_MESSAGE = `multiIf(
  g_s < 60, ${cat(lit('Release v'), 'toString(g_release)', lit(' created by user '), 'g_user')},
  g_s < 90, ${cat(lit('Deploy '), 'g_sha', lit(' by user '), 'g_user')},
  ${cat(lit('Scaled to web@'), 'toString(1 + g_s % 4)', lit(':Standard-1X worker@1:Standard-1X by user '), 'g_user')})`
const API_ATTRS = `multiIf(
  g_s < 60, ${jsonObject([['api.action', "'release'", 'str'], ['api.release', 'g_release', 'num'], ['api.user', 'g_user', 'str']])},
  g_s < 90, ${jsonObject([['api.action', "'deploy'", 'str'], ['api.commit', 'g_sha', 'str'], ['api.user', 'g_user', 'str']])},
  ${jsonObject([['api.action', "'scale'", 'str'], ['api.formation', "concat('web@', toString(1 + g_s % 4), ':Standard-1X worker@1:Standard-1X')", 'str'], ['api.user', 'g_user', 'str']])})`

const MB = (e: string) => `round(${e} * 1048576)`
const RUNTIME_MESSAGE = `if(g_s < 50,
  ${cat(lit('source='), 'g_proc', lit(' dyno='), 'g_dyno_id', lit(' sample#load_avg_1m='), 'toString(g_load)', lit(' sample#load_avg_5m='), 'toString(round(g_load * 0.8, 2))', lit(' sample#load_avg_15m='), 'toString(round(g_load * 0.6, 2))')},
  ${cat(lit('source='), 'g_proc', lit(' dyno='), 'g_dyno_id', lit(' sample#memory_total='), 'toString(g_mem_mb)', lit('MB sample#memory_rss='), 'toString(round(g_mem_mb * 0.9, 2))', lit('MB sample#memory_cache='), 'toString(round(g_mem_mb * 0.1, 2))', lit('MB sample#memory_swap=0.00MB sample#memory_pgpgin='), `toString(300000 + ${h(57)} % 100000)`, lit('pages sample#memory_pgpgout='), `toString(300000 + ${h(58)} % 100000)`, lit('pages sample#memory_quota=512.00MB'))})`
const RUNTIME_ATTRS = `if(g_s < 50,
  ${jsonObject([['sample_source', 'g_proc', 'str'], ['dyno_id', 'g_dyno_id', 'str'], ['sample.load_avg_1m', 'g_load', 'num'], ['sample.load_avg_5m', 'round(g_load * 0.8, 2)', 'num'], ['sample.load_avg_15m', 'round(g_load * 0.6, 2)', 'num']])},
  ${jsonObject([['sample_source', 'g_proc', 'str'], ['dyno_id', 'g_dyno_id', 'str'], ['sample.memory_total', MB('g_mem_mb'), 'num'], ['sample.memory_rss', MB('round(g_mem_mb * 0.9, 2)'), 'num'], ['sample.memory_cache', MB('round(g_mem_mb * 0.1, 2)'), 'num'], ['sample.memory_swap', '0', 'num'], ['sample.memory_pgpgin', `300000 + ${h(57)} % 100000`, 'num'], ['sample.memory_pgpgout', `300000 + ${h(58)} % 100000`, 'num'], ['sample.memory_quota', MB('512'), 'num']])})`

const PG_MESSAGE = cat(
  lit('source=DATABASE addon=postgresql-curved-12345 sample#current_transaction='), `toString(180000 + intDiv(g_epoch_ms, 100000) % 100000)`,
  lit(' sample#db_size='), `toString(26081231000 + ${h(59)} % 1000000)`, lit('bytes sample#tables=37 sample#active-connections='), 'toString(g_conns)',
  lit(' sample#waiting-connections=0 sample#index-cache-hit-rate=0.99982 sample#table-cache-hit-rate=0.99878 sample#load-avg-1m='), 'toString(g_load)',
  lit(' sample#read-iops=0 sample#write-iops=0.56 sample#memory-total=3944456kB sample#memory-free='), `toString(190000 + ${h(60)} % 10000)`, lit('kB'),
)
const PG_ATTRS = jsonObject([
  ['sample_source', "'DATABASE'", 'str'], ['addon', "'postgresql-curved-12345'", 'str'],
  ['sample.current_transaction', '180000 + intDiv(g_epoch_ms, 100000) % 100000', 'num'], ['sample.db_size', `26081231000 + ${h(59)} % 1000000`, 'num'],
  ['sample.tables', '37', 'num'], ['sample.active_connections', 'g_conns', 'num'], ['sample.waiting_connections', '0', 'num'],
  ['sample.index_cache_hit_rate', '0.99982', 'num'], ['sample.table_cache_hit_rate', '0.99878', 'num'], ['sample.load_avg_1m', 'g_load', 'num'],
  ['sample.read_iops', '0', 'num'], ['sample.write_iops', '0.56', 'num'], ['sample.memory_total', '3944456 * 1024', 'num'],
  ['sample.memory_free', `(190000 + ${h(60)} % 10000) * 1024`, 'num'],
])

const REDIS_MESSAGE = cat(
  lit('source=REDIS addon=redis-shaped-12345 sample#active-connections='), 'toString(g_conns)', lit(' sample#load-avg-1m='), 'toString(g_load)',
  lit(' sample#memory-total=15664468kB sample#memory-redis='), `toString(1042304 + ${h(61)} % 100000)`, lit('bytes sample#hit-rate='), 'toString(round(0.9 + g_load / 20, 4))',
  lit(' sample#evicted-keys=0'),
)
const REDIS_ATTRS = jsonObject([
  ['sample_source', "'REDIS'", 'str'], ['addon', "'redis-shaped-12345'", 'str'], ['sample.active_connections', 'g_conns', 'num'],
  ['sample.load_avg_1m', 'g_load', 'num'], ['sample.memory_total', '15664468 * 1024', 'num'], ['sample.memory_redis', `1042304 + ${h(61)} % 100000`, 'num'],
  ['sample.hit_rate', 'round(0.9 + g_load / 20, 4)', 'num'], ['sample.evicted_keys', '0', 'num'],
])

const since = "formatDateTime(g_ts - toIntervalSecond(60), '%Y-%m-%dT%H:%i:%S.%f+00:00')"
const LOGPLEX_MESSAGE = cat(lit("Error L10 (output buffer overflow): drain '"), 'g_drain', lit("' dropped "), `toString(1 + ${h(62)} % 500)`, lit(' messages since '), since, lit('.'))
const LOGPLEX_ATTRS = jsonObject([['logplex.dropped', `1 + ${h(62)} % 500`, 'num'], ['logplex.since', "formatDateTime(g_ts - toIntervalSecond(60), '%Y-%m-%d %H:%i:%S.%f')", 'str'], ['logplex.drain', 'g_drain', 'str']])

/** Message, attrs, level and error code of every platform kind, keyed by event_type. */
export const SYSTEM_KINDS: Readonly<Record<'dyno' | 'api' | 'runtime_metrics' | 'postgres_metrics' | 'redis_metrics' | 'logplex', { message: string; attrs: string; level: string; errorCode: string }>> = {
  dyno: { message: DYNO_MESSAGE, attrs: DYNO_ATTRS, level: DYNO_LEVEL, errorCode: "if(g_s >= 85 AND g_s < 95, 'R14', NULL)" },
  api: { message: API_MESSAGE, attrs: API_ATTRS, level: "'info'", errorCode: 'NULL' },
  runtime_metrics: { message: RUNTIME_MESSAGE, attrs: RUNTIME_ATTRS, level: 'NULL', errorCode: 'NULL' },
  postgres_metrics: { message: PG_MESSAGE, attrs: PG_ATTRS, level: 'NULL', errorCode: 'NULL' },
  redis_metrics: { message: REDIS_MESSAGE, attrs: REDIS_ATTRS, level: 'NULL', errorCode: 'NULL' },
  logplex: { message: LOGPLEX_MESSAGE, attrs: LOGPLEX_ATTRS, level: "'error'", errorCode: "'L10'" },
}
