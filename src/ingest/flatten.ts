/**
 * Turning a JSON object into flat `attrs` (dot paths to scalars), the way app JSON lines are
 * stored (DESIGN.md "App lines"): nested objects become dot paths, arrays and objects nested
 * deeper than {@link MAX_DEPTH} become JSON text, and a top-level key that collides with a
 * built-in name or typed namespace is kept as `app.<key>` (so user data can never clash with a
 * typed path such as `router.status`).
 */
import { RESERVED_TOP_LEVEL, type Attrs } from '../model/index.js'

/** Nesting kept as paths; deeper values are stored as JSON text. */
export const MAX_DEPTH = 8
/** Paths kept per event; the rest are dropped (counted by the caller through the return value). */
export const MAX_PATHS = 512

/** Flatten `obj` into `out`; returns the number of paths dropped over {@link MAX_PATHS}. */
export function flattenInto(out: Record<string, Attrs[string]>, obj: Record<string, unknown>): number {
  let dropped = 0
  const put = (path: string, v: unknown, depth: number): void => {
    if (v === undefined) return
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) if (k !== '') put(`${path}.${k}`, child, depth + 1)
      return
    }
    if (Object.keys(out).length >= MAX_PATHS) { dropped++; return }
    out[path] = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
      ? (v as string | number | boolean | null)
      : JSON.stringify(v)
  }
  for (const [k, v] of Object.entries(obj)) {
    if (k === '') continue
    const top = k.split('.')[0]!
    put(RESERVED_TOP_LEVEL.has(top) || RESERVED_TOP_LEVEL.has(k) ? `app.${k}` : k, v, 1)
  }
  return dropped
}
