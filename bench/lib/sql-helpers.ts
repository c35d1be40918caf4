/**
 * Small SQL-text helpers for the in-engine event generator. Every value they render comes from
 * bench code (constants, templates), never from user input. Randomness is `cityHash64(number, k)`:
 * deterministic per row and independent per stream `k`, so a row can be rebuilt and one row's
 * fields are correlated only where the generator says so.
 */

/** A ClickHouse string literal. */
export const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/** An Array(String) literal. */
export const arr = (xs: readonly string[]): string => `[${xs.map(lit).join(', ')}]`

/** A random UInt64 of stream `k` for the current row. */
export const h = (k: number): string => `cityHash64(number, ${k})`

/** A uniform Float64 in [0, 1) of stream `k`. */
export const u = (k: number): string => `(cityHash64(number, ${k}) / 18446744073709551616.0)`

/** One element of `xs`, uniformly, from stream `k`. */
export const pick = (xs: readonly string[], k: number): string => `${arr(xs)}[1 + ${h(k)} % ${xs.length}]`

/** `concat(…)` of SQL expressions and literal text (strings starting with `'` are literals already). */
export const cat = (...parts: readonly string[]): string => `concat(${parts.join(', ')})`

/**
 * A JSON object text from `[key, sqlExpr, kind]` entries: 'num' and 'str' values as is, 'optstr'
 * left out when the value is '' (the parsers store no empty values). An 'optstr' never comes first.
 */
export function jsonObject(entries: readonly (readonly [string, string, 'str' | 'num' | 'optstr'])[]): string {
  const parts: string[] = []
  entries.forEach(([key, expr, kind], i) => {
    const sep = i === 0 ? '' : ','
    if (kind === 'num') parts.push(lit(`${sep}"${key}":`), `toString(${expr})`)
    else if (kind === 'str') parts.push(lit(`${sep}"${key}":"`), expr, lit('"'))
    else parts.push(`if(${expr} = '', '', ${cat(lit(`${sep}"${key}":"`), expr, lit('"'))})`)
  })
  return cat(lit('{'), ...parts, lit('}'))
}
