/**
 * `sluice` command line. Admin commands work whether or not a server is running (see
 * admin-client.ts); query commands talk to a running Sluice over HTTP.
 */
import { loadConfig, type Config } from '../config.js'
import { processIo, type CliIo } from './io.js'
import { keyCommand, migrateCommand, projectCommand, tokenCommand } from './project-commands.js'
import { queriesCommand, queryCommand } from './query-commands.js'
import { importCommand } from './import-command.js'

/** A CLI command. */
export type Command = (argv: string[], config: Config, io: CliIo) => Promise<number>

/** Every command, by name. */
export const COMMANDS: Record<string, Command> = {
  project: projectCommand,
  token: tokenCommand,
  key: keyCommand,
  migrate: migrateCommand,
  query: queryCommand,
  queries: queriesCommand,
  import: importCommand,
}

const USAGE = `usage: sluice COMMAND

  project create NAME [--retention DAYS] [--json]   create a project; prints drain URL and read token
  project list [--json]                             list projects
  token create PROJECT [--json]                     issue another read token
  key rotate PROJECT [--grace HOURS] [--json]       new ingest key; old keys expire after the grace period
  migrate                                           apply schema migrations
  query 'QUERY' [--ts PT1H] [--format table|json|csv|ndjson] [--param NAME=VALUE]
                                                    run a query on a running Sluice (read token:
                                                    --token or SLUICE_READ_TOKEN; --url or SLUICE_URL)
  queries list | queries run ID [--ts …] [--param NAME=VALUE]
                                                    saved and built-in queries
  import FILE|- [--env ENV] [--app NAME] [--format auto|heroku|logplex]
                                                    backfill heroku logs output or Logplex bodies
                                                    through a running Sluice (ingest key: --key or
                                                    SLUICE_INGEST_KEY); safe to re-run after a stop

Admin commands go through a running server when there is one (--url or SLUICE_URL to name it),
otherwise they open the store directly.
`

/** Run the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE)
    return name ? 0 : 1
  }
  const command = COMMANDS[name]
  if (!command) {
    io.err(`sluice: unknown command ${JSON.stringify(name)}\n${USAGE}`)
    return 1
  }
  const loaded = loadConfig(env)
  if (!loaded.ok) {
    io.err(`sluice: invalid configuration\n${loaded.problems.map((p) => `  ${p}\n`).join('')}`)
    return 1
  }
  try {
    return await command(rest, loaded.config, io)
  } catch (e) {
    // CliError, AppError (e.g. project_exists), parseArgs' unknown-option errors: one line, exit 1.
    io.err(`sluice: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/src/cli/main.ts')) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code))
}
