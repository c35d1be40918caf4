/** `npm run docs:fields`: regenerate docs/fields.md from src/model/fields.ts. */
import { writeFileSync } from 'node:fs'
import { renderFieldsDoc } from './fields-doc.js'

const out = new URL('../docs/fields.md', import.meta.url)
writeFileSync(out, renderFieldsDoc())
process.stdout.write(`wrote ${out.pathname}\n`)
