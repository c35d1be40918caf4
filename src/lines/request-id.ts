/**
 * Request ids in app lines: JSON/logfmt keys, and Rails' tagged logger `[uuid]` tag — the same
 * value as the router's `request_id` (X-Request-Id), so app lines join router lines.
 */

/** Keys whose value is a request id (compared as given). */
export const REQUEST_ID_KEYS: ReadonlySet<string> = new Set([
  'request_id', 'requestId', 'request-id', 'req_id', 'reqId', 'x_request_id', 'x-request-id', 'X-Request-Id', 'requestID', 'request.id', 'http.request_id',
])

const HEX = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)

/** `s[i..i+36)` is a UUID (8-4-4-4-12 hex). */
function isUuidAt(s: string, i: number): boolean {
  if (i + 36 > s.length) return false
  for (let k = 0; k < 36; k++) {
    const c = s.charCodeAt(i + k)
    if (k === 8 || k === 13 || k === 18 || k === 23) { if (c !== 45) return false } else if (!HEX(c)) return false
  }
  return true
}

/** The first `[uuid]` tag in a line (Rails `config.log_tags = [:request_id]`), or null. */
export function uuidTag(s: string): string | null {
  let i = s.indexOf('[')
  while (i !== -1) {
    if (s.charCodeAt(i + 37) === 93 && isUuidAt(s, i + 1)) return s.slice(i + 1, i + 37)
    i = s.indexOf('[', i + 1)
  }
  return null
}
