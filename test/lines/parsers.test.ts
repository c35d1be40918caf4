/**
 * Per-kind parsers beyond the corpus: one table per kind, `[source, proc, message] → expected`.
 * Titles are the inputs.
 */
import { describe, expect, it } from 'vitest'
import { classifyAndParse } from '../../src/lines/index.js'
import type { Attrs, EventType, Level } from '../../src/model/index.js'

interface Want { type: EventType; level?: Level | null; code?: string | null; rid?: string | null; attrs?: Attrs; exactAttrs?: Attrs; msg?: string }
type Row = readonly [string, string, string, Want]

function run(rows: readonly Row[]): void {
  for (const [source, proc, msg, want] of rows) {
    it(`${source}[${proc}]: ${msg}`, () => {
      const e = classifyAndParse(source, proc, msg, 0, Buffer.byteLength(msg))
      expect(e.eventType).toBe(want.type)
      if (want.level !== undefined) expect(e.level).toBe(want.level)
      if (want.code !== undefined) expect(e.errorCode).toBe(want.code)
      if (want.rid !== undefined) expect(e.requestId).toBe(want.rid)
      if (want.attrs) expect(e.attrs).toMatchObject(want.attrs)
      if (want.exactAttrs) expect(e.attrs).toEqual(want.exactAttrs)
      expect(e.message).toBe(want.msg ?? msg)
    })
  }
}

describe('router', () => run([
  ['heroku', 'router', 'at=info method=GET path="/" host=example.com request_id=2f6f5e3a-7c2b-4d1e-9a55-0c1d2e3f4a5b fwd="1.2.3.4,5.6.7.8" dyno=web.1 connect=0ms service=12ms status=200 bytes=1234 protocol=http2.0 tls=true tls_version=tls1.3',
    { type: 'router', level: 'info', rid: '2f6f5e3a-7c2b-4d1e-9a55-0c1d2e3f4a5b', exactAttrs: {
      'router.at': 'info', 'router.method': 'GET', 'router.path': '/', 'router.route': '/', 'router.host': 'example.com',
      'router.fwd': '1.2.3.4,5.6.7.8', 'router.dyno': 'web.1', 'router.connect': 0, 'router.service': 12, 'router.status': 200, 'router.bytes': 1234,
      'router.protocol': 'http2.0', 'router.tls': true, 'router.tls_version': 'tls1.3' } }],
  ['heroku', 'router', 'at=info method=GET path=/ host=example.com fwd=138.68.186.89 dyno=web.1 connect=0ms service=1ms status=101 bytes=0 protocol=http1.1 tls=false tls_version=unknown',
    { type: 'router', attrs: { 'router.fwd': '138.68.186.89', 'router.tls': false, 'router.tls_version': 'unknown', 'router.status': 101 } }],
  ['heroku', 'router', 'at=error code=H31 desc="Misdirected Request" method=GET path="/" host=a.com request_id=x fwd="1.1.1.1" dyno= connect= service= status=421 bytes= protocol=https agent="curl/8.0 (x86_64)"',
    { type: 'router', level: 'error', code: 'H31', attrs: { 'router.agent': 'curl/8.0 (x86_64)', 'router.status': 421, 'router.dyno': null, 'router.connect': null } }],
  ['heroku', 'router', 'at=info method=GET path="/a b" host=x dyno=web.2 connect=1.6ms service=oops status=200 bytes=',
    { type: 'router', attrs: { 'router.path': '/a b', 'router.connect': 2, 'router.service': null, 'router.bytes': null } }],
  ['heroku', 'router', 'sock=client at=warning code=H27 desc="Client Request Interrupted" method=GET path="/" status=499 bytes=',
    { type: 'router', level: 'warn', code: 'H27', attrs: { 'router.sock': 'client', 'router.at': 'warning' } }],
  ['heroku', 'router', 'at=info method=GET path="/unterminated', { type: 'router', attrs: { 'router.path': '/unterminated' } }],
  ['heroku', 'router', '', { type: 'router', exactAttrs: {} }],
]))

