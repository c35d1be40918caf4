/**
 * The real corpus (test/fixtures/heroku-lines.txt) as `heroku logs` lines, with timestamps moved to
 * the recent past (retention would otherwise expire lines from 2010) and order kept. Also a small,
 * independent reading of those lines (plain regexes, not the product's parsers) for test oracles.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const FIXTURE = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'heroku-lines.txt')

/** One corpus line in `TS source[proc]: message` form. */
export interface CorpusLine { readonly source: string; readonly proc: string; readonly message: string }

/** Every corpus line in the `heroku logs` form. */
export function herokuLogsLines(): CorpusLine[] {
  return readFileSync(FIXTURE, 'utf8').split('\n').flatMap((l) => {
    const m = /^\S+ (app|heroku)\[([^\]]+)\]: (.*)$/.exec(l)
    return m ? [{ source: m[1]!, proc: m[2]!, message: m[3]! }] : []
  })
}

/** Write the lines as a `heroku logs` file whose last line is `endMs` and lines are 1 s apart. */
export function writeRecentLog(file: string, lines: readonly CorpusLine[], endMs = Date.now() - 60_000): void {
  const out = lines.map((l, i) => `${new Date(endMs - (lines.length - 1 - i) * 1000).toISOString()} ${l.source}[${l.proc}]: ${l.message}`)
  writeFileSync(file, out.join('\n') + '\n')
}

/** key=value or key="value" from a router line (independent of the product's logfmt scanner). */
export function routerValue(message: string, key: string): string | null {
  const m = new RegExp(`(?:^|\\s)${key}=(?:"([^"]*)"|(\\S*))`).exec(message)
  if (!m) return null
  const v = m[1] ?? m[2] ?? ''
  return v === '' ? null : v
}
