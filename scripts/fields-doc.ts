/**
 * Renders the field reference (src/model/fields.ts) as docs/fields.md. The file is generated
 * (`npm run docs:fields`) and a test fails when it is stale, so the doc cannot drift from the table.
 */
import { API_FIELDS, BUILTIN_FIELDS, DYNO_FIELDS, FIELDS, LOGPLEX_FIELDS, NOTICE_FIELDS, ROUTER_FIELDS, SAMPLE_FIELDS, type FieldDef } from '../src/model/index.js'

const SECTIONS: readonly (readonly [string, string, readonly FieldDef[]])[] = [
  ['Built-in fields', 'Every event has these (real columns of `events`, or computed from them).', BUILTIN_FIELDS],
  ['Router — `router.*`', 'Heroku router lines (`heroku[router]`). Empty values are null, never "".', ROUTER_FIELDS],
  ['Dyno — `dyno.*`', 'Dyno manager lines (`heroku[web.1]`, `heroku[run.3]`…).', DYNO_FIELDS],
  ['API — `api.*`', 'Platform API lines (`app[api]`; `heroku[api]` before ~2017) and slug compiler lines.', API_FIELDS],
  ['Logplex — `logplex.*`', 'L10/L11/L12/L13 drop notices.', LOGPLEX_FIELDS],
  ['Metrics — `sample.*`', '`sample#` metrics (runtime, Postgres, Redis, PgBouncer) as numbers: key dashes become underscores, sizes are bytes. Keys not listed are still stored and queryable.', SAMPLE_FIELDS],
  ['Error notices', 'Fields of `notice` events (`POST /v1/notices`).', NOTICE_FIELDS],
]

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function storage(f: FieldDef): string {
  switch (f.storage.kind) {
    case 'column': return `column \`${f.storage.column}\``
    case 'attr': return `\`attrs.${f.storage.path}\` ${f.storage.chType}`
    case 'computed': return `computed: \`${f.storage.sql}\``
  }
}

/** docs/fields.md as a string. */
export function renderFieldsDoc(): string {
  let md = '# Field reference\n\n'
  md += 'Generated from `src/model/fields.ts` by `npm run docs:fields` — do not edit by hand (a test fails when this file is stale).\n\n'
  md += 'App lines add their own fields: JSON objects and logfmt keys become top-level fields (nested objects as dot paths); a key whose first segment collides with a built-in or namespace name is kept as `app.<key>`.\n\n'
  // Fields added to FIELDS outside the known groups still get documented.
  const listed = new Set(SECTIONS.flatMap(([, , fs]) => fs.map((f) => f.name)))
  const other = FIELDS.filter((f) => !listed.has(f.name))
  const sections = other.length === 0 ? SECTIONS : [...SECTIONS, ['Other fields', 'Declared in the field table outside the groups above.', other] as const]
  for (const [title, intro, fields] of sections) {
    md += `## ${title}\n\n${intro}\n\n| field | type | unit | kinds | storage | example | meaning |\n|---|---|---|---|---|---|---|\n`
    for (const f of fields) {
      const kinds = f.kinds === 'all' ? 'all' : f.kinds.join(', ')
      md += `| \`${f.name}\` | ${f.type} | ${f.unit ?? ''} | ${kinds} | ${cell(storage(f))} | ${cell(f.example)} | ${cell(f.doc)} |\n`
    }
    md += '\n'
  }
  return md
}
