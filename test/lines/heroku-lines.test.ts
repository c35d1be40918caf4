/**
 * Every data line of the real-line corpus (test/fixtures/heroku-lines.txt) is a case: its event
 * type, line form, source/proc, level, error code, request id and key fields (EXPECTED).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseHerokuLogsLine, splitHerokuLogsLine } from '../../src/lines/index.js'
import { EXPECTED } from './heroku-lines.expected.js'

const FIXTURE = new URL('../fixtures/heroku-lines.txt', import.meta.url)
const dataLines = readFileSync(FIXTURE, 'utf8').split('\n')
  .map((text, i) => ({ no: i + 1, text }))
  .filter((l) => !l.text.startsWith('#') && l.text.trim() !== '')

describe('heroku-lines.txt corpus', () => {
  it('has an expectation for every data line and none for comment lines', () => {
    expect(dataLines.map((l) => l.no).sort((a, b) => a - b)).toEqual(Object.keys(EXPECTED).map(Number).sort((a, b) => a - b))
  })

  for (const { no, text } of dataLines) {
    it(`${no}: ${text.slice(0, 110)}`, () => {
      const want = EXPECTED[no]!
      const split = splitHerokuLogsLine(text, 2020)
      const e = parseHerokuLogsLine(text, { year: 2020, fallbackMicros: 0 })
      expect(split.form).toBe(want.form ?? 'heroku-logs')
      expect(e.eventType).toBe(want.type)
      expect({ source: e.source, proc: e.proc }).toEqual({ source: want.source, proc: want.proc })
      expect(e.level).toBe(want.level)
      expect(e.errorCode).toBe(want.code ?? null)
      expect(e.requestId).toBe(want.rid ?? null)
      if (want.attrs) expect(e.attrs).toMatchObject(want.attrs)
      if (want.msg !== undefined) expect(e.message).toBe(want.msg)
      // A line that carries a time is dated by it, never by the fallback.
      if (split.form !== 'message-only' || !Number.isNaN(split.tsMicros)) expect(e.tsMicros).not.toBe(0)
    })
  }
})
