/**
 * Built-in saved queries for Heroku: one `queries/*.sluiceql` file each, available in every project.
 * A file is the query text, preceded by `# key: value` header lines (name, description, ts, chart,
 * x, y, series, param). They are compiled at start; a broken one stops the process (and fails CI).
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { savedQueryInput, type SavedQuery } from './model.js'

/** Where the built-in files live. */
export const BUILTIN_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'queries')

/** Parse one built-in file's text. Throws with the file name on a bad header. */
export function parseBuiltin(id: string, text: string): SavedQuery {
  const header: Record<string, string> = {}
  const params: { name: string; default?: string | number; description?: string }[] = []
  const lines = text.split('\n')
  let i = 0
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-z_]+):\s*(.*)$/.exec(lines[i]!)
    if (!m) break
    const [, key, value] = m as unknown as [string, string, string]
    if (key === 'param') {
      // `# param: name = default — description`
      const p = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*([^—]*?))?\s*(?:—\s*(.*))?$/.exec(value.trim())
      if (!p) throw new Error(`${id}: bad param line ${JSON.stringify(value)}`)
      params.push({ name: p[1]!, ...(p[2] ? { default: numberOrString(p[2]) } : {}), ...(p[3] ? { description: p[3] } : {}) })
    } else header[key] = value.trim()
  }
  const query = lines.slice(i).join('\n').trim()
  const chart = header.chart
    ? { type: header.chart, ...(header.x ? { x: header.x } : {}), ...(header.y ? { y: header.y.split(',').map((s) => s.trim()) } : {}), ...(header.series ? { series: header.series } : {}) }
    : null
  const parsed = savedQueryInput.safeParse({ name: header.name, description: header.description ?? '', query, default_ts: header.ts ?? 'PT3H', chart, params })
  if (!parsed.success) throw new Error(`${id}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`)
  return { ...parsed.data, id, builtin: true, created_at: null, updated_at: null }
}

/** Every built-in query, sorted by id (`builtin:<file name without extension>`). */
export function loadBuiltins(dir = BUILTIN_DIR): SavedQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sluiceql'))
    .sort()
    .map((f) => parseBuiltin(`builtin:${f.replace(/\.sluiceql$/, '')}`, readFileSync(path.join(dir, f), 'utf8')))
}

/** `1000` → 1000, `"x"` → x, anything else as written. */
function numberOrString(v: string): string | number {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v)
  const q = /^"(.*)"$/.exec(v)
  return q ? q[1]! : v
}
