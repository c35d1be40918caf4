/** Error notices (`POST /v1/notices`, Honeybadger's format) through the app into the embedded store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openHarness, type Harness } from './harness.js'

let h: Harness
beforeAll(async () => { h = await openHarness({ noticesPerMinute: 5 }) })
afterAll(async () => { await h.close() })

const post = (body: string, headers: Record<string, string> = { 'x-api-key': 'key-alpha' }) =>
  h.app.request('/v1/notices?app=shop', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

const NOTICE = {
  notifier: { name: 'honeybadger-ruby', version: '5.4.0', url: 'https://github.com/honeybadger-io/honeybadger-ruby' },
  error: {
    class: 'NoMethodError',
    message: "undefined method `name' for nil",
    tags: ['billing'],
    backtrace: [
      { number: '12', file: '[PROJECT_ROOT]/vendor/bundle/gems/rack/lib/rack.rb', method: 'call' },
      { number: '10', file: '[PROJECT_ROOT]/app/models/user.rb', method: 'display_name' },
      { number: '5', file: '[PROJECT_ROOT]/app/controllers/users_controller.rb', method: 'show' },
    ],
    causes: [{ class: 'ArgumentError', message: 'bad', backtrace: [] }],
  },
  request: {
    url: 'https://example.com/users/1', component: 'UsersController', action: 'show',
    params: { id: '1', password: 'hunter2', user: { api_key: 'abc', name: 'x' } },
    session: { session_id: 's3cr3t', cart: 2 },
    cgi_data: { HTTP_AUTHORIZATION: 'Bearer t0k3n', HTTP_USER_AGENT: 'curl', REQUEST_METHOD: 'GET' },
    context: { request_id: 'req-9' },
  },
  server: { project_root: '/app', environment_name: 'production', hostname: 'web.1', revision: 'abc123', pid: 42 },
  breadcrumbs: { enabled: true, trail: [{ message: 'SQL', category: 'query', metadata: { token: 'x' }, timestamp: '2024-01-01T00:00:00Z' }] },
}

describe('notices', () => {
  it('a Honeybadger Ruby notice → 201 {id}; stored as a notice event with typed error/request fields, secrets redacted', async () => {
    const res = await post(JSON.stringify(NOTICE))
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: string }
    const [r] = await h.rows<Record<string, unknown>>(`SELECT event_type, level, environment, app, proc, request_id, message,
        attrs.error.class AS class, attrs.error.message AS emsg, attrs.error.fingerprint AS fp, attrs.error.backtrace AS bt,
        attrs.request.url AS url, attrs.request.component AS component, attrs.request.action AS action,
        toString(attrs.request.params) AS params, toString(attrs.request.session) AS session, toString(attrs.request.cgi_data) AS cgi,
        toString(attrs.breadcrumbs.trail) AS trail, attrs.server.revision AS rev
      FROM events WHERE id = {id:UUID}`, { id })
    expect(r).toMatchObject({
      event_type: 'notice', level: 'error', environment: 'production', app: 'shop', proc: 'web.1', request_id: 'req-9',
      message: "NoMethodError: undefined method `name' for nil", class: 'NoMethodError', emsg: "undefined method `name' for nil",
      url: 'https://example.com/users/1', component: 'UsersController', action: 'show', rev: 'abc123',
      bt: '[PROJECT_ROOT]/vendor/bundle/gems/rack/lib/rack.rb:12:in `call`\n[PROJECT_ROOT]/app/models/user.rb:10:in `display_name`\n[PROJECT_ROOT]/app/controllers/users_controller.rb:5:in `show`',
    })
    expect(JSON.parse(r!['params'] as string)).toEqual({ id: '1', password: '[FILTERED]', user: { api_key: '[FILTERED]', name: 'x' } })
    expect(JSON.parse(r!['session'] as string)).toEqual({ session_id: '[FILTERED]', cart: 2 })
    expect(JSON.parse(r!['cgi'] as string)).toEqual({ HTTP_AUTHORIZATION: '[FILTERED]', HTTP_USER_AGENT: 'curl', REQUEST_METHOD: 'GET' })
    expect(r!['trail']).not.toContain('"x"')
    expect(r!['fp']).toMatch(/^[0-9a-f]{40}$/)
  })

  it('same class + same in-project frames on other lines → same derived fingerprint; a given fingerprint is kept', async () => {
    const moved = structuredClone(NOTICE)
    moved.error.backtrace[1]!.number = '99'
    moved.error.message = 'other message'
    const given = structuredClone(NOTICE) as typeof NOTICE & { error: { fingerprint?: string } }
    given.error.fingerprint = 'my-group'
    const ids = await Promise.all([post(JSON.stringify(NOTICE)), post(JSON.stringify(moved)), post(JSON.stringify(given))].map(async (p) => ((await (await p).json()) as { id: string }).id))
    const fps = await Promise.all(ids.map(async (id) => (await h.rows<{ fp: string }>(`SELECT attrs.error.fingerprint AS fp FROM events WHERE id = {id:UUID}`, { id }))[0]!.fp))
    expect(fps[0]).toBe(fps[1])
    expect(fps[2]).toBe('my-group')
  })

  it.each([
    ['no key → 403 bad_key', JSON.stringify(NOTICE), {}, 403, 'bad_key'],
    ['a wrong key → 403 bad_key', JSON.stringify(NOTICE), { 'x-api-key': 'nope' }, 403, 'bad_key'],
    ['a body that is not JSON → 422 unprocessable', '{"error": ', { 'x-api-key': 'key-alpha' }, 422, 'unprocessable'],
    ['JSON without error.class → 422 unprocessable', '{"error":{"message":"x"}}', { 'x-api-key': 'key-alpha' }, 422, 'unprocessable'],
    ['a body over 655,360 bytes → 413 body_too_large', JSON.stringify({ ...NOTICE, pad: 'x'.repeat(655_361) }), { 'x-api-key': 'key-alpha' }, 413, 'body_too_large'],
  ] as const)('%s', async (_n, body, headers, status, code) => {
    const res = await post(body, headers)
    expect(res.status).toBe(status)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code)
  })

  it('more than 5 notices a minute (limit 5) → 429 with Retry-After', async () => {
    const res = await post(JSON.stringify(NOTICE), { 'x-api-key': 'key-alpha' })
    // 4 were accepted above; this is the 5th or beyond.
    const more = await post(JSON.stringify(NOTICE), { 'x-api-key': 'key-alpha' })
    expect([res.status, more.status]).toContain(429)
    const limited = res.status === 429 ? res : more
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })
})
