/**
 * Field names → SQL, through the one field table (src/model/fields.ts). Identifiers in the SQL
 * come only from that table; an app's own JSON keys (dynamic paths) are bound as a parameter of
 * `getSubcolumn(attrs, {pN:String})`, so no user text ever becomes an identifier.
 */
import { BUILTIN_FIELDS, FIELDS, type FieldDef } from '../model/index.js'
import { fail, type Span } from './errors.js'
import type { Params } from './params.js'
import { closest, editDistance } from './suggest.js'
import { settle, sql, type Sql, type Ty } from './types.js'

/** Namespaces whose fields are all declared: a name there must be in the field table. */
const CLOSED_NAMESPACES = new Set(['router', 'dyno', 'api', 'logplex', 'error', 'request'])
const SAFE_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/
const ALL_NAMES = FIELDS.map((f) => f.name)

/** Quote an identifier from the field table (never user text) for SQL. */
const ident = (seg: string): string => (SAFE_SEGMENT.test(seg) ? seg : `\`${seg.replace(/[`\\]/g, '')}\``)

/** SQL of a declared field. */
function declared(def: FieldDef): Sql {
  const ty: Ty = def.type
  switch (def.storage.kind) {
    case 'column':
      return sql(ident(def.storage.column), ty)
    case 'attr': {
      // A dynamic JSON path: the stored value keeps its own type (Int64, Float64, String…), so it
      // is read with a cast to the declared type.
      const path = sql(`attrs.${def.storage.path.split('.').map(ident).join('.')}`, 'dynamic')
      return ty === 'uuid' ? settle(path, 'string') : settle(path, ty)
    }
    case 'computed':
      return sql(def.storage.sql, ty)
  }
}

const DECLARED: ReadonlyMap<string, Sql> = new Map(FIELDS.map((f) => [f.name, declared(f)]))

/**
 * Resolve an event field. `quoted` names (backticks) are taken as dynamic paths without the
 * typo check, which is the escape hatch for an app key that looks like a misspelt built-in.
 */
export function eventField(name: string, span: Span, quoted: boolean, params: Params): Sql {
  const known = DECLARED.get(name)
  if (known) return known
  const first = name.split('.')[0]!
  const guess = closest(name, ALL_NAMES)
  if (name.startsWith('@') || CLOSED_NAMESPACES.has(first)) {
    fail('unknown_field', `unknown field \`${name}\``, span, guess ? `did you mean \`${guess}\`?` : 'see the field reference (docs/fields.md)')
  }
  if (!quoted && !name.includes('.')) {
    const near = BUILTIN_FIELDS.find((f) => !f.name.startsWith('@') && editDistance(name, f.name) <= 2 && name.length > 3)
    if (near) fail('unknown_field', `unknown field \`${name}\``, span, `did you mean \`${near.name}\`? (write \`\\\`${name}\\\`\` for an app's own key)`)
  }
  if (name.length > 256 || /[\u0000-\u001f]/.test(name) || name.split('.').some((s) => s === '')) {
    fail('bad_field', `\`${name}\` is not a valid field path`, span)
  }
  return sql(`getSubcolumn(attrs, ${params.bind(name, 'String')})`, 'dynamic')
}
