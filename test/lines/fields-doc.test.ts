/** docs/fields.md is generated from src/model/fields.ts and must not be stale. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FIELDS } from '../../src/model/index.js'
import { renderFieldsDoc } from '../../scripts/fields-doc.js'

describe('docs/fields.md', () => {
  it('equals the rendering of src/model/fields.ts (run `npm run docs:fields` when this fails)', () => {
    expect(readFileSync(new URL('../../docs/fields.md', import.meta.url), 'utf8')).toBe(renderFieldsDoc())
  })
  it('documents every declared field exactly once', () => {
    const md = renderFieldsDoc()
    for (const f of FIELDS) expect(md.split(`| \`${f.name}\` |`).length - 1).toBe(1)
  })
})