describe('dyno', () => run([
  ['heroku', 'web.1', 'Process running mem=1028MB(103.3%)', { type: 'dyno', level: 'warn', exactAttrs: { 'dyno.event': 'memory', 'dyno.memory_mb': 1028, 'dyno.memory_pct': 103.3 } }],
  ['heroku', 'web.1', 'Process running mem=512M(50.0%)', { type: 'dyno', level: 'info', attrs: { 'dyno.memory_mb': 512 } }],
  ['heroku', 'run.3', 'Error R16 (Detached) -> An attached process is not responding to SIGHUP after its external connection was closed.', { type: 'dyno', level: 'error', code: 'R16', attrs: { 'dyno.error_desc': 'Detached' } }],
  ['heroku', 'web.1', 'Error R99 (Platform error) -> Failed to launch the dyno within 10 seconds', { type: 'dyno', code: 'R99', attrs: { 'dyno.error_desc': 'Platform error' } }],
  ['heroku', 'web.1', 'Process exited with status 1', { type: 'dyno', level: 'warn', attrs: { 'dyno.exit_status': 1 } }],
  ['heroku', 'worker.1', 'Stopping process with SIGTERM', { type: 'dyno', level: 'info', attrs: { 'dyno.event': 'stopping', 'dyno.signal': 'SIGTERM' } }],
  ['heroku', 'web-12a34bcd56-7efgh', 'State changed from starting to up', { type: 'dyno', attrs: { 'dyno.state_to': 'up' } }],
  ['heroku', 'web.1', 'Something new the platform says', { type: 'dyno', level: null, exactAttrs: { 'dyno.event': 'other' } }],
  ['heroku', 'web.1', 'toString', { type: 'dyno', level: null, exactAttrs: { 'dyno.event': 'other' } }],
]))

describe('api', () => run([
  ['heroku', 'api', 'Config add EXAMPLE by me@example.com', { type: 'api', exactAttrs: { 'api.action': 'config', 'api.status': 'set', 'api.config_vars': 'EXAMPLE', 'api.user': 'me@example.com' } }],
  ['heroku', 'api', 'Add ZOMGZOMG config by me@example.com', { type: 'api', attrs: { 'api.action': 'config', 'api.config_vars': 'ZOMGZOMG' } }],
  ['app', 'api', 'Remove FOO, BAR config vars by user me@example.com', { type: 'api', attrs: { 'api.action': 'config', 'api.status': 'removed', 'api.config_vars': 'FOO,BAR' } }],
  ['heroku', 'api', 'Scale to worker=1 by me@example.com', { type: 'api', attrs: { 'api.action': 'scale', 'api.formation': 'worker=1' } }],
  ['app', 'api', 'Detach LOGDNA (@ref:logdna-deep-31633) by user me@example.com', { type: 'api', attrs: { 'api.action': 'detach', 'api.attachment': 'LOGDNA', 'api.addon': 'logdna-deep-31633' } }],
  ['app', 'api', 'Build started by user me@example.com', { type: 'api', exactAttrs: { 'api.action': 'build', 'api.status': 'started', 'api.user': 'me@example.com' } }],
  ['app', 'api', 'Starting process with command bundle exec rails c by user me@example.com', { type: 'api', attrs: { 'api.action': 'run', 'api.command': 'bundle exec rails c', 'api.user': 'me@example.com' } }],
  ['app', 'api', 'Maintenance mode enabled by user me@example.com', { type: 'api', attrs: { 'api.action': 'other', 'api.user': 'me@example.com' } }],
]))

describe('metrics', () => run([
  ['app', 'heroku-pgbouncer', 'source=pgbouncer addon=postgresql-x-1 sample#client_active=56 sample#client_waiting=0 sample#server_active=5 sample#server_idle=3 sample#max_wait=0 sample#avg_query=1290 sample#avg_recv=2048 sample#avg_sent=4096',
    { type: 'pgbouncer_metrics', level: null, attrs: { addon: 'postgresql-x-1', sample_source: 'pgbouncer', 'sample.client_active': 56, 'sample.avg_sent': 4096 } }],
  ['app', 'heroku-postgres', 'source=DATABASE sample#db_size=8945836.0bytes sample#memory-total=4045592.0kB sample#load-avg-1m=0.02 sample#tmp-disk-used=543633408 sample#wal-percentage-used=0.06451981873320072',
    { type: 'postgres_metrics', exactAttrs: { sample_source: 'DATABASE', 'sample.db_size': 8945836, 'sample.memory_total': 4142686208, 'sample.load_avg_1m': 0.02, 'sample.tmp_disk_used': 543633408, 'sample.wal_percentage_used': 0.06451981873320072 } }],
  ['heroku', 'web.1', 'source=web.1 dyno=heroku.1.abc sample#memory_total=1.5GB sample#memory_quota=512.00MB sample#bogus=n/a',
    { type: 'runtime_metrics', exactAttrs: { sample_source: 'web.1', dyno_id: 'heroku.1.abc', 'sample.memory_total': 1610612736, 'sample.memory_quota': 536870912, 'sample.bogus': null } }],
  ['app', 'heroku-postgres', '[DATABASE] [4717-1] LOG:  checkpoint starting: time', { type: 'app', level: 'info' }],
]))

describe('logplex notices', () => run([
  ['app', 'log-shuttle', 'Error L12: 222 messages dropped since 2013-11-04T21:31:32.125756+00:00.', { type: 'logplex', level: 'error', code: 'L12', exactAttrs: { 'logplex.dropped': 222, 'logplex.since': '2013-11-04T21:31:32.125756Z' } }],
  ['heroku', 'logplex', 'Error L10 (output buffer overflow): 7 messages dropped since 2010-10-06T21:51:07-07:00.', { type: 'logplex', code: 'L10', attrs: { 'logplex.dropped': 7, 'logplex.since': '2010-10-07T04:51:07.000000Z' } }],
  ['app', 'log-shuttle', 'just chatting', { type: 'app', code: null }],
]))

