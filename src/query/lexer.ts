/**
 * On-demand lexer with one-token-at-a-time scanning. `/` is ambiguous (division or regex), so the
 * parser asks for a regex explicitly where an operand is expected ({@link Lexer.regex}).
 */
import { fail } from './errors.js'
import type { Token } from './token.js'

const IDENT_START = /[A-Za-z_@]/
const IDENT_PART = /[A-Za-z0-9_@.]/
/** Duration units: BadgerQL's `5m 1h 1d 1w 1M`, plus ms, s and y. */
export const DURATION_UNITS: ReadonlySet<string> = new Set(['ms', 's', 'm', 'h', 'd', 'w', 'M', 'y'])
const TWO_CHAR_OPS = new Set(['==', '!=', '<>', '<=', '>=', '::'])
const ONE_CHAR_OPS = new Set(['<', '>', '+', '-', '*', '/', '%', '='])
const PUNCT = new Set(['(', ')', '[', ']', ',', '|'])
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '0': '\0', '/': '/', '`': '`' }

/** Streaming lexer over the query text. */
export class Lexer {
  private pos = 0
  private buf: Token[] = []

  constructor(readonly text: string) {}

  /** Look at the k-th next token without consuming it. */
  peek(k = 0): Token {
    while (this.buf.length <= k) this.buf.push(this.scan())
    return this.buf[k]!
  }

  /** Consume the next token. */
  next(): Token {
    const t = this.peek()
    this.buf.shift()
    return t
  }

  /** Re-read the next token (which must be `/`) as a regex literal `/…/`. */
  regex(): Token {
    const slash = this.peek()
    const start = slash.span.start
    let i = start + 1
    let source = ''
    for (;;) {
      const c = this.text[i]
      if (c === undefined || c === '\n') fail('unterminated_regex', 'regex literal is not closed', { start, end: i }, 'close it with `/` (write `\\/` for a slash inside)')
      if (c === '\\' && this.text[i + 1] === '/') { source += '/'; i += 2; continue }
      if (c === '\\') { source += c + (this.text[i + 1] ?? ''); i += 2; continue }
      if (c === '/') break
      source += c
      i++
    }
    this.buf = []
    this.pos = i + 1
    return { kind: 'regex', text: source, span: { start, end: i + 1 } }
  }

  private skipSpace(): void {
    const s = this.text
    while (this.pos < s.length) {
      const c = s[this.pos]!
      if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++
      } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++
      else break
    }
  }

  private scan(): Token {
    this.skipSpace()
    const s = this.text
    const start = this.pos
    const c = s[start]
    if (c === undefined) return { kind: 'eof', text: '', span: { start, end: start } }
    if (c === '"' || c === "'") return this.scanString(c)
    if (c === '`') return this.scanQuoted()
    if (c >= '0' && c <= '9') return this.scanNumber()
    if (c === '.' && /[0-9]/.test(s[start + 1] ?? '')) return this.scanNumber()
    if (c === '$' && s[start + 1] === '{') return this.scanParam()
    if (IDENT_START.test(c)) {
      let i = start + 1
      while (i < s.length && IDENT_PART.test(s[i]!)) i++
      // A trailing dot belongs to nothing: `a.` is an error the parser reports at the dot.
      this.pos = i
      return { kind: 'ident', text: s.slice(start, i), span: { start, end: i } }
    }
    const two = s.slice(start, start + 2)
    if (TWO_CHAR_OPS.has(two)) {
      this.pos += 2
      return { kind: 'op', text: two, span: { start, end: start + 2 } }
    }
    if (ONE_CHAR_OPS.has(c)) {
      this.pos++
      return { kind: 'op', text: c, span: { start, end: start + 1 } }
    }
    if (PUNCT.has(c)) {
      this.pos++
      return { kind: 'punct', text: c, span: { start, end: start + 1 } }
    }
    fail('unexpected_character', `unexpected character \`${c}\``, { start, end: start + 1 }, c === '!' ? 'write `!=` for "not equal", or `not(expr)`' : undefined)
  }

  private scanString(quote: string): Token {
    const s = this.text
    const start = this.pos
    let i = start + 1
    let out = ''
    for (;;) {
      const c = s[i]
      if (c === undefined) fail('unterminated_string', 'string literal is not closed', { start, end: i }, `close it with ${quote}`)
      if (c === quote) break
      if (c === '\\') {
        const e = s[i + 1]
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16))
          i += 6
          continue
        }
        const mapped = e === undefined ? undefined : ESCAPES[e]
        if (mapped === undefined) fail('bad_escape', `unknown escape \`\\${e ?? ''}\` in string`, { start: i, end: i + 2 }, 'write `\\\\` for a backslash')
        out += mapped
        i += 2
        continue
      }
      out += c
      i++
    }
    this.pos = i + 1
    return { kind: 'string', text: out, span: { start, end: i + 1 } }
  }

  private scanQuoted(): Token {
    const s = this.text
    const start = this.pos
    const close = s.indexOf('`', start + 1)
    if (close === -1) fail('unterminated_name', 'backticked name is not closed', { start, end: s.length }, 'close it with `')
    const name = s.slice(start + 1, close)
    if (name.length === 0) fail('bad_field', 'empty field name', { start, end: close + 1 })
    this.pos = close + 1
    return { kind: 'quoted', text: name, span: { start, end: close + 1 } }
  }

  private scanNumber(): Token {
    const s = this.text
    const start = this.pos
    const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(s.slice(start))!
    let i = start + m[0].length
    const value = Number(m[0])
    const u = /^[A-Za-z_]+/.exec(s.slice(i))
    if (u) {
      const unit = u[0]
      i += unit.length
      if (!DURATION_UNITS.has(unit)) fail('bad_number', `\`${s.slice(start, i)}\` is not a number or a duration`, { start, end: i }, 'durations look like `30s`, `5m`, `1h`, `1d`, `1w`, `1M`')
      this.pos = i
      return { kind: 'duration', text: s.slice(start, i), value, extra: unit, span: { start, end: i } }
    }
    this.pos = i
    return { kind: 'number', text: m[0], value, span: { start, end: i } }
  }

  private scanParam(): Token {
    const s = this.text
    const start = this.pos
    const close = s.indexOf('}', start)
    if (close === -1) fail('bad_param', 'parameter is not closed', { start, end: s.length }, 'write `${name}` or `${name:-default}`')
    const body = s.slice(start + 2, close)
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/.exec(body)
    if (!m) fail('bad_param', `bad parameter \`${s.slice(start, close + 1)}\``, { start, end: close + 1 }, 'write `${name}` or `${name:-default}`')
    this.pos = close + 1
    return { kind: 'param', text: m[1]!, span: { start, end: close + 1 }, ...(m[2] !== undefined ? { extra: m[2] } : {}) }
  }
}
