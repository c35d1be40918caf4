/**
 * Golden tests (PRQL-style): every `golden/*.sluiceql` compiles to the `.sql`, `.params.json` and
 * `.english.txt` snapshots next to it. Leading `# key: value` comments set `ts`, `timezone`,
 * `params` and `limit`; "now" is fixed at 2024-05-01T03:00:00Z. A change in output shows as a diff;
 * `npx vitest run test/query -u` rewrites the snapshots after a deliberate change.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compileQuery, parseTimeRange } from '../../src/query/index.js'
import { LIMITS } from './fixture.js'

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden')
const NOW = new Date('2024-05-01T03:00:00Z')
const files = readdirSync(DIR).filter((f) => f.endsWith('.sluiceql')).sort()

/** Options from the leading `# key: value` comment lines. */
function header(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^#\s*(ts|timezone|params|limit):\s*(.*)$/.exec(line)
    if (!m) break
    out[m[1]!] = m[2]!.trim()
  }
  return out
}

describe('golden queries', () => {
  it('has at least 40 golden queries', () => {
    expect(files.length).toBeGreaterThanOrEqual(40)
  })
  for (const file of files) {
    const text = readFileSync(join(DIR, file), 'utf8')
    const base = file.replace(/\.sluiceql$/, '')
    it(text.trim(), async () => {
      const h = header(text)
      const timezone = h.timezone ?? 'UTC'
      const range = parseTimeRange(h.ts, timezone, NOW)
      if (!range.ok) throw new Error(range.error.message)
      const r = compileQuery(text, {
        projectId: 'proj_1', range: range.range, timezone, limits: LIMITS,
        ...(h.params ? { params: JSON.parse(h.params) as Record<string, unknown> } : {}),
        ...(h.limit ? { limit: Number(h.limit) } : {}),
      })
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}\n${r.error.excerpt}`)
      await expect(r.query.sql + '\n').toMatchFileSnapshot(join(DIR, `${base}.sql`))
      await expect(JSON.stringify({ params: r.query.params, columns: r.query.columns }, null, 2) + '\n').toMatchFileSnapshot(join(DIR, `${base}.params.json`))
      await expect(r.query.english + '\n').toMatchFileSnapshot(join(DIR, `${base}.english.txt`))
    })
  }
})
