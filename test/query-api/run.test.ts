import { describe, expect, it } from 'vitest'
import { spillSettings, storeQueryError, trailingException, withSettings } from '../../src/query-api/run.js'
import { newestFirstShape } from '../../src/query-api/newest-first.js'

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
  it.each([
    ["SELECT ts AS `@ts`, message AS `message`\nFROM events\nWHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (like(message, {p3:String}))\nORDER BY ts DESC\nLIMIT {p4:UInt64}", { from: 'p1', to: 'p2', limit: 'p4' }],
    ["SELECT count() AS `count()`\nFROM events\nWHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}\nGROUP BY x\nORDER BY ts DESC\nLIMIT {p3:UInt64}", null],
    ["SELECT * FROM (SELECT ts FROM events\nWHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}) FROM x\nORDER BY ts DESC\nLIMIT {p3:UInt64}", null],
    ["SELECT ts\nFROM events\nWHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}\nORDER BY ts ASC\nLIMIT {p3:UInt64}", null],
  ])('shape of %#', (sql, want) => {
    expect(newestFirstShape(sql)).toEqual(want)
  })
})