describe('app: JSON', () => run([
  ['app', 'web.1', '{"level":"warning","msg":"slow","req":{"method":"GET","headers":{"x":1}},"tags":["a","b"],"n":null}',
    { type: 'app', level: 'warn', exactAttrs: { 'app.level': 'warning', msg: 'slow', 'req.method': 'GET', 'req.headers.x': 1, tags: '["a","b"]', n: null } }],
  ['app', 'web.1', '{"source":"x","message":"m","router":{"a":1},"dyno":"d","request_id":"r-1","app":"me"}',
    { type: 'app', rid: 'r-1', exactAttrs: { 'app.source': 'x', 'app.message': 'm', 'app.router.a': 1, 'app.dyno': 'd', 'app.request_id': 'r-1', 'app.app': 'me' } }],
  ['app', 'web.1', '{"level":10}', { type: 'app', level: 'debug' }],
  ['app', 'web.1', '{"level":20}', { type: 'app', level: 'debug' }],
  ['app', 'web.1', '{"level":40}', { type: 'app', level: 'warn' }],
  ['app', 'web.1', '{"level":50}', { type: 'app', level: 'error' }],
  ['app', 'web.1', '{"level":60}', { type: 'app', level: 'fatal' }],
  ['app', 'web.1', '{"severity":"CRITICAL","requestId":"abc"}', { type: 'app', level: 'fatal', rid: 'abc' }],
  ['app', 'web.1', '{"user":{"password":"hunter2","name":"bob"},"token":"t0k"}',
    { type: 'app', exactAttrs: { 'user.password': '[REDACTED]', 'user.name': 'bob', token: '[REDACTED]' }, msg: '{"user":{"password":"[REDACTED]","name":"bob"},"token":"[REDACTED]"}' }],
  ['app', 'web.1', '{"truncated": "by the 10,000-byte spl', { type: 'app', exactAttrs: {} }],
  ['app', 'web.1', '[1, 2, 3]', { type: 'app', exactAttrs: {} }],
  ['app', 'web.1', '{"__proto__":null,"constructor":"x"}', { type: 'app', exactAttrs: { 'app.__proto__': null, constructor: 'x' } }],
]))

describe('app: logfmt and text', () => run([
  ['app', 'web.1', 'level=error msg="db down" request_id=9f1c0a52-1111-4a7c-8d2b-3c4d5e6f7a8b code=H12 count=3 ok=true',
    { type: 'app', level: 'error', code: 'H12', rid: '9f1c0a52-1111-4a7c-8d2b-3c4d5e6f7a8b', exactAttrs: { 'app.level': 'error', msg: 'db down', 'app.request_id': '9f1c0a52-1111-4a7c-8d2b-3c4d5e6f7a8b', code: 'H12', count: 3, ok: true } }],
  ['app', 'web.1', 'api_key=abc123 user=bob', { type: 'app', exactAttrs: { api_key: '[REDACTED]', user: 'bob' }, msg: 'api_key=[REDACTED] user=bob' }],
  ['app', 'web.1', 'W, [2023-07-17T04:20:44.263473 #2]  WARN -- : slow query', { type: 'app', level: 'warn' }],
  ['app', 'web.1', 'E, [2023-07-17T04:20:44.263473 #2] ERROR -- : boom', { type: 'app', level: 'error' }],
  ['app', 'web.1', '[2021-01-11 15:02:54 +0000] [4] [WARNING] Worker timeout', { type: 'app', level: 'warn' }],
  ['app', 'web.1', 'Traceback (most recent call last):', { type: 'app', level: 'error' }],
  ['app', 'web.1', 'Rack::Timeout::RequestTimeoutException (Request waited 1018ms)', { type: 'app', level: 'error' }],
  ['app', 'web.1', 'Completed 200 OK in 12ms', { type: 'app', level: null }],
  ['app', 'web.1', 'Authorization: Bearer eyJhbGciOi.payload.sig sent', { type: 'app', msg: 'Authorization: [REDACTED] sent' }],
  ['app', 'web.1', 'GET /login?user=bob&password=hunter2&next=/', { type: 'app', msg: 'GET /login?user=bob&password=[REDACTED]&next=/' }],
  ['app', 'web.1', 'Set-Cookie: session=abc; Path=/', { type: 'app', msg: 'Set-Cookie: [REDACTED]; Path=/' }],
  ['app', 'web.1', 'the keyboard has no secrets in it', { type: 'app', msg: 'the keyboard has no secrets in it' }],
  ['app', 'web.1', 'Error R13 (Attach error) -> Failed to attach to process', { type: 'app', level: 'error', code: 'R13' }],
]))
