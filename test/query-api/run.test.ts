import { describe, expect, it } from 'vitest'
import { spillSettings, storeQueryError, trailingException, withSettings } from '../../src/query-api/run.js'
import { compileQuery } from '../../src/query/index.js'

describe('query runner', () => {
  it.each([
    ['{"meta":[],"data":[{"a":1},\nCode: 241. DB::Exception: (total) memory limit exceeded: would use 1.00 GiB. (MEMORY_LIMIT_EXCEEDED) (version 26.7.2.1)', 'MEMORY_LIMIT_EXCEEDED', 'query_memory_limit'],
    ['{"data":[\nCode: 159. DB::Exception: Timeout exceeded: elapsed 30.1 seconds. (TIMEOUT_EXCEEDED)', 'TIMEOUT_EXCEEDED', 'query_timeout'],
  ])('an exception written after the rows began is a clear error: %#', (text, type, code) => {
    const e = trailingException(text)!
    expect(e.type).toBe(type)
    expect(storeQueryError(e).code).toBe(code)
    expect(storeQueryError(e).status).toBe(422)
  })
  it('clean output has no trailing exception', () => {
    expect(trailingException('{"data":[{"message":"Code: 1 in a log line"}]}')).toBeNull()
  })
  it('settings go in the statement’s own SETTINGS clause; names and values are checked', () => {
    expect(withSettings('SELECT 1', { readonly: 2, result_overflow_mode: 'throw' })).toBe("SELECT 1\nSETTINGS readonly = 2, result_overflow_mode = 'throw'")
    expect(() => withSettings('SELECT 1', { 'x; DROP': 1 })).toThrow()
    expect(() => withSettings('SELECT 1', { a: "x' OR 1" })).toThrow()
  })
  it('big GROUP BYs and sorts spill to disk past half the query memory', () => {
    expect(spillSettings(1024)).toEqual({ max_bytes_before_external_group_by: 512 * 1024 * 1024, max_bytes_before_external_sort: 512 * 1024 * 1024 })
  })
})

describe('newest-first narrowing', () => {
  const ctx = { projectId: 'p', range: { fromMicros: 0, toMicros: 7 * 86_400e6 }, timezone: 'UTC', limits: { maxExecutionSeconds: 30, maxRowsToRead: 1e9, maxResultRows: 1e4, defaultLimit: 1000, maxLimit: 1e4 } }
  it.each([
    ['filter message like "%x%" | fields @ts, message | sort @ts desc | limit 100', { fromParam: 'p1', toParam: 'p2', limit: 100 }],
    ['filter router.status >= 500', { fromParam: 'p1', toParam: 'p2', limit: 1000 }],
    ['stats count() by router.status', undefined],
    ['sort @ts asc | limit 5', undefined],
    ['limit 5 | sort @ts desc', undefined],
    ['limit 2 by router.path', undefined],
  ])('%s', (text, want) => {
    const r = compileQuery(text, ctx)
    if (!r.ok) throw new Error(r.error.message)
    expect(r.query.newestFirst).toEqual(want)
  })
})
