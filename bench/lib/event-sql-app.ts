/**
 * App lines for the generator (HEROKU-FORMATS.md §6), as SQL over the per-row aliases of
 * event-sql.ts: Rails tagged-logger lines and pino JSON on web dynos, Sidekiq and logfmt on worker
 * dynos, with random request ids, job ids, paths and durations so `message` has real entropy.
 * Levels are mostly info with some warn/error; the needle line (NEEDLE) is a Rails error planted on
 * ~0.1% of all rows for the substring-search benchmark.
 */
import { CONTROLLERS, JOBS } from './path-templates.js'
import { cat, h, jsonObject, lit, pick } from './sql-helpers.js'

/** The planted substring; it cannot occur by chance (not hex, not in any other template). */
export const NEEDLE = 'ECONNRESET'

const isoMicros = "formatDateTime(g_ts, '%Y-%m-%dT%H:%i:%S.%f')"
const isoMillisZ = "concat(formatDateTime(g_ts, '%Y-%m-%dT%H:%i:%S.'), leftPad(toString(toUnixTimestamp64Milli(g_ts) % 1000), 3, '0'), 'Z')"
/** Rails Logger: `I, [2024-05-01T12:00:00.263473 #2]  INFO -- : [uuid] ` (format "%s, [%s #%d] %5s -- %s: "). */
const rails = (letter: string, level: string): string =>
  cat(lit(`${letter}, [`), isoMicros, lit(' #'), 'toString(g_pid)', lit(`] ${level.padStart(5)} -- : [`), 'g_rid', lit('] '))
const sidekiq = cat(isoMillisZ, lit(' pid='), 'toString(g_pid)', lit(' tid='), 'g_tid', lit(' class='), 'g_job', lit(' jid='), 'g_jid')
const REASONS = "transform(g_status, [200, 201, 302, 304, 401, 404, 422, 500, 502, 503], ['OK', 'Created', 'Found', 'Not Modified', 'Unauthorized', 'Not Found', 'Unprocessable Entity', 'Internal Server Error', 'Bad Gateway', 'Service Unavailable'], 'OK')"

/** Per-row aliases of app lines. */
export const APP_ALIASES: readonly string[] = [
  `${h(20)} % 1000 AS g_a`,
  `2 + ${h(22)} % 30 AS g_pid`,
  `round(exp(3 + 0.9 * g_z), 1) AS g_ms`,
  `lower(substring(hex(${h(23)}), 1, 9)) AS g_tid`,
  `lower(concat(hex(${h(24)}), substring(hex(${h(25)}), 1, 8))) AS g_jid`,
  `${pick(JOBS, 26)} AS g_job`,
  `${pick(['default', 'mailers', 'critical', 'low'], 27)} AS g_queue`,
  `toUnixTimestamp64Milli(g_ts) AS g_epoch_ms`,
]

/** True for app rows on worker dynos (the rest run on web dynos). */
export const APP_IS_WORKER = '(g_a >= 700 AND NOT g_needle)'

