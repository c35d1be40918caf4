/** Applies pending schema migrations: versioned (recorded in `schema_migrations`) and idempotent. */
import type { ClickHouseClient } from '@clickhouse/client'
import { MIGRATIONS, MIGRATIONS_TABLE, type Migration } from './migrations.js'

/** What a migration run did. */
export interface MigrateResult {
  readonly applied: readonly number[]
  readonly current: number
}

/** Apply every migration newer than the recorded version. Safe to run twice, or concurrently-ish. */
export async function migrate(client: ClickHouseClient, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  await client.command({ query: MIGRATIONS_TABLE })
  const done = new Set(await appliedVersions(client))
  const applied: number[] = []
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue
    for (const statement of m.statements) await client.command({ query: statement })
    await client.insert({ table: 'schema_migrations', values: [{ version: m.version, name: m.name }], format: 'JSONEachRow' })
    applied.push(m.version)
  }
  const all = await appliedVersions(client)
  return { applied, current: all.length ? Math.max(...all) : 0 }
}

/** Versions recorded as applied. */
export async function appliedVersions(client: ClickHouseClient): Promise<number[]> {
  const rs = await client.query({ query: 'SELECT DISTINCT version FROM schema_migrations ORDER BY version', format: 'JSONEachRow' })
  return (await rs.json<{ version: number }>()).map((r) => Number(r.version))
}
