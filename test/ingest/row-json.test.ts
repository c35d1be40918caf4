/**
 * The row writer's line for one parsed router line: every value lands in its named column, the
 * router fields in their promoted columns, nothing duplicated into `attrs` (router.request_id is
 * the row's request_id, not stored twice).
 */
import { describe, expect, it } from 'vitest'
import { INSERT_ROWS_SQL, ROW_COLUMNS, rowJson } from '../../src/ingest/row-json.js'
import { parseLogplexBody } from '../../src/logplex/index.js'

const line = '<158>1 2024-05-01T12:00:00.123456+00:00 host heroku router - at=info method=GET path="/users/42?x=1" host=myapp.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="1.2.3.4" dyno=web.1 connect=1ms service=18ms status=200 bytes=1980 protocol=https'
const body = Buffer.from(`${Buffer.byteLength(line)} ${line}`)

describe('row line (JSONCompactEachRow)', () => {
  it('names every column it writes, in order, and puts each value in its column', () => {
    const [e] = parseLogplexBody(body).events
    const text = rowJson({ ...e!, projectId: 'p1', environment: 'production', app: 'shop', drain: 'd.1', frameId: 'F1', id: '00000000-0000-4000-8000-000000000001', receivedMicros: Date.UTC(2024, 4, 1, 12, 0, 1) * 1000, retentionDays: 30 })
    expect(text.endsWith('\n')).toBe(true)
    const values = JSON.parse(text) as unknown[]
    expect(values).toHaveLength(ROW_COLUMNS.length)
    expect(INSERT_ROWS_SQL).toContain(`(${ROW_COLUMNS.join(', ')})`)
    const row = Object.fromEntries(ROW_COLUMNS.map((c, i) => [c, values[i]]))
    expect(row).toMatchObject({
      project_id: 'p1', environment: 'production', app: 'shop', drain: 'd.1', frame_id: 'F1', retention_days: 30,
      received_ts: '2024-05-01 12:00:01.000000', ts: '2024-05-01 12:00:00.123456', event_type: 'router',
      request_id: '8601b555-6a83-4c12-8269-97c8e32cdb22', router_path: '/users/42?x=1', router_route: '/users/:id',
      router_service: 18, router_status: 200, router_bytes: 1980, attrs: {},
    })
    expect(ROW_COLUMNS).not.toContain('router_request_id')
  })
})
