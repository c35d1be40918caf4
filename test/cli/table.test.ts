/** The CLI's text table: log text can carry terminal escapes and wide characters. */
import stringWidth from 'string-width'
import { describe, expect, it } from 'vitest'
import { renderTable } from '../../src/cli/table.js'

describe('renderTable', () => {
  it('shows control characters instead of sending them to the terminal (an ANSI escape in a log line)', () => {
    const out = renderTable(['message'], [{ message: 'login \x1b[31mfailed\x1b[0m\x07 \x1b]0;pwned\x07 bell\u009b2J' }])
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/)
    expect(out).toContain('login \\x1b[31mfailed\\x1b[0m\\x07 \\x1b]0;pwned\\x07 bell\\x9b2J')
  })

  it('lines up columns by display width: CJK and emoji take two columns', () => {
    const out = renderTable(['path', 'n'], [{ path: '/日本語', n: 1 }, { path: '/ascii-path', n: 22 }, { path: '/😀😀', n: 333 }])
    const lines = out.trimEnd().split('\n')
    const starts = lines.map((l) => stringWidth(l.slice(0, l.search(/\S+$/))))
    expect(new Set(starts).size).toBe(1)
  })

  it('cuts a long cell at 80 columns on a character boundary, with …', () => {
    const out = renderTable(['m'], [{ m: '😀'.repeat(100) }, { m: 'x'.repeat(200) }])
    const [, , a, b] = out.split('\n')
    for (const l of [a!, b!]) {
      expect(l.endsWith('…')).toBe(true)
      expect(stringWidth(l)).toBeLessThanOrEqual(80)
      expect(l).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
    }
  })
})
