/**
 * Heroku router lines for the generator, as SQL expressions over the per-row aliases of
 * event-sql.ts. The message follows the real format (HEROKU-FORMATS.md, router section):
 * `at=info method=GET path="/users/123" host=… request_id=<uuid> fwd="ip" dyno=web.N connect=1ms
 * service=NNms status=NNN bytes=NNN protocol=https`, with `at=error code=H12 desc="…"` on platform
 * errors; `router.*` attrs carry the same values, so queries on attrs and on the text agree.
 */
import { PATH_TEMPLATES } from './path-templates.js'
import { arr, cat, h, lit, u } from './sql-helpers.js'

/** Per-row aliases the router kind defines (also reused by app lines: path, method, status…). */
export const ROUTER_ALIASES: readonly string[] = [
  // Popularity is skewed: index = 300 · u^2.5, so the first templates get most traffic.
  `toUInt32(pow(${u(30)}, 2.5) * ${PATH_TEMPLATES.length}) AS g_tpl`,
  `replaceOne(replaceOne(replaceOne(replaceOne(${arr(PATH_TEMPLATES)}[g_tpl + 1], '{id}', toString(1 + ${h(31)} % 250000)), '{id2}', toString(1 + ${h(32)} % 5000)), '{page}', toString(1 + ${h(33)} % 40)), '{hex}', lower(substring(hex(${h(34)}), 1, 12))) AS g_path`,
  `multiIf(${h(35)} % 100 < 75, 'GET', ${h(35)} % 100 < 90, 'POST', ${h(35)} % 100 < 96, 'PATCH', 'DELETE') AS g_method`,
  // Outcome: 0.8% H12, 0.3% H13, 0.2% H15 (all 503), 1.2% 500, 0.2% 502 → ~2.7% 5xx.
  `${h(36)} % 1000 AS g_sr`,
  `multiIf(g_sr < 8, 'H12', g_sr < 11, 'H13', g_sr < 13, 'H15', '') AS g_code`,
  `multiIf(g_sr < 8, 'Request timeout', g_sr < 11, 'Connection closed without response', g_sr < 13, 'Idle connection', '') AS g_desc`,
  `toUInt16(multiIf(g_sr < 13, 503, g_sr < 25, 500, g_sr < 27, 502, g_sr < 60, 404, g_sr < 75, 302, g_sr < 110, 304, g_sr < 125, 201, g_sr < 135, 422, g_sr < 140, 401, 200)) AS g_status`,
  // Service time: log-normal (Box–Muller normal g_z), median 13–270 ms depending on the path.
  `sqrt(-2 * log((${h(37)} % 1000000 + 1) / 1000000.0)) * cos(2 * pi() * ${u(38)}) AS g_z`,
  `toUInt32(multiIf(g_code = 'H12', 30000, g_code = 'H15', 55000 + ${h(39)} % 5000, least(29999, greatest(1, round(exp(2.6 + (g_tpl % 11) * 0.3 + 0.8 * g_z)))))) AS g_service`,
  `toUInt32(if(${h(40)} % 100 < 97, ${h(40)} % 3, 3 + ${h(40)} % 40)) AS g_connect`,
  `toUInt64(multiIf(g_code != '', 0, g_status = 304, 0, g_status IN (302, 201), 100 + ${h(41)} % 900, 200 + ${h(41)} % 60000)) AS g_bytes`,
  `IPv4NumToString(toUInt32(${h(42)} % 4294967296)) AS g_fwd`,
  `concat(g_app, if(g_env = 'production', '', concat('-', g_env)), '.herokuapp.com') AS g_host`,
  `if(g_code = '', 'info', 'error') AS g_at`,
]

/** The router message. */
export const ROUTER_MESSAGE = cat(
  lit('at='), 'g_at', `if(g_code = '', '', concat(' code=', g_code, ' desc="', g_desc, '"'))`,
  lit(' method='), 'g_method', lit(' path="'), 'g_path', lit('" host='), 'g_host', lit(' request_id='), 'g_rid',
  lit(' fwd="'), 'g_fwd', lit('" dyno=web.'), 'toString(g_dn)', lit(' connect='), 'toString(g_connect)',
  lit('ms service='), 'toString(g_service)', lit('ms status='), 'toString(g_status)', lit(' bytes='), 'toString(g_bytes)',
  lit(' protocol=https'),
)

/**
 * route.ts's `fingerprinted` in SQL: a hex chunk of 8+ characters with a digit, after the segment's
 * start, `-` or `.`, and before `.`, becomes `:hex`. RE2 has no lookahead, so "8+ with a digit" is
 * spelled out by the digit's position, and the pass runs twice (a match eats the `.` that may start
 * the next chunk).
 */
const HEX_WITH_DIGIT = [
  ...Array.from({ length: 7 }, (_, k) => `[0-9a-fA-F]{${k}}[0-9][0-9a-fA-F]{${7 - k},}`),
  '[0-9a-fA-F]{7,}[0-9][0-9a-fA-F]*',
].join('|')
const fingerprintPass = (x: string) => `replaceRegexpAll(${x}, '(^|[-.])(?:${HEX_WITH_DIGIT})\\\\.', '\\\\1:hex.')`
const FINGERPRINT_SQL = fingerprintPass(fingerprintPass('seg'))

/** src/lines/route.ts's routeOf in SQL: per segment, ids become :id / :uuid / :hex / :token, fingerprints :hex. */
export const routeSql = (path: string) => `if(empty(${path}), '', ifNull(nullIf(arrayStringConcat(arrayMap(seg -> multiIf(
    match(seg, '^[0-9]+$'), ':id',
    match(seg, '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'), ':uuid',
    match(seg, '^[0-9a-fA-F]{12,}$') AND match(seg, '[0-9]'), ':hex',
    match(seg, '^[0-9]+-[A-Za-z0-9_-]*$'), ':id',
    length(seg) >= 20 AND match(seg, '^[A-Za-z0-9_-]+$') AND match(seg, '[0-9]'), ':token',
    ${FINGERPRINT_SQL}), splitByChar('/', cutFragment(cutQueryString(${path})))), '/'), ''), '/'))`
const ROUTE_SQL = routeSql('g_path')

/** Router fields: [field, SQL, kind]; they go to the promoted router_* columns (src/model/fields.ts). */
const ROUTER_FIELD_SQL: readonly (readonly [string, string, 'str' | 'optstr' | 'num'])[] = [
  ['router.at', 'g_at', 'str'],
  ['router.code', 'g_code', 'optstr'],
  ['router.desc', 'g_desc', 'optstr'],
  ['router.method', 'g_method', 'str'],
  ['router.path', 'g_path', 'str'],
  ['router.route', ROUTE_SQL, 'str'],
  ['router.host', 'g_host', 'str'],
  ['router.fwd', 'g_fwd', 'str'],
  ['router.dyno', "concat('web.', toString(g_dn))", 'str'],
  ['router.connect', 'g_connect', 'num'],
  ['router.service', 'g_service', 'num'],
  ['router.status', 'g_status', 'num'],
  ['router.bytes', 'g_bytes', 'num'],
  ['router.protocol', "'https'", 'str'],
]

/** Column names and per-row SQL of the router columns (NULL on other kinds of rows). */
export const ROUTER_COLUMNS: readonly (readonly [string, string])[] = ROUTER_FIELD_SQL.map(([field, expr, kind]) => [
  field.replace('router.', 'router_'),
  `if(g_type = 'router', ${kind === 'optstr' ? `nullIf(${expr}, '')` : expr}, NULL)`,
])

/** Router rows keep no attrs: their fields are columns. */
export const ROUTER_ATTRS = `'{}'`
