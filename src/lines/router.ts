/**
 * Router lines (`heroku[router]`): space-separated logfmt (Dev Center "HTTP Routing", HEROKU-FORMATS.md
 * §2). Quoted, unquoted and empty values (`dyno= connect=` → null), `ms` optional (`connect=0`
 * in H25/H26), `sock=` before `at=`, comma lists in `fwd`, Router 2.0 `protocol=http2.0 tls=true`.
 * Also the pre-2012 form `[Error H10 (App crashed) -> ]GET host/path dyno=web.1 queue=0 …`.
 * Hot path: one pass with indexOf/charCodeAt, keys matched in place, no regex, no closures.
 */
import { routeOf } from './route.js'
import type { Attrs, Level } from '../model/index.js'
import { makeEvent, type LineParser } from './event.js'
import { parsePlatformError } from './platform-error.js'

/** Integer at `s[a..b)` with an optional `ms` suffix and optional fraction (rounded); null if none. */
function intValue(s: string, a: number, b: number): number | null {
  let v = 0
  let i = a
  while (i < b) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) break
    v = v * 10 + c
    i++
  }
  if (i === a) return null
  if (i < b && s.charCodeAt(i) === 46) {
    let scale = 0.1
    let f = 0
    i++
    while (i < b) {
      const c = s.charCodeAt(i) - 48
      if (c < 0 || c > 9) break
      f += c * scale
      scale /= 10
      i++
    }
    v = Math.round(v + f)
  }
  if (i === b || (b - i === 2 && s.charCodeAt(i) === 109 && s.charCodeAt(i + 1) === 115)) return v
  return null
}

/** `s[at..at+lit.length)` equals `lit` (inlined charCode compare; faster than startsWith here). */
function keyEq(s: string, at: number, lit: string): boolean {
  for (let k = 0; k < lit.length; k++) if (s.charCodeAt(at + k) !== lit.charCodeAt(k)) return false
  return true
}

/** The documented router keys (Dev Center "HTTP Routing", error codes article). */
const KEYS = [
  'at', 'code', 'desc', 'sock', 'cause', 'method', 'path', 'host', 'request_id', 'fwd', 'dyno', 'connect', 'service',
  'status', 'bytes', 'protocol', 'tls', 'tls_version', 'agent',
] as const

function hashOf(k: string): number {
  let h = 0
  for (let i = 0; i < k.length; i++) h = (Math.imul(h, 31) + k.charCodeAt(i)) | 0
  return h
}

/**
 * Keys by the low 8 bits of their hash: a 256-slot table without collisions among KEYS (checked at
 * import). A slot hit is confirmed by length and a compare, so an unknown key is never mislabelled.
 */
const KEY_TABLE: ((typeof KEYS)[number] | undefined)[] = new Array<(typeof KEYS)[number] | undefined>(256).fill(undefined)
for (const k of KEYS) {
  if (KEY_TABLE[hashOf(k) & 255] !== undefined) throw new Error(`router key table collision: ${k}`)
  KEY_TABLE[hashOf(k) & 255] = k
}

function levelOfAt(v: string | null): Level | null {
  if (v === 'error') return 'error'
  if (v === 'warning' || v === 'warn') return 'warn'
  if (v === 'info') return 'info'
  return null
}

