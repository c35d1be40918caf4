import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { envSchema, loadConfig } from '../../src/config.js'
import { storeOptionsFromConfig } from '../../src/store/index.js'
import { spawnServer } from '../helpers/spawn-server.js'
import { defaultQueryConnections, LAUNCH_THREADPOOL_SIZE, OTHER_THREADS, threadpoolSize } from '../../src/store/threadpool.js'

describe('config', () => {
  it('defaults: PORT 3000, DATA_DIR ./data, 30-day retention, embedded store', () => {
    const r = loadConfig({})
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.config.PORT).toBe(3000)
    expect(r.config.dataDir.endsWith('/data')).toBe(true)
    expect(r.config.RETENTION_DAYS).toBe(30)
    expect(r.config.CLICKHOUSE_URL).toBeUndefined()
    expect(r.config.publicUrl).toBe('http://localhost:3000')
    expect(r.config.REDACT_SECRETS).toBe(true)
  })

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CLICKHOUSE_URL: 'not a url' }, 'CLICKHOUSE_URL'],
    [{ CLICKHOUSE_URL: 'ftp://x' }, 'CLICKHOUSE_URL'],
    [{ PUBLIC_URL: 'example.com' }, 'PUBLIC_URL'],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS'],
    [{ REDACT_SECRETS: 'maybe' }, 'REDACT_SECRETS'],
    [{ SLUICE_INGEST_KEY: 'short' }, 'SLUICE_INGEST_KEY'],
    [{ CLICKHOUSE_DATABASE: 'a;b' }, 'CLICKHOUSE_DATABASE'],
    [{ STORE_MERGE_THREADS: '0' }, 'STORE_MERGE_THREADS'],
  ])('%j is rejected naming %s', (env, name) => {
    const r = loadConfig(env)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]!.startsWith(`${name}: `)).toBe(true)
  })

  it('STORE_MERGE_THREADS reaches the embedded store; unset, it is left to the store (half the cores)', () => {
    const set = loadConfig({ STORE_MERGE_THREADS: '3' })
    expect(set.ok && storeOptionsFromConfig(set.config).mergeThreads).toBe(3)
    const unset = loadConfig({})
    expect(unset.ok && storeOptionsFromConfig(unset.config).mergeThreads).toBeUndefined()
  })

  it('reports every problem, one line each, and never echoes a secret', () => {
    const r = loadConfig({ PORT: 'x', LOG_LEVEL: 'y', SLUICE_READ_TOKEN: 'tiny-secret' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'SLUICE_READ_TOKEN'])
    expect(r.problems.join('\n')).not.toContain('tiny-secret')
  })

  it('an invalid environment stops the process at boot with one line per problem', async () => {
    await expect(spawnServer({ PORT: 'x', RETENTION_DAYS: '-1' })).rejects.toThrow(/invalid configuration\n {2}PORT: .*\n {2}RETENTION_DAYS: /)
  })
})

describe('README configuration table', () => {
  it('lists every environment variable Sluice reads, with its real default where the default is a number', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const rows = new Map<string, string>()
    for (const line of readme.split('\n')) {
      const m = /^\| (`[A-Z_]+`(?: \/ `[A-Z_]+`)*) \| ([^|]*) \|/.exec(line)
      if (!m) continue
      const names = m[1]!.split(' / ').map((n) => n.replaceAll('`', ''))
      const defaults = m[2]!.trim().split(' / ')
      names.forEach((n, i) => rows.set(n, (defaults.length === names.length ? defaults[i] : m[2])!.trim()))
    }
    const defaults = loadConfig({})
    expect(defaults.ok).toBe(true)
    if (!defaults.ok) return
    for (const key of Object.keys(envSchema.shape)) {
      expect(rows.has(key), `README lists ${key}`).toBe(true)
      const actual = (defaults.config as unknown as Record<string, unknown>)[key]
      const cell = rows.get(key)!
      const n = /^(\d+)( MiB)?$/.exec(cell)
      if (typeof actual === 'number' && n) expect(Number(n[1]) * (n[2] ? 1024 * 1024 : 1), `README default of ${key}`).toBe(actual)
    }
  })
})

describe('threadpool for the embedded store', () => {
  it('npm start and the Procfile give the process room for every query connection beside the ingest and metadata ones', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }
    const procfile = readFileSync(new URL('../../Procfile', import.meta.url), 'utf8').split('\n').find((l) => l.startsWith('web:'))!
    for (const command of [pkg.scripts.start!, procfile]) {
      const m = /UV_THREADPOOL_SIZE=\$\{UV_THREADPOOL_SIZE:-(\d+)\} node /.exec(command)
      expect(m, command).not.toBeNull()
      const env = { UV_THREADPOOL_SIZE: m![1] }
      expect(Number(m![1])).toBe(LAUNCH_THREADPOOL_SIZE)
      expect(defaultQueryConnections(env)).toBe(4)
      expect(defaultQueryConnections(env) + OTHER_THREADS).toBeLessThanOrEqual(threadpoolSize(env))
    }
    // Launched some other way (Node's pool of 4): one query connection, as many threads as exist.
    expect(defaultQueryConnections({})).toBe(1)
    expect(defaultQueryConnections({}) + OTHER_THREADS).toBeLessThanOrEqual(threadpoolSize({}))
  })

  it('a server launched as npm start does runs 4 query connections, and one given too small a pool for STORE_QUERY_CONNECTIONS says so', async () => {
    const launched = await spawnServer()
    try {
      await launched.ready()
      expect(launched.logs().find((l) => l.msg === 'store ready')).toMatchObject({ query_connections: 4, uv_threadpool: LAUNCH_THREADPOOL_SIZE })
      expect(launched.logs().filter((l) => String(l.msg).includes('UV_THREADPOOL_SIZE'))).toEqual([])
    } finally {
      await launched.stop()
    }
    const server = await spawnServer({ UV_THREADPOOL_SIZE: '4', STORE_QUERY_CONNECTIONS: '4' })
    try {
      await server.ready()
      const warning = server.logs().find((l) => l.level === 'warn' && String(l.msg).includes('UV_THREADPOOL_SIZE'))
      expect(warning, server.output()).toMatchObject({ query_connections: 4, uv_threadpool: 4 })
      expect(server.logs().find((l) => l.msg === 'store ready')).toMatchObject({ query_connections: 4 })
    } finally {
      await server.stop()
    }
  })
})