/** The app message. */
export const APP_MESSAGE = `multiIf(
  g_needle, ${cat(rails('E', 'ERROR'), lit('Stripe::APIConnectionError (Unexpected error communicating with Stripe. Request was retried 2 times. (Network error: Errno::'), lit(NEEDLE), lit(': Connection reset by peer)):'))},
  g_a < 180, ${cat(rails('I', 'INFO'), lit('Started '), 'g_method', lit(' "'), 'g_path', lit('" for '), 'g_fwd', lit(' at '), "formatDateTime(g_ts, '%Y-%m-%d %H:%i:%S')", lit(' +0000'))},
  g_a < 330, ${cat(rails('I', 'INFO'), lit('Processing by '), pick(CONTROLLERS, 28), lit('#'), pick(['index', 'show', 'create', 'update', 'destroy', 'edit'], 29), lit(' as '), pick(['HTML', 'JSON', 'TURBO_STREAM'], 43))},
  g_a < 480, ${cat(rails('I', 'INFO'), lit('Completed '), 'toString(g_status)', lit(' '), REASONS, lit(' in '), 'toString(round(g_ms))', lit('ms (Views: '), 'toString(round(g_ms * 0.4, 1))', lit('ms | ActiveRecord: '), 'toString(round(g_ms * 0.3, 1))', lit('ms | Allocations: '), `toString(1000 + ${h(44)} % 90000)`, lit(')'))},
  g_a < 620, ${cat(lit('{"level":30,"time":'), 'toString(g_epoch_ms)', lit(',"pid":'), 'toString(g_pid)', lit(',"hostname":"'), 'g_proc', lit('","reqId":"'), 'g_rid', lit('","req":{"method":"'), 'g_method', lit('","url":"'), 'g_path', lit('"},"res":{"statusCode":'), 'toString(g_status)', lit('},"responseTime":'), 'toString(g_ms)', lit(',"msg":"request completed"}'))},
  g_a < 650, ${cat(rails('W', 'WARN'), lit('Slow query detected: SELECT "users".* FROM "users" WHERE "users"."id" = $1 LIMIT $2 ('), 'toString(g_ms)', lit('ms)'))},
  g_a < 670, ${cat(rails('E', 'ERROR'), lit("ActiveRecord::RecordNotFound (Couldn't find User with 'id'="), `toString(1 + ${h(31)} % 250000)`, lit('):'))},
  g_a < 700, ${cat(lit('{"level":50,"time":'), 'toString(g_epoch_ms)', lit(',"pid":'), 'toString(g_pid)', lit(',"hostname":"'), 'g_proc', lit('","reqId":"'), 'g_rid', lit('","err":{"type":"TypeError","message":"Cannot read properties of undefined (reading \'id\')"},"msg":"request errored"}'))},
  g_a < 820, ${cat(sidekiq, lit(' INFO: start'))},
  g_a < 940, ${cat(sidekiq, lit(' elapsed='), 'toString(round(g_ms / 1000, 3))', lit(' INFO: done'))},
  g_a < 985, ${cat(lit('at=info msg="job enqueued" job='), 'g_job', lit(' jid='), 'g_jid', lit(' queue='), 'g_queue', lit(' duration='), 'toString(g_ms)', lit('ms request_id='), 'g_rid')},
  g_a < 995, ${cat(sidekiq, lit(' WARN: Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>'))},
  ${cat(sidekiq, lit(' ERROR: PG::UniqueViolation: ERROR:  duplicate key value violates unique constraint "index_users_on_email"'))})`

/** The app level (what the app parser infers from the text). */
export const APP_LEVEL = "multiIf(g_needle, 'error', g_a < 620, 'info', g_a < 650, 'warn', g_a < 700, 'error', g_a < 985, 'info', g_a < 995, 'warn', 'error')"

/** The app request id: web lines and logfmt lines carry one, Sidekiq lines do not. */
export const APP_REQUEST_ID = 'if(g_needle OR g_a < 700 OR (g_a >= 940 AND g_a < 985), g_rid, NULL)'

/** App attrs: JSON and logfmt keys become fields (`level`, `request_id` are reserved → `app.*`); plain text has none. */
export const APP_ATTRS = `multiIf(
  g_needle, '{}',
  g_a >= 480 AND g_a < 620, ${jsonObject([['app.level', '30', 'num'], ['time', 'g_epoch_ms', 'num'], ['pid', 'g_pid', 'num'], ['hostname', 'g_proc', 'str'], ['reqId', 'g_rid', 'str'], ['req.method', 'g_method', 'str'], ['req.url', 'g_path', 'str'], ['res.statusCode', 'g_status', 'num'], ['responseTime', 'g_ms', 'num'], ['msg', "'request completed'", 'str']])},
  g_a >= 670 AND g_a < 700, ${jsonObject([['app.level', '50', 'num'], ['time', 'g_epoch_ms', 'num'], ['pid', 'g_pid', 'num'], ['hostname', 'g_proc', 'str'], ['reqId', 'g_rid', 'str'], ['err.type', "'TypeError'", 'str'], ['err.message', "'Cannot read properties of undefined (reading \\'id\\')'", 'str'], ['msg', "'request errored'", 'str']])},
  g_a >= 940 AND g_a < 985, ${jsonObject([['at', "'info'", 'str'], ['msg', "'job enqueued'", 'str'], ['job', 'g_job', 'str'], ['jid', 'g_jid', 'str'], ['queue', 'g_queue', 'str'], ['duration', "concat(toString(g_ms), 'ms')", 'str'], ['app.request_id', 'g_rid', 'str']])},
  '{}')`
