/**
 * Bound query parameters. Every value from the user becomes `{pN:Type}` (ClickHouse query
 * parameters, https://clickhouse.com/docs/interfaces/cli#cli-queries-with-parameters) and is
 * never spliced into SQL text. N counts from 0 in the order the compiler binds.
 */

/** Collects parameters as the compiler binds them. */
export class Params {
  readonly values: Record<string, unknown> = {}
  private n = 0

  /** Bind `value` with ClickHouse type `chType`; returns the placeholder. */
  bind(value: unknown, chType: string): string {
    const name = `p${this.n++}`
    this.values[name] = value
    return `{${name}:${chType}}`
  }
}

/** Format epoch microseconds as a DateTime64(6) parameter value (UTC, `YYYY-MM-DD hh:mm:ss.ffffff`). */
export function formatMicros(micros: number): string {
  const ms = Math.floor(micros / 1000)
  const frac = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0')
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${frac}`
}
