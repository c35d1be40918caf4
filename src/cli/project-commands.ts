/** `sluice project create|list`, `sluice token create`, `sluice key rotate`, `sluice migrate`. */
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import { herokuDrainsAdd } from '../projects/index.js'
import { migrate, openStore, storeOptionsFromConfig } from '../store/index.js'
import { acquireLock, readLock, releaseLock } from '../server/runtime-files.js'
import { CliError, openAdmin, type Admin } from './admin-client.js'
import type { CliIo } from './io.js'

const common = { json: { type: 'boolean' }, url: { type: 'string' } } as const

async function withAdmin<T>(config: Config, url: string | undefined, io: CliIo, fn: (a: Admin) => Promise<T>): Promise<T> {
  const admin = await openAdmin(config, url ?? config.SLUICE_URL)
  io.err(`sluice: ${admin.via}\n`)
  try {
    return await fn(admin)
  } finally {
    await admin.close()
  }
}

/** `project create NAME [--retention DAYS] [--json]` and `project list [--json]`. */
export async function projectCommand(argv: string[], config: Config, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === 'create') {
    const { values, positionals } = parseArgs({ args: rest, options: { ...common, retention: { type: 'string' } }, allowPositionals: true })
    const name = positionals[0]
    if (!name) throw new CliError('usage', 'usage: sluice project create NAME [--retention DAYS] [--json]')
    const retention = values.retention ? Number(values.retention) : undefined
    if (retention !== undefined && !(Number.isInteger(retention) && retention > 0)) throw new CliError('usage', '--retention takes a whole number of days')
    const r = await withAdmin(config, values.url, io, (a) => a.createProject(name, retention))
    if (values.json) io.out(JSON.stringify(r) + '\n')
    else {
      io.out(`Created project ${r.project}.\n\nDrain URL:\n  ${r.drain_url}\n\nConnect a Heroku app:\n  ${herokuDrainsAdd(r.drain_url)}\n\nRead token (for queries; shown once):\n  ${r.read_token}\n`)
    }
    return 0
  }
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: common })
    const projects = await withAdmin(config, values.url, io, (a) => a.listProjects())
    if (values.json) io.out(JSON.stringify({ projects }) + '\n')
    else io.out(projects.map((p) => `${p.name}\t${p.id}\tretention ${p.retention_days}d\tcreated ${p.created_at}`).join('\n') + '\n')
    return 0
  }
  throw new CliError('usage', 'usage: sluice project create NAME | sluice project list')
}

/** `token create PROJECT [--json]`: a new read token. */
export async function tokenCommand(argv: string[], config: Config, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv
  const { values, positionals } = parseArgs({ args: rest, options: common, allowPositionals: true })
  if (sub !== 'create' || !positionals[0]) throw new CliError('usage', 'usage: sluice token create PROJECT [--json]')
  const project = positionals[0]
  const token = await withAdmin(config, values.url, io, (a) => a.createToken(project))
  io.out(values.json ? JSON.stringify({ project, read_token: token }) + '\n' : `${token}\n`)
  return 0
}

/** `key rotate PROJECT [--grace HOURS] [--json]`: new ingest key; old ones expire after the grace period. */
export async function keyCommand(argv: string[], config: Config, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv
  const { values, positionals } = parseArgs({ args: rest, options: { ...common, grace: { type: 'string' } }, allowPositionals: true })
  if (sub !== 'rotate' || !positionals[0]) throw new CliError('usage', 'usage: sluice key rotate PROJECT [--grace HOURS] [--json]')
  const project = positionals[0]
  const grace = values.grace === undefined ? undefined : Number(values.grace)
  if (grace !== undefined && !(grace >= 0)) throw new CliError('usage', '--grace takes a number of hours')
  const r = await withAdmin(config, values.url, io, (a) => a.rotateKey(project, grace))
  if (values.json) io.out(JSON.stringify({ project, ...r }) + '\n')
  else io.out(`New drain URL:\n  ${r.drain_url}\n\nOld keys keep working until ${r.old_keys_expire_at} UTC. Switch the drain:\n  heroku drains:remove OLD_URL --app YOUR_APP\n  ${herokuDrainsAdd(r.drain_url)}\n`)
  return 0
}

/** `migrate`: apply schema migrations (the Procfile's release phase). */
export async function migrateCommand(_argv: string[], config: Config, io: CliIo): Promise<number> {
  if (!config.CLICKHOUSE_URL) {
    const holder = readLock(config.dataDir)
    if (holder?.role === 'server') {
      io.err(`sluice: the server (pid ${holder.pid}) applies migrations at start; nothing to do\n`)
      return 0
    }
    const lock = acquireLock(config.dataDir, { role: 'cli', url: '' })
    if (!lock.ok) throw new CliError('store_busy', `${config.dataDir} is in use by process ${lock.holder.pid}`)
  }
  const store = openStore(storeOptionsFromConfig(config))
  try {
    const r = await migrate(store.client)
    io.out(r.applied.length ? `applied migrations ${r.applied.join(', ')}; schema version ${r.current}\n` : `schema is current (version ${r.current})\n`)
    return 0
  } finally {
    await store.close()
    if (!config.CLICKHOUSE_URL) releaseLock(config.dataDir)
  }
}
