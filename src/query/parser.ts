/** Pipeline parser: `stage | stage | …`, each stage a keyword followed by its arguments. */
import type { Expr, Named, Query, SortKey, Stage } from './ast.js'
import { fail, type Span } from './errors.js'
import { Lexer } from './lexer.js'
import { ExprParser } from './parse-expr.js'
import { closest, lookup } from './suggest.js'

/** Stage keywords, with the CloudWatch/BadgerQL spellings they stand for. */
const STAGE_NAMES: Readonly<Record<string, Stage['kind']>> = {
  filter: 'filter', where: 'filter', fields: 'fields', only: 'only', display: 'only', stats: 'stats', sort: 'sort',
  limit: 'limit', head: 'limit', parse: 'parse', unique: 'unique', dedup: 'unique', expand: 'expand', fill: 'fill',
}

type StageParser = (p: ExprParser, start: Span) => Stage
const end = (p: ExprParser): number => p.lx.peek().span.start

/** Parse `expr [as name], …`. */
function namedList(p: ExprParser, allowAlias = true): Named[] {
  const items: Named[] = []
  do {
    const expr = p.expr()
    let alias: string | undefined
    let last = expr.span.end
    if (allowAlias && p.isWord('as')) {
      p.lx.next()
      const t = p.lx.next()
      if (t.kind !== 'ident' && t.kind !== 'quoted') p.unexpected(t, 'a name after `as`')
      alias = t.text
      last = t.span.end
    }
    items.push({ expr, text: p.lx.text.slice(expr.span.start, expr.span.end), span: { start: expr.span.start, end: last }, ...(alias !== undefined ? { alias } : {}) })
  } while (p.isSym(',') && p.lx.next())
  return items
}

function exprList(p: ExprParser): Expr[] {
  const out: Expr[] = []
  do out.push(p.expr())
  while (p.isSym(',') && p.lx.next())
  return out
}

const PARSERS: Readonly<Record<Stage['kind'], StageParser>> = {
  filter: (p, s) => ({ kind: 'filter', expr: p.expr(), span: { start: s.start, end: end(p) } }),
  fields: (p, s) => ({ kind: 'fields', items: namedList(p), span: { start: s.start, end: end(p) } }),
  only: (p, s) => ({ kind: 'only', items: namedList(p), span: { start: s.start, end: end(p) } }),
  stats: (p, s) => {
    const aggs = namedList(p)
    let by: Named[] = []
    if (p.isWord('by')) {
      p.lx.next()
      by = namedList(p)
    }
    return { kind: 'stats', aggs, by, span: { start: s.start, end: end(p) } }
  },
  sort: (p, s) => {
    const keys: SortKey[] = []
    do {
      const expr = p.expr()
      let desc = false
      if (p.isWord('desc') || p.isWord('asc')) desc = p.lx.next().text.toLowerCase() === 'desc'
      keys.push({ expr, desc })
    } while (p.isSym(',') && p.lx.next())
    return { kind: 'sort', keys, span: { start: s.start, end: end(p) } }
  },
  limit: (p, s) => {
    const count = p.postfix()
    let by: Expr[] = []
    if (p.isWord('by')) {
      p.lx.next()
      by = exprList(p)
    }
    return { kind: 'limit', count, by, span: { start: s.start, end: end(p) } }
  },
  parse: (p, s) => {
    const source = p.postfix()
    if (!p.isSym('/')) p.unexpected(p.lx.peek(), 'a regex `/…(?<name>…)…/`')
    const r = p.lx.regex()
    return { kind: 'parse', source, regex: { kind: 'regex', source: r.text, span: r.span }, span: { start: s.start, end: end(p) } }
  },
  unique: (p, s) => ({ kind: 'unique', exprs: exprList(p), span: { start: s.start, end: end(p) } }),
  expand: (p, s) => ({ kind: 'expand', items: namedList(p), span: { start: s.start, end: end(p) } }),
  fill: (p, s) => {
    const field = p.postfix()
    let desc = false
    if (p.isWord('asc') || p.isWord('up')) p.lx.next()
    else if (p.isWord('desc') || p.isWord('down')) {
      p.lx.next()
      desc = true
    }
    const opt: { from?: Expr; to?: Expr; step?: Expr } = {}
    for (const word of ['from', 'to', 'step'] as const) {
      if (p.isWord(word)) {
        p.lx.next()
        opt[word] = p.expr()
      }
    }
    const interpolate: { name: string; expr: Expr; span: Span }[] = []
    if (p.isWord('with')) {
      p.lx.next()
      do {
        const t = p.lx.next()
        if (t.kind !== 'ident' && t.kind !== 'quoted') p.unexpected(t, 'a column name')
        const eq = p.lx.peek()
        if (!(p.isSym('=') || p.isSym('=='))) p.unexpected(eq, '`=`')
        p.lx.next()
        const expr = p.expr()
        interpolate.push({ name: t.text, expr, span: { start: t.span.start, end: expr.span.end } })
      } while (p.isSym(',') && p.lx.next())
    }
    return { kind: 'fill', field, desc, ...opt, interpolate, span: { start: s.start, end: end(p) } }
  },
}

/** Parse query text into a {@link Query}; throws QueryFailure on bad syntax. */
export function parseQuery(text: string): Query {
  const p = new ExprParser(new Lexer(text))
  const stages: Stage[] = []
  if (p.lx.peek().kind === 'eof') fail('empty_query', 'the query is empty', { start: 0, end: Math.max(1, text.length) }, 'try `filter router.status >= 500`')
  for (;;) {
    const t = p.lx.next()
    if (t.kind !== 'ident') p.unexpected(t, 'a stage (filter, fields, only, stats, sort, limit, parse, unique, expand, fill)')
    const kind = lookup(STAGE_NAMES, t.text.toLowerCase())
    if (!kind) {
      const guess = closest(t.text.toLowerCase(), Object.keys(STAGE_NAMES))
      fail('unknown_stage', `unknown stage \`${t.text}\``, t.span, guess ? `did you mean \`${guess}\`?` : 'stages: filter, fields, only, stats, sort, limit, parse, unique, expand, fill')
    }
    stages.push(PARSERS[kind](p, t.span))
    const next = p.lx.peek()
    if (next.kind === 'eof') break
    if (!p.isSym('|')) p.unexpected(next, '`|` or the end of the query')
    p.lx.next()
  }
  return { stages }
}
