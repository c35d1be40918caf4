/**
 * `sluice query 'QUERY'` and `sluice queries list|run`: talk to a running Sluice over HTTP with a
 * read token (flags, or SLUICE_URL / SLUICE_READ_TOKEN; the URL defaults to the local server).
 */
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import { readLock } from '../server/runtime-files.js'
import { CliError } from './admin-client.js'
import type { CliIo } from './io.js'
import { renderTable } from './table.js'

const options = {
  url: { type: 'string' },
  token: { type: 'string' },
  ts: { type: 'string' },
  timezone: { type: 'string' },
  limit: { type: 'string' },
  format: { type: 'string', default: 'table' },
  param: { type: 'string', multiple: true },
} as const

interface Answer { results: Record<string, unknown>[]; meta: { fields: { name: string }[]; rows: number; elapsed_ms: number; rows_read: number; truncated: boolean } }

function target(config: Config, url: string | undefined, token: string | undefined) {
  const base = url ?? config.SLUICE_URL ?? readLock(config.dataDir)?.url ?? `http://127.0.0.1:${config.PORT}`
  const t = token ?? config.SLUICE_READ_TOKEN
  if (!t) throw new CliError('missing_token', 'give a read token with --token or SLUICE_READ_TOKEN')
  return { base: base.replace(/\/+$/, ''), token: t }
}

/** Attempts of a request the server answers "busy, retry after" (429/503 with Retry-After). */
const BUSY_ATTEMPTS = 4
/** The longest wait between them, seconds. */
const MAX_RETRY_AFTER_S = 30

/**
 * One authenticated request; a non-2xx answer becomes a CliError carrying the server's error. An
 * answer that says when to come back (429 or 503 with Retry-After: every query slot taken, the
 * store starting up) is retried after that long, up to {@link BUSY_ATTEMPTS} times, saying so on
 * stderr, so a script does not fail on a busy moment.
 */
async function call(method: 'GET' | 'POST', base: string, token: string, path: string, body: unknown, accept: string, io: CliIo): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let res: Response
    try {
      res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    } catch (e) {
      throw new CliError('server_unreachable', `cannot reach Sluice at ${base}: ${(e as Error).message}`)
    }
    if (res.ok) return res
    const j = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; excerpt?: string; hint?: string } }
    const e = j.error
    const header = res.headers.get('retry-after')
    const after = header === null || header.trim() === '' ? NaN : Number(header)
    if ((res.status === 429 || res.status === 503) && Number.isFinite(after) && after >= 0 && attempt < BUSY_ATTEMPTS) {
      const wait = Math.min(after, MAX_RETRY_AFTER_S)
      io.err(`${e?.message ?? `HTTP ${res.status}`}; retrying in ${wait} s (attempt ${attempt + 1} of ${BUSY_ATTEMPTS})\n`)
      await new Promise((r) => setTimeout(r, wait * 1000))
      continue
    }
    throw new CliError(e?.code ?? `http_${res.status}`, [e?.message ?? `HTTP ${res.status}`, e?.excerpt, e?.hint ? `hint: ${e.hint}` : undefined].filter(Boolean).join('\n'))
  }
}

/** NAME=VALUE pairs; values that look like numbers are sent as numbers (quote them to keep a string: NAME='"42"'). */
function params(list: readonly string[] | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const p of list ?? []) {
    const i = p.indexOf('=')
    if (i <= 0) throw new CliError('usage', `--param takes NAME=VALUE, got ${JSON.stringify(p)}`)
    const v = p.slice(i + 1)
    const quoted = /^"(.*)"$/.exec(v)
    out[p.slice(0, i)] = quoted ? quoted[1]! : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v
  }
  return out
}

async function print(res: Response, format: string, io: CliIo): Promise<void> {
  if (format !== 'table') {
    io.out(await res.text())
    return
  }
  const a = (await res.json()) as Answer
  io.out(renderTable(a.meta.fields.map((f) => f.name), a.results))
  io.err(`${a.meta.rows} row${a.meta.rows === 1 ? '' : 's'}${a.meta.truncated ? ' (truncated)' : ''} in ${a.meta.elapsed_ms} ms, ${a.meta.rows_read.toLocaleString('en-US')} rows read\n`)
}

const ACCEPT: Record<string, string> = { table: 'application/json', json: 'application/json', csv: 'text/csv', ndjson: 'application/x-ndjson' }

function body(v: { ts?: string | undefined; timezone?: string | undefined; limit?: string | undefined; param?: string[] | undefined }) {
  return {
    ...(v.ts ? { ts: v.ts } : {}),
    ...(v.timezone ? { timezone: v.timezone } : {}),
    ...(v.limit ? { limit: Number(v.limit) } : {}),
    ...(v.param ? { params: params(v.param) } : {}),
  }
}

/** `query 'QUERY' [--ts PT1H] [--timezone TZ] [--limit N] [--param k=v] [--format table|json|csv|ndjson]`. */
export async function queryCommand(argv: string[], config: Config, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true })
  const text = positionals.join(' ')
  if (!text) throw new CliError('usage', "usage: sluice query 'filter … | stats …' [--ts PT1H] [--format table|json|csv|ndjson]")
  const accept = ACCEPT[values.format]
  if (!accept) throw new CliError('usage', '--format is table, json, csv or ndjson')
  const t = target(config, values.url, values.token)
  await print(await call('POST', t.base, t.token, '/v1/query', { query: text, ...body(values) }, accept, io), values.format, io)
  return 0
}

/** `queries list` and `queries run ID [--ts …] [--param k=v]`. */
export async function queriesCommand(argv: string[], config: Config, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true })
  const t = target(config, values.url, values.token)
  if (sub === 'list') {
    const res = await call('GET', t.base, t.token, '/v1/queries', undefined, 'application/json', io)
    const j = (await res.json()) as { queries: { id: string; name: string; default_ts: string; description: string }[] }
    if (values.format === 'json') io.out(JSON.stringify(j) + '\n')
    else io.out(renderTable(['id', 'name', 'default_ts'], j.queries))
    return 0
  }
  if (sub === 'run' && positionals[0]) {
    const accept = ACCEPT[values.format]
    if (!accept) throw new CliError('usage', '--format is table, json, csv or ndjson')
    await print(await call('POST', t.base, t.token, `/v1/queries/${encodeURIComponent(positionals[0])}/run`, body(values), accept, io), values.format, io)
    return 0
  }
  throw new CliError('usage', 'usage: sluice queries list | sluice queries run ID [--ts PT1H] [--param NAME=VALUE]')
}
