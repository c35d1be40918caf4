/** Regex literals are RE2 (ClickHouse `match`, `extractGroups`); reject what RE2 cannot run. */
import { fail, type Span } from './errors.js'

/** Validate an RE2 pattern; returns it with `(?<name>` rewritten to RE2's `(?P<name>`. */
export function checkRegex(source: string, span: Span): string {
  if (/\(\?<?[=!]/.test(source)) fail('bad_regex', 'look-around is not supported (RE2)', span, 'RE2 has no `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`')
  if (/\\[1-9]/.test(source)) fail('bad_regex', 'back-references are not supported (RE2)', span)
  try {
    new RegExp(source.replace(/\(\?P</g, '(?<'))
  } catch (err) {
    fail('bad_regex', `invalid regex: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`, span)
  }
  return source.replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?P<$1>')
}

/** Names of the capture groups, in order; unnamed groups are `undefined`. */
export function captureGroups(source: string): (string | undefined)[] {
  const out: (string | undefined)[] = []
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (c === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      continue
    }
    if (c === '[') inClass = true
    else if (c === '(') {
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i))
      if (named) out.push(named[1])
      else if (source[i + 1] !== '?') out.push(undefined)
    }
  }
  return out
}
