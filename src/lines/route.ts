/**
 * `router.route`: the request path with ids and asset fingerprints taken out
 * (`/users/123/orders?page=2` → `/users/:id/orders`, `/assets/application-9f8e7d6c5b4a.js` →
 * `/assets/application-:hex.js`), so "slowest endpoints" and "5xx by endpoint" group requests the
 * way a developer thinks of them. Raw paths carry ids and query strings: millions of distinct values,
 * which make a GROUP BY both slow and meaningless. Hand-written scan (no regex): it runs on every
 * router line.
 */

const isDigit = (c: number) => c >= 48 && c <= 57
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
const isToken = (c: number) => isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 95

/** What an id-like segment becomes, or null to keep the segment. */
function placeholder(s: string, from: number, to: number): string | null {
  const n = to - from
  if (n === 0) return null
  let digits = 0
  let hex = 0
  let token = 0
  let dashes = 0
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i)
    if (isDigit(c)) digits++
    if (isHex(c)) hex++
    if (isToken(c)) token++
    if (c === 45) dashes++
  }
  if (digits === n) return ':id'
  // 8-4-4-4-12
  if (n === 36 && dashes === 4 && hex === 32 && s.charCodeAt(from + 8) === 45 && s.charCodeAt(from + 13) === 45) return ':uuid'
  if (hex === n && n >= 12 && digits > 0) return ':hex'
  // Friendly ids: `42-my-first-post`.
  if (isDigit(s.charCodeAt(from)) && token === n && dashes > 0) {
    let i = from
    while (i < to && isDigit(s.charCodeAt(i))) i++
    if (s.charCodeAt(i) === 45) return ':id'
  }
  if (n >= 20 && token === n && digits > 0) return ':token'
  return null
}

/**
 * A segment with asset fingerprints taken out, or null if it has none: a chunk of 8 or more hex
 * characters with a digit, at the start of the segment or after `-` or `.`, and followed by `.`
 * (Sprockets `application-<sha256>.css`, Propshaft `app-<8 hex>.js`, webpack `main.<hash>.js`).
 * Each deploy's assets have new fingerprints, so without this every deploy (and every badge or
 * image named by its hash) would be an endpoint of its own in "slowest endpoints".
 */
function fingerprinted(s: string, from: number, to: number): string | null {
  let out: string | null = null
  let last = from
  let chunk = from
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i)
    if (c !== 45 && c !== 46) continue
    if (c === 46 && i - chunk >= 8) {
      let hex = true
      let digit = false
      for (let j = chunk; j < i && hex; j++) {
        const d = s.charCodeAt(j)
        hex = isHex(d)
        if (isDigit(d)) digit = true
      }
      if (hex && digit) {
        out = (out ?? '') + s.slice(last, chunk) + ':hex'
        last = i
      }
    }
    chunk = i + 1
  }
  return out === null ? null : out + s.slice(last, to)
}

/**
 * Routes of recently seen paths. Real traffic repeats a few hundred paths (`/`, `/health`, assets,
 * the same API calls), so most router lines skip the segment scan (about 10% of parse time without
 * the cache). Direct-mapped: a path has one slot, chosen from its length and two of its
 * characters, and a new path simply replaces the slot's old one. So the cache is bounded by
 * construction, a stream of unique paths (ids in every URL) costs one compare and a store, and a
 * lookup needs no string hash (a Map hashes every fresh path string, which costs more than the
 * compare). A slot is only trusted when its path is equal to the one asked for.
 */
export const ROUTE_CACHE_SLOTS = 1024
// Slots start as the empty path, whose route is itself the empty string.
const cachedPaths: string[] = new Array<string>(ROUTE_CACHE_SLOTS).fill('')
const cachedRoutes: string[] = new Array<string>(ROUTE_CACHE_SLOTS).fill('')

/** Cache slot of a path: its length and its middle and last characters, mixed. */
function slotOf(path: string): number {
  const n = path.length
  if (n === 0) return 0
  return (n * 31 + path.charCodeAt(n >> 1) * 7 + path.charCodeAt(n - 1)) & (ROUTE_CACHE_SLOTS - 1)
}

/** The route of a request path (query string and fragment dropped, id-like segments replaced). */
export function routeOf(path: string): string {
  const slot = slotOf(path)
  if (cachedPaths[slot] === path) return cachedRoutes[slot]!
  const route = computeRoute(path)
  cachedPaths[slot] = path
  cachedRoutes[slot] = route
  return route
}

/** {@link routeOf} without the cache: what the cache must always agree with. */
export function computeRoute(path: string): string {
  // Fast path: most paths have no query string and no digit in any segment, so nothing changes.
  let end = path.length
  let digit = false
  for (let i = 0; i < end; i++) {
    const c = path.charCodeAt(i)
    if (c === 63 || c === 35) {
      end = i
      break
    }
    if (c >= 48 && c <= 57) digit = true
  }
  if (!digit) return end === path.length ? path : path.slice(0, end) || '/'
  let out = ''
  let changed = end !== path.length
  let seg = 0
  for (let i = 0; i <= end; i++) {
    if (i === end || path.charCodeAt(i) === 47) {
      const p = placeholder(path, seg, i) ?? fingerprinted(path, seg, i)
      if (p !== null) changed = true
      out += (seg === 0 ? '' : '/') + (p ?? path.slice(seg, i))
      seg = i + 1
    }
  }
  return changed ? out || '/' : path
}
