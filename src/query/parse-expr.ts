/**
 * Expression parser: recursive descent with precedence climbing.
 * Precedence, lowest first: or, and, not, comparison (== != < > <= >= in like ilike match between),
 * + -, * / %, unary -, postfix (`::hint`, `[i]`, `[*]`), primary.
 */
import type { BinaryOp, Expr, TypeHint } from './ast.js'
import { fail, type Span } from './errors.js'
import type { Lexer } from './lexer.js'
import { lookup } from './suggest.js'
import type { Token } from './token.js'

const COMPARE: Readonly<Record<string, BinaryOp>> = { '==': '==', '=': '==', '!=': '!=', '<>': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' }
const HINTS: Readonly<Record<string, TypeHint>> = { int: 'int', integer: 'int', float: 'float', double: 'float', number: 'float', str: 'str', string: 'str', bool: 'bool', boolean: 'bool' }
/** Words that end an expression (stage syntax), so they are never read as field names. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'like', 'ilike', 'match', 'between', 'as', 'by', 'asc', 'desc', 'with'])

const span = (a: Span, b: Span): Span => ({ start: a.start, end: b.end })

/** Parses expressions from a shared {@link Lexer}. */
export class ExprParser {
  constructor(readonly lx: Lexer) {}

  /** True when the next token is the given word (case-insensitive) or symbol. */
  isWord(word: string, k = 0): boolean {
    const t = this.lx.peek(k)
    return t.kind === 'ident' && t.text.toLowerCase() === word
  }

  /** True when the next token is the given operator or punctuation. */
  isSym(sym: string, k = 0): boolean {
    const t = this.lx.peek(k)
    return (t.kind === 'op' || t.kind === 'punct') && t.text === sym
  }

  /** Consume a symbol or fail with a located syntax error. */
  expectSym(sym: string, what = `\`${sym}\``): Token {
    const t = this.lx.peek()
    if (!this.isSym(sym)) this.unexpected(t, what)
    return this.lx.next()
  }

  /** Fail at token `t`, saying what was expected. */
  unexpected(t: Token, expected: string): never {
    const got = t.kind === 'eof' ? 'end of query' : `\`${this.lx.text.slice(t.span.start, t.span.end)}\``
    fail('syntax_error', `expected ${expected}, found ${got}`, t.kind === 'eof' ? { start: t.span.start, end: t.span.start + 1 } : t.span)
  }

  /** Parse a full expression. */
  expr(): Expr {
    return this.or()
  }

  private or(): Expr {
    let left = this.and()
    while (this.isWord('or')) {
      this.lx.next()
      const right = this.and()
      left = { kind: 'binary', op: 'or', left, right, span: span(left.span, right.span) }
    }
    return left
  }

  private and(): Expr {
    let left = this.not()
    while (this.isWord('and')) {
      this.lx.next()
      const right = this.not()
      left = { kind: 'binary', op: 'and', left, right, span: span(left.span, right.span) }
    }
    return left
  }

  private not(): Expr {
    if (this.isWord('not')) {
      const t = this.lx.next()
      const arg = this.not()
      return { kind: 'unary', op: 'not', arg, span: span(t.span, arg.span) }
    }
    return this.comparison()
  }

  private comparison(): Expr {
    const left = this.additive()
    const t = this.lx.peek()
    if (t.kind === 'op' && lookup(COMPARE, t.text)) {
      this.lx.next()
      const right = this.additive()
      return { kind: 'binary', op: lookup(COMPARE, t.text)!, left, right, span: span(left.span, right.span) }
    }
    const negated = this.isWord('not') && ['in', 'like', 'ilike', 'match', 'between'].some((w) => this.isWord(w, 1))
    if (negated) this.lx.next()
    if (this.isWord('in')) {
      this.lx.next()
      const list = this.additive()
      return { kind: 'in', negated, arg: left, list, span: span(left.span, list.span) }
    }
    if (this.isWord('like') || this.isWord('ilike')) {
      const op = this.lx.next().text.toLowerCase() as 'like' | 'ilike'
      const pattern = this.additive()
      return { kind: 'like', op, negated, arg: left, pattern, span: span(left.span, pattern.span) }
    }
    if (this.isWord('match')) {
      this.lx.next()
      const regex = this.additive()
      return { kind: 'match', negated, arg: left, regex, span: span(left.span, regex.span) }
    }
    if (this.isWord('between')) {
      this.lx.next()
      const low = this.additive()
      if (!this.isWord('and')) this.unexpected(this.lx.peek(), '`and` of `between … and …`')
      this.lx.next()
      const high = this.additive()
      return { kind: 'between', negated, arg: left, low, high, span: span(left.span, high.span) }
    }
    return left
  }

  private additive(): Expr {
    let left = this.multiplicative()
    while (this.isSym('+') || this.isSym('-')) {
      const op = this.lx.next().text as '+' | '-'
      const right = this.multiplicative()
      left = { kind: 'binary', op, left, right, span: span(left.span, right.span) }
    }
    return left
  }

  private multiplicative(): Expr {
    let left = this.unary()
    while (this.isSym('*') || this.isSym('/') || this.isSym('%')) {
      const op = this.lx.next().text as '*' | '/' | '%'
      const right = this.unary()
      left = { kind: 'binary', op, left, right, span: span(left.span, right.span) }
    }
    return left
  }

  private unary(): Expr {
    if (this.isSym('-')) {
      const t = this.lx.next()
      const arg = this.unary()
      if (arg.kind === 'literal' && typeof arg.value === 'number') return { ...arg, value: -arg.value, span: span(t.span, arg.span) }
      return { kind: 'unary', op: '-', arg, span: span(t.span, arg.span) }
    }
    return this.postfix()
  }

  /** Primary followed by `::hint`, `[n]` or `[*]`. */
  postfix(): Expr {
    let e = this.primary()
    for (;;) {
      if (this.isSym('::')) {
        this.lx.next()
        const t = this.lx.next()
        const hint = t.kind === 'ident' ? lookup(HINTS, t.text.toLowerCase()) : undefined
        if (!hint) fail('unknown_type_hint', `unknown type hint \`${this.lx.text.slice(t.span.start, t.span.end)}\``, t.span, 'use `::int`, `::float`, `::str` or `::bool`')
        e = { kind: 'cast', arg: e, to: hint, span: span(e.span, t.span) }
      } else if (this.isSym('[') && (e.kind === 'field' || e.kind === 'index')) {
        this.lx.next()
        const neg = this.isSym('-') && this.lx.next() !== undefined
        const t = this.lx.next()
        let index: number | '*'
        if (t.kind === 'op' && t.text === '*' && !neg) index = '*'
        else if (t.kind === 'number' && Number.isInteger(t.value)) index = neg ? -t.value! : t.value!
        else fail('syntax_error', 'an array index is a whole number or `*`', t.span, 'write `a[0]` or `a[*]`')
        const close = this.expectSym(']')
        e = { kind: 'index', arg: e, index, span: span(e.span, close.span) }
      } else return e
    }
  }

  private primary(): Expr {
    const t = this.lx.peek()
    switch (t.kind) {
      case 'number': {
        this.lx.next()
        const isInt = /^[0-9]+$/.test(t.text) && Number.isSafeInteger(t.value)
        return { kind: 'literal', value: t.value!, lit: isInt ? 'int' : 'float', span: t.span }
      }
      case 'duration':
        this.lx.next()
        return { kind: 'duration', amount: t.value!, unit: t.extra!, span: t.span }
      case 'string':
        this.lx.next()
        return { kind: 'literal', value: t.text, lit: 'string', span: t.span }
      case 'param':
        this.lx.next()
        return { kind: 'param', name: t.text, ...(t.extra !== undefined ? { fallback: t.extra } : {}), span: t.span }
      case 'quoted':
        this.lx.next()
        return { kind: 'field', name: t.text, span: t.span }
      case 'ident':
        return this.word()
      case 'op':
        if (t.text === '/') {
          const r = this.lx.regex()
          return { kind: 'regex', source: r.text, span: r.span }
        }
        break
      case 'punct':
        if (t.text === '(') {
          this.lx.next()
          const inner = this.expr()
          this.expectSym(')')
          return inner
        }
        if (t.text === '[') return this.arrayLiteral()
        break
      case 'regex':
      case 'eof':
        break
    }
    this.unexpected(t, 'an expression')
  }

  private arrayLiteral(): Expr {
    const open = this.lx.next()
    const items: Expr[] = []
    if (!this.isSym(']')) {
      do items.push(this.expr())
      while (this.isSym(',') && this.lx.next())
    }
    const close = this.expectSym(']', '`,` or `]`')
    return { kind: 'array', items, span: span(open.span, close.span) }
  }

  private word(): Expr {
    const t = this.lx.next()
    const lower = t.text.toLowerCase()
    if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true', lit: 'bool', span: t.span }
    if (lower === 'null') return { kind: 'literal', value: null, lit: 'null', span: t.span }
    if (RESERVED_WORDS.has(lower)) this.unexpected(t, 'an expression')
    if (this.isSym('(')) return this.call(t)
    if (t.text.endsWith('.') || t.text.includes('..') || t.text.startsWith('.')) fail('bad_field', `\`${t.text}\` is not a field name`, t.span, 'a path looks like `router.status`')
    return { kind: 'field', name: t.text, span: t.span }
  }

  private call(name: Token): Expr {
    this.lx.next()
    const args: Expr[] = []
    let star = false
    if (this.isSym('*') && this.isSym(')', 1)) {
      this.lx.next()
      star = true
    } else if (!this.isSym(')')) {
      do args.push(this.expr())
      while (this.isSym(',') && this.lx.next())
    }
    const close = this.expectSym(')', '`,` or `)`')
    return { kind: 'call', name: name.text, args, star, span: span(name.span, close.span) }
  }
}
