/**
 * Child process of the query benchmark (the embedded engine is one process per data directory):
 * opens DATA_DIR's store, applies migrations, makes sure project `default` exists with the given
 * secrets (the same `ensureProject` the server runs at boot for SLUICE_INGEST_KEY/SLUICE_READ_TOKEN),
 * generates N events for it, waits for merges, computes the right answers, writes a sample of the
 * generated lines for the ingest load, and prints one JSON result line. Options: JSON in argv[2].
 */
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { ProjectRepository, ProjectService } from '../../src/projects/index.js'
import { migrate, openStore } from '../../src/store/index.js'
import { computeExpectations, type Expectations } from './expectations.js'
import { generateEvents, generatedStats, type GeneratedStats } from './generate-events.js'

/** Options of one run. */
export interface GenerateMainOptions {
  readonly dataDir: string
  readonly total: number
  readonly ingestKey: string
  readonly readToken: string
  readonly retentionDays: number
  /** Where to write sample lines (JSON lines `{source, proc, message}`) for the ingest load. */
  readonly sampleFile: string
}

/** What the child prints (after {@link GENERATE_MARKER}). */
export interface GenerateMainResult {
  readonly projectId: string
  readonly seconds: number
  readonly cpuSeconds: number
  readonly mergeWaitSeconds: number
  readonly activeParts: number
  readonly stats: GeneratedStats
  readonly expect: Expectations
}

/** Marker of the result line on stdout. */
export const GENERATE_MARKER = '@@GENERATED@@'

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2]!) as GenerateMainOptions
  // Generation chunks parse ~2M JSON attrs each: give the engine room (the server default is 2 GiB).
  const store = openStore({ dataDir: o.dataDir, maxServerMemoryMb: 8192, queryMaxMemoryMb: 4096 })
  try {
    await migrate(store.client)
    const projects = new ProjectService(new ProjectRepository(store.client), { retentionDays: o.retentionDays })
    await projects.ensureProject('default', o.ingestKey, o.readToken)
    const project = (await projects.listProjects()).find((p) => p.name === 'default')
    if (!project) throw new Error('project default was not created')
    const cpu0 = process.cpuUsage()
    const gen = await generateEvents(store.client, { projectId: project.id, total: o.total })
    const cpu = process.cpuUsage(cpu0)
    // Let background merges finish so the server starts on settled parts, as a long-running one would.
    const m0 = performance.now()
    for (;;) {
      const rs = await store.client.query({ query: "SELECT count() AS n FROM system.merges WHERE table = 'events'", format: 'JSONEachRow' })
      if (Number((await rs.json<{ n: string }>())[0]!.n) === 0 || performance.now() - m0 > 90_000) break
      await new Promise((r) => setTimeout(r, 250))
    }
    const mergeWaitSeconds = (performance.now() - m0) / 1000
    const stats = await generatedStats(store.client, project.id)
    const expect = await computeExpectations(store.client, project.id, gen.startMicros, gen.endMicros)
    const sample = await store.client.query({
      query: 'SELECT source, proc, message FROM events WHERE project_id = {p:String} ORDER BY cityHash64(id) LIMIT 20000',
      query_params: { p: project.id },
      format: 'JSONEachRow',
    })
    writeFileSync(o.sampleFile, await sample.text())
    const parts = await store.client.query({ query: "SELECT count() AS n FROM system.parts WHERE active AND table = 'events'", format: 'JSONEachRow' })
    const activeParts = Number((await parts.json<{ n: string }>())[0]!.n)
    const result: GenerateMainResult = {
      projectId: project.id, seconds: gen.seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, mergeWaitSeconds, activeParts, stats, expect,
    }
    process.stdout.write(`${GENERATE_MARKER}${JSON.stringify(result)}\n`)
    // Shutdown hygiene (PERFORMANCE-NOTES.md §2.5): no merges in flight when the engine closes.
    await store.client.command({ query: 'SYSTEM STOP MERGES' })
  } finally {
    await store.close()
  }
}

// Run only as a script, not when the bench imports the marker and types.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
