/**
 * Start-up credentials: SLUICE_INGEST_KEY / SLUICE_READ_TOKEN make sure project `default` exists
 * with exactly those secrets (how a Heroku deploy sets them as config vars). With neither set and
 * no project at all, create `default` and show its drain URL and read token once.
 */
import type { Config } from '../config.js'
import { drainUrl, herokuDrainsAdd, type ProjectService } from '../projects/index.js'
import type { Logger } from '../logger.js'

/** What bootstrap did. */
export type BootstrapResult =
  | { kind: 'env'; created: boolean }
  | { kind: 'first-start'; ingestKey: string; readToken: string }
  | { kind: 'existing'; projects: number }

/** Ensure the default project per the environment. */
export async function bootstrapProjects(projects: ProjectService, config: Config, logger: Logger): Promise<BootstrapResult> {
  if (config.SLUICE_INGEST_KEY || config.SLUICE_READ_TOKEN) {
    const created = await projects.ensureProject('default', config.SLUICE_INGEST_KEY, config.SLUICE_READ_TOKEN)
    logger.info({ project: 'default', created }, 'credentials from SLUICE_INGEST_KEY/SLUICE_READ_TOKEN applied')
    return { kind: 'env', created }
  }
  const existing = await projects.listProjects()
  if (existing.length > 0) return { kind: 'existing', projects: existing.length }
  const r = await projects.createProject('default')
  logger.info({ project: 'default' }, 'first start: created project default')
  return { kind: 'first-start', ingestKey: r.ingestKey, readToken: r.readToken }
}

/**
 * The one-time banner with the new secrets. Written straight to stdout, not through the logger:
 * it is meant for the person who started Sluice, and it is shown only on the very first start.
 */
export function firstStartBanner(config: Config, ingestKey: string, readToken: string): string {
  const url = drainUrl(config.publicUrl, ingestKey)
  return [
    '',
    '  Sluice: created project "default". These secrets are shown once; keep them.',
    '',
    `  Drain URL:   ${url}`,
    `  Add it:      ${herokuDrainsAdd(url)}`,
    `  Read token:  ${readToken}`,
    `  Try:         curl -s -H "Authorization: Bearer ${readToken}" -H 'content-type: application/json' \\`,
    `                 -d '{"query":"stats count() by event_type"}' ${config.publicUrl}/v1/query`,
    '',
  ].join('\n')
}
