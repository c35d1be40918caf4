/** Renders rows as an aligned text table for the terminal (wide cells are cut with `…`). */

const MAX_CELL = 80

function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v)
  const flat = s.replace(/\s+/g, ' ')
  return flat.length > MAX_CELL ? flat.slice(0, MAX_CELL - 1) + '…' : flat
}

/** Text table of `rows` with `columns` in order. */
export function renderTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(r[c])))
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)))
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line([...columns]), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n') + '\n'
}