/** Parse a router message into a `router` event. */
export const parseRouter: LineParser = (msg, tsMicros, source, proc, procType, size) => {
  const n = msg.length
  const attrs: Attrs = {}
  let at: string | null = null
  let code: string | null = null
  let requestId: string | null = null
  let i = 0
  while (i < n && msg.charCodeAt(i) === 32) i++

  // Pre-2012: `Error H10 (App crashed) -> GET myapp.heroku.com/ …` or `GET host/path …`.
  // Current lines start with `at=` or `sock=` (lower case), so upper case is the only trigger.
  const c0 = msg.charCodeAt(i)
  const legacy = c0 >= 65 && c0 <= 90
  const pe = c0 === 69 ? parsePlatformError(msg, i) : null
  if (pe !== null) {
    code = pe.code
    at = 'error'
    attrs['router.at'] = 'error'
    attrs['router.code'] = code
    attrs['router.desc'] = pe.desc
    i = pe.rest
  }
  const firstSp = legacy ? msg.indexOf(' ', i) : -1
  const firstEq = legacy ? msg.indexOf('=', i) : -1
  if (firstSp !== -1 && (firstEq === -1 || firstEq > firstSp)) {
    const c1 = msg.charCodeAt(i)
    if (c1 >= 65 && c1 <= 90) {
      attrs['router.method'] = msg.slice(i, firstSp)
      let j = firstSp + 1
      const tokEnd = msg.indexOf(' ', j) === -1 ? n : msg.indexOf(' ', j)
      if (msg.indexOf('=', j) === -1 || msg.indexOf('=', j) > tokEnd) {
        const slash = msg.indexOf('/', j)
        if (slash !== -1 && slash < tokEnd) {
          attrs['router.host'] = msg.slice(j, slash)
          attrs['router.path'] = msg.slice(slash, tokEnd)
        } else {
          attrs['router.host'] = msg.slice(j, tokEnd)
        }
        j = tokEnd
      }
      i = j
    }
  }

  while (i < n) {
    while (i < n && msg.charCodeAt(i) === 32) i++
    if (i >= n) break
    const ks = i
    let c = 0
    let h = 0
    while (i < n) {
      c = msg.charCodeAt(i)
      if (c === 61 || c === 32) break
      h = (Math.imul(h, 31) + c) | 0
      i++
    }
    const ke = i
    if (i >= n || c === 32) continue // bare word (e.g. `...` where a poster cut fields): kept in message only
    i++
    let vs: number
    let ve: number
    if (msg.charCodeAt(i) === 34) {
      vs = i + 1
      const q = msg.indexOf('"', vs)
      ve = q === -1 ? n : q
      i = q === -1 ? n : q + 1
    } else {
      vs = i
      const sp = msg.indexOf(' ', i)
      ve = sp === -1 ? n : sp
      i = ve
    }
    const empty = ve === vs
    // Dispatch on the key's hash (computed while scanning it), confirmed by one compare.
    const key = KEY_TABLE[h & 255]
    if (key !== undefined && ke - ks === key.length && keyEq(msg, ks, key)) {
      switch (key) {
        case 'at': at = empty ? null : msg.slice(vs, ve); attrs['router.at'] = at; continue
        case 'fwd': attrs['router.fwd'] = empty ? null : msg.slice(vs, ve); continue
        case 'tls': attrs['router.tls'] = empty ? null : ve - vs === 4 && keyEq(msg, vs, 'true'); continue
        case 'path': attrs['router.path'] = empty ? null : msg.slice(vs, ve); continue
        case 'host': attrs['router.host'] = empty ? null : msg.slice(vs, ve); continue
        case 'dyno': attrs['router.dyno'] = empty ? null : msg.slice(vs, ve); continue
        case 'code': code = empty ? null : msg.slice(vs, ve); attrs['router.code'] = code; continue
        case 'desc': attrs['router.desc'] = empty ? null : msg.slice(vs, ve); continue
        case 'sock': attrs['router.sock'] = empty ? null : msg.slice(vs, ve); continue
        case 'bytes': attrs['router.bytes'] = intValue(msg, vs, ve); continue
        case 'cause': attrs['router.cause'] = empty ? null : msg.slice(vs, ve); continue
        case 'agent': attrs['router.agent'] = empty ? null : msg.slice(vs, ve); continue
        case 'method': attrs['router.method'] = empty ? null : msg.slice(vs, ve); continue
        case 'status': attrs['router.status'] = intValue(msg, vs, ve); continue
        case 'connect': attrs['router.connect'] = intValue(msg, vs, ve); continue
        case 'service': attrs['router.service'] = intValue(msg, vs, ve); continue
        case 'protocol': attrs['router.protocol'] = empty ? null : msg.slice(vs, ve); continue
        case 'request_id': requestId = empty ? null : msg.slice(vs, ve); attrs['router.request_id'] = requestId; continue
        case 'tls_version': attrs['router.tls_version'] = empty ? null : msg.slice(vs, ve); continue
      }
    }
    // Keys outside the documented set (legacy `queue=`, `wait=`, future ones) are kept as strings.
    attrs[`router.${msg.slice(ks, ke)}`] = empty ? null : msg.slice(vs, ve)
  }
  const path = attrs['router.path']
  if (typeof path === 'string') attrs['router.route'] = routeOf(path)
  // No `at=` (pre-2013 lines): an H-code is an error, anything else a served request.
  const level = levelOfAt(at) ?? (code !== null ? 'error' : 'info')
  return makeEvent(tsMicros, source, proc, procType, 'router', level, code, requestId, msg, size, attrs)
}
