/**
 * Malformed queries → the exact error: stable code, 1-based line and column, and the hint.
 * Title = the query. `hint` is a substring the hint must contain (null: no hint).
 */
import { describe, expect, it } from 'vitest'
import { compileQuery } from '../../src/query/index.js'
import { ctxFor } from './fixture.js'

const CASES: readonly [string, string, number, number, string | null][] = [
  ['', 'empty_query', 1, 1, 'filter router.status'],
  ['filtr router.status >= 500', 'unknown_stage', 1, 1, 'did you mean `filter`?'],
  ['filter router.staus >= 500', 'unknown_field', 1, 8, 'did you mean `router.status`?'],
  ['filter router.status >= ', 'syntax_error', 1, 25, null],
  ['filter message == "abc', 'unterminated_string', 1, 19, 'close it with "'],
  ['stats count() by router.path | sort coutn desc', 'unknown_field', 1, 37, 'only its columns exist: `router.path`, `count()`'],
  ['filter count() > 5', 'aggregate_outside_stats', 1, 8, 'aggregates belong in `stats`'],
  ['filter message > 5', 'type_mismatch', 1, 8, 'add `::int` or compare with a string'],
  ['filter router.status == "500"', 'type_mismatch', 1, 8, 'add `::int` or compare with a string'],
  ['stats router.path', 'not_aggregate', 1, 7, 'put plain fields after `by`'],
  ['filter router.status >= 500 |', 'syntax_error', 1, 30, null],
  ['filter foo(1)', 'unknown_function', 1, 8, null],
  ['filter lowercas(message) == "x"', 'unknown_function', 1, 8, 'did you mean `lowercase`?'],
  ['filter x::integer2 > 1', 'unknown_type_hint', 1, 11, 'use `::int`'],
  ['stats percentile(150, router.service)', 'bad_argument', 1, 18, null],
  ['filter round(1, 2, 3) > 1', 'wrong_arity', 1, 8, null],
  ['filter router.status == ${status}', 'missing_param', 1, 25, 'pass params.status'],
  ['filter message match /(?=x)/', 'bad_regex', 1, 22, 'RE2 has no'],
  ['filter message match /abc', 'unterminated_regex', 1, 22, 'close it with `/`'],
  ['filter message == "a" and', 'syntax_error', 1, 26, null],
  ['fields urlparameter(router.path, proc) as u', 'bad_argument', 1, 34, 'urlparameter(router.path, "page")'],
  ['filter [1, 2]::int > 0', 'type_mismatch', 1, 8, 'index it first'],
  ['fields json(message, "a\\"b") as v', 'bad_argument', 1, 22, 'e.g. "user.emails[0]"'],
  ['fields json(message, "$.a b") as v', 'bad_argument', 1, 22, 'e.g. "user.emails[0]"'],
  ['fields toint(["a"]) as n', 'type_mismatch', 1, 14, 'index it first'],
  ['filter router.status >= 500\n| stats count() by router.path\n| sort n desc', 'unknown_field', 3, 8, 'only its columns exist'],
  ['fill x', 'fill_needs_stats', 1, 1, 'stats count() by bin(1h)'],
  ['limit -5', 'syntax_error', 1, 7, null],
  ['limit many', 'bad_argument', 1, 7, 'limit 20'],
  ['filter tags[*] == "a"', 'bad_argument', 1, 8, 'expand tags[*]'],
  ['expand tags', 'bad_argument', 1, 8, 'expand tags[*]'],
  ['fields router.status as project_id', 'reserved_name', 1, 8, 'choose another name'],
  ['fields 1 as `a"b`', 'bad_alias', 1, 8, 'use letters, digits'],
  ['filter 5m > 1', 'type_mismatch', 1, 8, null],
  ['filter @ts > "yesterday-ish"', 'bad_datetime', 1, 14, 'ISO-8601'],
  ['filter message ! "x"', 'unexpected_character', 1, 16, 'write `!=`'],
  ['filter 12abc > 1', 'bad_number', 1, 8, 'durations look like'],
  ['stats first(n) as f | stats first(f)', 'bad_argument', 1, 29, null],
  ['filter enviroment == "production"', 'unknown_field', 1, 8, 'did you mean `environment`?'],
  ['filter @tss > 1', 'unknown_field', 1, 8, 'did you mean `@ts`?'],
  ['sort router.status desc asc', 'syntax_error', 1, 25, null],
  ['parse message /no captures/', 'bad_regex', 1, 15, '(?<name>…)'],
  ['filter "a" + "b" == "ab"', 'type_mismatch', 1, 8, 'concat(a, b)'],
  ['filter message in "abc"', 'bad_argument', 1, 19, null],
  ['filter x between 1', 'syntax_error', 1, 19, null],
  ['stats count() by bin(5)', 'bad_argument', 1, 18, null],
  ['filter toTimezone(@ts, "Mars/Base") > now()', 'bad_argument', 1, 24, null],
  ['filter router.status >= 500\n  | stats count() by router.path\n  | where sum(router.service) > 1', 'aggregate_outside_stats', 3, 11, 'aggregates belong in `stats`'],
  ['filter not', 'syntax_error', 1, 11, null],
  ['stats count() by router.path as `x`y', 'syntax_error', 1, 36, null],
]

describe('query errors', () => {
  for (const [q, code, line, column, hint] of CASES) {
    it(q === '' ? '(empty query)' : q, () => {
      const r = compileQuery(q, ctxFor())
      if (r.ok) throw new Error(`compiled: ${r.query.sql}`)
      expect({ code: r.error.code, line: r.error.line, column: r.error.column }).toEqual({ code, line, column })
      if (hint === null) expect(r.error.hint).toBeUndefined()
      else expect(r.error.hint).toContain(hint)
      // The excerpt shows the offending line with a caret under the error's column.
      const [text, caret] = r.error.excerpt.split('\n')
      expect(text).toBe(q.split('\n')[line - 1])
      expect(caret!.indexOf('^')).toBe(column - 1)
    })
  }
})
