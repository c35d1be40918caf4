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

/** Longest key length the slot table covers (longer keys are never documented ones). */
const MAX_KEY_LEN = 15

/**
 * Key ids by (length, last character), which is unique among KEYS (checked at import): one table
 * load names the only candidate, and comparing it with the candidate's char codes confirms it, so
 * an unknown key is never mislabelled. Each key character is read once, with no hash to compute:
 * `charCodeAt` is the dominant cost of this scan.
 */
const KEY_SLOTS = new Int8Array((MAX_KEY_LEN + 1) * 128).fill(-1)
const KEY_CODES: readonly (readonly number[])[] = KEYS.map((k) => Array.from(k, (c) => c.charCodeAt(0)))
KEYS.forEach((k, id) => {
  const slot = k.length * 128 + k.charCodeAt(k.length - 1)
  if (KEY_SLOTS[slot] !== -1) throw new Error(`router key table collision: ${k}`)
  KEY_SLOTS[slot] = id
})

/** Index in KEYS of the key `s[a..b)`, or -1 when it is not a documented key. */
function keyId(s: string, a: number, b: number): number {
  const len = b - a
  if (len === 0 || len > MAX_KEY_LEN) return -1
  const last = s.charCodeAt(b - 1)
  if (last >= 128) return -1
  const id = KEY_SLOTS[len * 128 + last]!
  if (id < 0) return -1
  const codes = KEY_CODES[id]!
  for (let k = 0; k < len - 1; k++) if (s.charCodeAt(a + k) !== codes[k]) return -1
  return id
}

/** Whether `s[a..)` is key `id` followed by '='. */
function keyIsAt(s: string, a: number, id: number): boolean {
  const codes = KEY_CODES[id]!
  const len = codes.length
  for (let k = 0; k < len; k++) if (s.charCodeAt(a + k) !== codes[k]) return false
  return s.charCodeAt(a + len) === 61
}

/**
 * The key that usually follows each one (Dev Center "HTTP Routing": `sock`, `at`, `code`, `desc`,
 * `method`, `path`, `host`, `request_id`, `fwd`, `dyno`, `connect`, `service`, `status`, `bytes`,
 * `protocol`, `tls`, `tls_version`), as ids into KEYS; -1 when nothing usually follows. Error
 * lines put `code desc` after `at`, so they miss once, which costs a character compare.
 */
const USUAL_NEXT: readonly number[] = (() => {
  const pairs: Partial<Record<(typeof KEYS)[number], (typeof KEYS)[number]>> = {
    sock: 'at', at: 'method', code: 'desc', desc: 'method', method: 'path', path: 'host', host: 'request_id',
    request_id: 'fwd', fwd: 'dyno', dyno: 'connect', connect: 'service', service: 'status', status: 'bytes',
    bytes: 'protocol', protocol: 'tls', tls: 'tls_version',
  }
  return KEYS.map((k) => { const next = pairs[k]; return next === undefined ? -1 : KEYS.indexOf(next) })
})()
const AT = KEYS.indexOf('at')

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

  // Each key is first checked in place against the key that usually comes next (Heroku writes them
  // in one order); only when that fails is the '=' searched for and the key looked up. Values are
  // found with indexOf, which beats a charCodeAt loop over all but the shortest runs. `eq` is the
  // next '=' at or after `i` (stale when smaller), kept across bare words so a line of many bare
  // words is not searched again and again; with no '=' left only bare words remain.
  let eq = -1
  let guess = AT
  while (i < n) {
    while (i < n && msg.charCodeAt(i) === 32) i++
    if (i >= n) break
    const ks = i
    let ke: number
    let id: number
    if (guess >= 0 && keyIsAt(msg, ks, guess)) {
      id = guess
      ke = ks + KEY_CODES[id]!.length
    } else {
      if (eq < i) eq = msg.indexOf('=', i)
      if (eq === -1) break
      const sp = msg.indexOf(' ', i)
      if (sp !== -1 && sp < eq) { // bare word (e.g. `...` where a poster cut fields): kept in message only
        i = sp
        continue
      }
      ke = eq
      id = keyId(msg, ks, ke)
    }
    guess = id >= 0 ? USUAL_NEXT[id]! : -1
    i = ke + 1
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
    if (id >= 0) {
      const key = KEYS[id]!
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
        case 'request_id': requestId = empty ? null : msg.slice(vs, ve); continue
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
