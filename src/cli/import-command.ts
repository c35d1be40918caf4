/**
 * `sluice import FILE|- [--env production] [--app NAME] [--format auto|heroku|logplex]`: backfill
 * `heroku logs` output or raw Logplex bodies through a running Sluice (ingest key: --key or
 * SLUICE_INGEST_KEY; URL: --url, SLUICE_URL or the local server). Safe to run again after an
 * interruption: frame ids are derived from the input, so stored bodies are skipped.
 */
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import { runImport, type ImportProgress } from '../import/index.js'
import { readLock } from '../server/runtime-files.js'
import { CliError } from './admin-client.js'
import type { CliIo } from './io.js'

function bar(p: ImportProgress, started: number): string {
  const secs = Math.max(0.001, (Date.now() - started) / 1000)
  const rate = `${Math.round(p.lines / secs).toLocaleString('en-US')} lines/s`
  if (!p.totalBytes) return `${p.lines.toLocaleString('en-US')} lines, ${rate}`
  const frac = Math.min(1, p.bytesRead / p.totalBytes)
  const width = 30
  const filled = Math.round(frac * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}%  ${p.lines.toLocaleString('en-US')} lines, ${rate}`
}

/** The import command. */
export async function importCommand(argv: string[], config: Config, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' }, key: { type: 'string' }, env: { type: 'string', default: 'production' }, app: { type: 'string' },
      format: { type: 'string', default: 'auto' }, year: { type: 'string' }, quiet: { type: 'boolean' },
    },
  })
  const file = positionals[0]
  if (!file) throw new CliError('usage', 'usage: sluice import FILE|- [--env ENV] [--app NAME] [--format auto|heroku|logplex] [--key KEY] [--url URL]')
  if (!['auto', 'heroku', 'logplex'].includes(values.format)) throw new CliError('usage', '--format is auto, heroku or logplex')
  const key = values.key ?? config.SLUICE_INGEST_KEY
  if (!key) throw new CliError('missing_key', 'give an ingest key with --key or SLUICE_INGEST_KEY')
  const url = values.url ?? config.SLUICE_URL ?? readLock(config.dataDir)?.url ?? `http://127.0.0.1:${config.PORT}`
  const started = Date.now()
  const tty = process.stderr.isTTY && !values.quiet
  let lastPrint = 0
  io.err(`sluice: importing ${file === '-' ? 'standard input' : file} into ${url} (env ${values.env})\n`)
  try {
    const done = await runImport({
      file, url, key, env: values.env, app: values.app, drainToken: `import`,
      format: values.format as 'auto' | 'heroku' | 'logplex',
      ...(values.year ? { year: Number(values.year) } : {}),
      progress: (p) => {
        if (values.quiet) return
        const now = Date.now()
        if (!p.done && now - lastPrint < (tty ? 200 : 5000)) return
        lastPrint = now
        io.err(tty ? `\r${bar(p, started)}` : `${bar(p, started)}\n`)
      },
    })
    io.err(`${tty ? '\n' : ''}sluice: imported ${done.lines.toLocaleString('en-US')} lines in ${done.bodies} bodies\n`)
    return 0
  } catch (e) {
    throw new CliError('import_failed', `import stopped: ${(e as Error).message} (run the same command again to resume; stored lines are skipped)`)
  }
}
