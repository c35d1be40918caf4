/**
 * Renders rows as an aligned text table for the terminal (wide cells are cut with `…`).
 *
 * Cells hold log text, which can carry control characters: an ANSI escape in a log line printed
 * as is would recolour, move the cursor in or retitle the user's terminal. So control characters
 * are shown as `\xNN` (tabs and newlines become spaces first). Widths are display columns, not
 * UTF-16 units (`string-width`: CJK and emoji take two), so the columns line up.
 */
import stringWidth from 'string-width'

const MAX_CELL = 80

// C0 controls (whitespace is collapsed to spaces before), DEL, and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g

function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v)
  const flat = s.replace(/[\t\n\r\v\f ]+/g, ' ').replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  return stringWidth(flat) > MAX_CELL ? cut(flat, MAX_CELL - 1) + '…' : flat
}

/** The longest prefix of whole code points at most `width` columns wide. */
function cut(s: string, width: number): string {
  let out = ''
  let w = 0
  for (const ch of s) {
    const cw = stringWidth(ch)
    if (w + cw > width) break
    out += ch
    w += cw
  }
  return out
}

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - stringWidth(s)))

/** Text table of `rows` with `columns` in order. */
export function renderTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const head = columns.map((c) => cell(c))
  const cells = rows.map((r) => columns.map((c) => cell(r[c])))
  const widths = head.map((h, i) => Math.max(stringWidth(h), ...cells.map((r) => stringWidth(r[i]!))))
  const line = (vals: string[]) => vals.map((v, i) => pad(v, widths[i]!)).join('  ').trimEnd()
  return [line(head), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n') + '\n'
}
