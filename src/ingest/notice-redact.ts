/**
 * Secrets in a notice's request params, session and CGI data are replaced before storage, the
 * way Honeybadger's notifiers filter them (`filter_keys`: password, credit card, token…), but on
 * the server too, since not every notifier is configured to.
 */

/** Key names whose values are secrets (matched anywhere in the key, case-insensitive). */
export const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|api[-_]?key|auth|cookie|session[-_]?id|csrf|credit[-_]?card|card[-_]?number|cvv|cvc|ssn|private[-_]?key|signature/i

/** What a redacted value becomes. */
export const FILTERED = '[FILTERED]'

/** A deep copy of `v` with the values of secret-named keys replaced by {@link FILTERED}. */
export function redactSecrets(v: unknown, depth = 0): unknown {
  if (depth > 20) return FILTERED
  if (Array.isArray(v)) return v.map((x) => redactSecrets(x, depth + 1))
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = SECRET_KEY.test(k) ? FILTERED : redactSecrets(x, depth + 1)
  return out
}
