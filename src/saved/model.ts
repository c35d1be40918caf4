/** Saved queries: the shape users and the built-in files share. */
import { z } from 'zod'

/** A query parameter with an optional default (`${name}` / `${name:-default}` in the text). */
export const paramSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a parameter name is letters, digits and _'),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  description: z.string().max(500).optional(),
})

/** Chart settings a page can use to draw the result. */
export const chartSchema = z.object({
  type: z.enum(['table', 'line', 'bar', 'area', 'pie', 'number']),
  x: z.string().max(200).optional(),
  y: z.array(z.string().max(200)).max(20).optional(),
  series: z.string().max(200).optional(),
})

/** Body of POST/PUT /v1/queries. */
export const savedQueryInput = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  query: z.string().min(1).max(20_000),
  default_ts: z.string().max(100).default('PT3H'),
  chart: chartSchema.nullable().default(null),
  params: z.array(paramSchema).max(50).default([]),
})

/** Validated input. */
export type SavedQueryInput = z.infer<typeof savedQueryInput>

/** A saved query as the API returns it. */
export interface SavedQuery extends SavedQueryInput {
  readonly id: string
  readonly builtin: boolean
  readonly created_at: string | null
  readonly updated_at: string | null
}

/** Parameter values for a run: given values over declared defaults. */
export function resolveParams(q: SavedQuery, given: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const p of q.params) if (p.default !== undefined) out[p.name] = p.default
  return { ...out, ...(given ?? {}) }
}
