/**
 * Store tests: run on the embedded engine always, and on a ClickHouse server too when
 * CLICKHOUSE_URL is set (skipped, saying so, when it is not).
 */
import { availableParallelism } from 'node:os'
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INSERT_EVENTS_TARGET, nativeBlock } from '../../src/ingest/index.js'
import { FIELDS, PROMOTED_COLUMNS } from '../../src/model/index.js'
import { MIGRATIONS, appliedVersions, migrate, openStore, type Store } from '../../src/store/index.js'
import { tempDataDir } from '../helpers/spawn-server.js'

const targets: { name: string; open: () => Store }[] = [
  { name: 'embedded chDB', open: () => openStore({ dataDir: tempDataDir(), maxServerMemoryMb: 1024, queryMaxMemoryMb: 256, mergeThreads: 3, queryConnections: 2 }) },
]
if (process.env.CLICKHOUSE_URL) {
  targets.push({
    name: `ClickHouse server at ${new URL(process.env.CLICKHOUSE_URL).host}`,
    open: () => openStore({ url: process.env.CLICKHOUSE_URL, user: process.env.CLICKHOUSE_USER ?? 'default', password: process.env.CLICKHOUSE_PASSWORD ?? '', database: process.env.CLICKHOUSE_DATABASE ?? 'default', dataDir: '', maxServerMemoryMb: 1024, queryMaxMemoryMb: 256 }),
  })
} else {
  console.warn('store tests: CLICKHOUSE_URL is not set — the ClickHouse server variant is skipped')
  describe.skip('store on a ClickHouse server (set CLICKHOUSE_URL to run)', () => { it('skipped', () => {}) })
}

for (const target of targets) {
  describe(`store: ${target.name}`, () => {
    let store: Store
    beforeAll(() => { store = target.open() })
    afterAll(async () => { await store.close() })

    it("a query that fails mid-output leaves none of its rows in the next query's answer (another project's, say)", async () => {
      // Rows are written, then the statement throws: chDB used to hand those rows to the next
      // statement on the connection (src/store/chdb-lanes.ts). Both clients: users' queries and ours.
      for (const client of [store.queryClient, store.client]) {
        const failing = (format: 'JSONEachRow' | 'CSVWithNames' | 'JSON') => client.query({
          query: "SELECT {secret:String} AS secret, number, throwIf(number = 50000, 'boom') AS t FROM numbers(100000) SETTINGS max_block_size = 1000",
          query_params: { secret: 'project-a-secret' }, format,
        }).then((r) => r.text())
        for (const format of ['JSONEachRow', 'CSVWithNames', 'JSON'] as const) {
          // Back to back, and fired together the way two users' requests arrive.
          await expect(failing(format)).rejects.toThrow(/boom/)
          const next = await (await client.query({ query: 'SELECT {p:String} AS project', query_params: { p: 'b' }, format: 'JSONEachRow' })).json()
          expect(next).toEqual([{ project: 'b' }])
          const [a, b] = await Promise.allSettled([failing(format), client.query({ query: "SELECT 'b' AS project", format: 'CSVWithNames' }).then((r) => r.text())])
          expect(a.status).toBe('rejected')
          expect(b).toEqual({ status: 'fulfilled', value: '"project"\n"b"\n' })
        }
      }
    })

    it('a long query holds up neither our own statements nor another query', async () => {
      // Embedded, each runs on a connection of its own (chDB runs one statement at a time per
      // connection, and chdb-node would run parameterized ones one at a time in the whole process).
      const done: string[] = []
      const run = (client: typeof store.client, name: string, seconds: number) => client
        .query({ query: 'SELECT sleep({s:Float64}) AS z, {name:String} AS name', query_params: { s: seconds, name }, format: 'JSONEachRow' })
        .then((r) => r.json<{ name: string }>())
        .then((rows) => { done.push(rows[0]!.name) })
      const long = run(store.queryClient, 'long', 2)
      await new Promise((r) => setTimeout(r, 200))
      await Promise.all([run(store.client, 'ours', 0), run(store.queryClient, 'another query', 0)])
      await long
      expect(done.slice(0, 2).sort()).toEqual(['another query', 'ours'])
      expect(done[2]).toBe('long')
    })

    it('query parameters reach the engine exactly as given (strings, arrays, numbers), also from many queries at once', async () => {
      const text = fc.string({ unit: 'binary', maxLength: 40 })
      const value = fc.record({
        s: fc.oneof(text, fc.constantFrom("'", '\\', "\\'", '\0', '\n\t\r\b\f', "x'); DROP TABLE events; --", '{p:String}', '\\N')),
        arr: fc.array(text, { maxLength: 4 }),
        i: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        f: fc.double({ noNaN: true, noDefaultInfinity: true }),
        b: fc.boolean(),
      })
      // Lone surrogates cannot travel as UTF-8: they arrive as U+FFFD, as from any client.
      const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8')
      await fc.assert(fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 6 }), async (batch) => {
        const answers = await Promise.all(batch.map(async (v) => {
          const rs = await store.queryClient.query({
            query: 'SELECT {s:String} AS s, {arr:Array(String)} AS arr, toString({i:Int64}) AS i, {f:Float64} AS f, {b:Bool} AS b',
            query_params: v, format: 'JSONEachRow',
          })
          return (await rs.json<{ s: string; arr: string[]; i: string; f: number; b: boolean }>())[0]!
        }))
        answers.forEach((a, k) => {
          const v = batch[k]!
          expect(a).toEqual({ s: utf8(v.s), arr: v.arr.map(utf8), i: String(v.i), f: Object.is(v.f, -0) ? a.f : v.f, b: v.b })
        })
      }), { numRuns: 120, seed: Number(process.env.FUZZ_SEED ?? 20261203) })
    })

    it('takes parameters far over the engine\'s 256 KiB query size (a long list, multi-byte text), on every client', async () => {
      const ids = Array.from({ length: 20_000 }, (_, i) => `frame-${i}-${'é'.repeat(8)}`) // ~540 KB as UTF-8
      const text = '日本語'.repeat(40_000) // 120,000 characters, 360 KB
      for (const client of [store.queryClient, store.client, store.ingestClient]) {
        const rs = await client.query({
          query: 'SELECT length({ids:Array(String)}) AS n, {ids:Array(String)}[20000] AS last, lengthUTF8({t:String}) AS t',
          query_params: { ids, t: text }, format: 'JSONEachRow',
        })
        expect(await rs.json()).toEqual([{ n: 20_000, last: ids[19_999], t: 120_000 }])
      }
      // A short statement afterwards on the same connections still works.
      const rs = await store.queryClient.query({ query: 'SELECT {x:UInt8} AS x', query_params: { x: 7 }, format: 'JSONEachRow' })
      expect(await rs.json()).toEqual([{ x: 7 }])
    })

    it('cancelQueries stops the statements running with its tag, and only those', async () => {
      const heavy = (tag: string) => store.queryClient
        .query({ query: `SELECT sum(cityHash64(number)) AS s FROM numbers(100000000000) SETTINGS log_comment = '${tag}'`, format: 'JSONEachRow' })
        .then((r) => r.json(), (e: unknown) => e)
      const listed = async (tag: string) => {
        const rs = await store.client.query({ query: "SELECT count() AS n FROM system.processes WHERE Settings['log_comment'] = {tag:String}", query_params: { tag }, format: 'JSONEachRow' })
        return Number((await rs.json<{ n: string }>())[0]!.n)
      }
      const [a, b] = [heavy('cancel-test-a'), heavy('cancel-test-b')]
      for (let i = 0; (await listed('cancel-test-a')) + (await listed('cancel-test-b')) < 2; i++) {
        expect(i).toBeLessThan(600)
        await new Promise((r) => setTimeout(r, 50))
      }
      await store.cancelQueries('cancel-test-a')
      expect(String(await a)).toMatch(/cancel/i)
      expect(await listed('cancel-test-b')).toBe(1)
      await store.cancelQueries('cancel-test-b')
      expect(String(await b)).toMatch(/cancel/i)
      await store.cancelQueries('no-such-tag') // nothing to stop is not an error
    })

    it('refuses a statement that names a parameter it does not bind, even right after one that bound it', async () => {
      for (const client of [store.queryClient, store.client]) {
        await (await client.query({ query: 'SELECT {project_id:String} AS p', query_params: { project_id: 'project-a' }, format: 'JSONEachRow' })).json()
        await expect(client.query({ query: 'SELECT {project_id:String} AS p', format: 'JSONEachRow' }).then((r) => r.json())).rejects.toThrow(/project_id/)
      }
    })

    it('answers a ping', async () => {
      expect(await store.ping()).toEqual({ ok: true })
    })

    it('applies migrations once, and a second run in a row applies nothing', async () => {
      const first = await migrate(store.client)
      expect(first.current).toBe(MIGRATIONS.at(-1)!.version)
      const second = await migrate(store.client)
      expect(second.applied).toEqual([])
      expect(second.current).toBe(first.current)
      expect(await appliedVersions(store.client)).toEqual(MIGRATIONS.map((m) => m.version))
    })

    it('the events table has every column of the field reference, promoted ones with their type', async () => {
      const rs = await store.client.query({ query: "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'events'", format: 'JSONEachRow' })
      const types = new Map((await rs.json<{ name: string; type: string }>()).map((c) => [c.name, c.type]))
      for (const c of PROMOTED_COLUMNS) expect(types.get(c.column)).toBe(c.chType)
      expect(types.get('attrs')).toBe('JSON(max_dynamic_paths=512)')
      const cols = await store.client.query({ query: "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'events'", format: 'JSONEachRow' })
      const names = new Set((await cols.json<{ name: string }>()).map((c) => c.name))
      for (const f of FIELDS) if (f.storage.kind === 'column') expect(names.has(f.storage.column)).toBe(true)
    })

    it('is partitioned by day, ordered by project, kind and time, with a per-row TTL', async () => {
      const rs = await store.client.query({ query: "SELECT partition_key, sorting_key, create_table_query FROM system.tables WHERE database = currentDatabase() AND name = 'events'", format: 'JSONEachRow' })
      const t = (await rs.json<{ partition_key: string; sorting_key: string; create_table_query: string }>())[0]!
      expect(t.partition_key).toBe('toDate(ts)')
      expect(t.sorting_key).toBe('project_id, event_type, ts')
      expect(t.create_table_query).toContain('TTL toDateTime(ts) + toIntervalDay(retention_days)')
    })

    it('has skip indexes for the selective lookups (request_id: 0.1% false positives per granule, after migration 2; none on event_type, the sort key has it, after migration 4)', async () => {
      const rs = await store.client.query({ query: "SELECT name, type_full, granularity FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'events' ORDER BY name", format: 'JSONEachRow' })
      expect(await rs.json()).toEqual([
        { name: 'idx_error_code', type_full: 'set(256)', granularity: 4 },
        { name: 'idx_frame_id', type_full: 'bloom_filter(0.01)', granularity: 4 },
        { name: 'idx_request_id', type_full: 'bloom_filter(0.001)', granularity: 1 },
        { name: 'idx_router_path', type_full: 'bloom_filter(0.001)', granularity: 1 },
      ])
    })

    it('skips the granules a raw path is not in (bloom filter on router_path, migration 6)', async () => {
      const cols = "project_id, ts, received_ts, id, environment, app, source, proc, proc_type, event_type, message, size, drain, frame_id, retention_days, router_path, router_service"
      await store.client.command({ query: `INSERT INTO events (${cols}) SELECT 'bloom-test', now64(6) - number, now64(6), generateUUIDv4(), 'production', '', 'heroku', 'router', 'router', 'router',
        'at=info', 100, '', '', 30, concat('/carts/', toString(number)), number % 1000 FROM numbers(100000) SETTINGS max_block_size = 100000` })
      const rs = await store.client.query({ query: "EXPLAIN indexes = 1 SELECT count() FROM events WHERE project_id = 'bloom-test' AND router_path = '/carts/4242'", format: 'TabSeparated' })
      const plan = await rs.text()
      const skip = plan.slice(plan.indexOf('Name: idx_router_path'))
      const m = skip.match(/Granules: (\d+)\/(\d+)/)
      expect(m, plan).not.toBeNull()
      expect(Number(m![2])).toBeGreaterThan(5)
      expect(Number(m![1])).toBeLessThanOrEqual(2)
      const n = await store.client.query({ query: "SELECT count() AS n FROM events WHERE project_id = 'bloom-test' AND router_path = '/carts/4242'", format: 'JSONEachRow' })
      expect((await n.json<{ n: number | string }>()).map((r) => Number(r.n))).toEqual([1])
    })

    it.runIf(target.name.startsWith('embedded'))("runs INSERTs at nice 5 only while users' queries run or ran in the last second (queries first), else at 0", async () => {
      const quiet = () => new Promise((r) => setTimeout(r, 1100))
      await quiet()
      expect(store.insertNice()).toBe(0)
      // Our own statements (auth, metadata, metrics scrapes) do not count.
      await (await store.client.query({ query: 'SELECT sleep(0.3) AS s', format: 'JSONEachRow' })).json()
      expect(store.insertNice()).toBe(0)
      const running = store.queryClient.query({ query: 'SELECT sleep(0.3) AS s', format: 'JSONEachRow' })
      expect(store.insertNice()).toBe(5)
      await (await running).json()
      expect(store.insertNice()).toBe(5)
      await quiet()
      expect(store.insertNice()).toBe(0)
      // The INSERT itself runs with it: a row goes in either way.
      await store.nativeInserter().insert(INSERT_EVENTS_TARGET, nativeBlock([{
        projectId: 'nice-test', environment: 'e', app: '', drain: '', frameId: '', id: crypto.randomUUID(), receivedMicros: Date.now() * 1000, retentionDays: 30,
        tsMicros: Date.now() * 1000, source: 'app', proc: 'web.1', procType: 'web', eventType: 'app', level: null, errorCode: null, requestId: null, message: 'nice', size: 4, attrs: {},
      }]).bytes)
      const n = await store.client.query({ query: "SELECT count() AS n FROM events WHERE project_id = 'nice-test'", format: 'JSONEachRow' })
      expect((await n.json<{ n: number | string }>()).map((r) => Number(r.n))).toEqual([1])
    })

    it.runIf(target.name.startsWith('embedded'))('caps the embedded engine at STORE_MAX_MEMORY_MB instead of 90% of RAM', async () => {
      const rs = await store.client.query({ query: "SELECT value FROM system.server_settings WHERE name = 'max_server_memory_usage'", format: 'JSONEachRow' })
      expect(Number((await rs.json<{ value: string }>())[0]!.value)).toBe(1024 * 1024 * 1024)
    })

    it.runIf(target.name.startsWith('embedded'))('runs background merges on STORE_MERGE_THREADS threads (chDB would size the pool to the cores)', async () => {
      const rs = await store.client.query({ query: "SELECT value FROM system.server_settings WHERE name = 'background_pool_size'", format: 'JSONEachRow' })
      expect(Number((await rs.json<{ value: string }>())[0]!.value)).toBe(3)
    })

    it('reports the events table\'s parts and merges for /metrics, and reading them does not count as a query', async () => {
      const before = await store.partStats()
      await store.client.command({ query: 'SYSTEM STOP MERGES events' })
      try {
        const day = 86_400_000
        const row = (tsMs: number) => ({
          projectId: 'parts-test', environment: 'e', app: '', drain: '', frameId: '', id: crypto.randomUUID(), receivedMicros: Date.now() * 1000, retentionDays: 30,
          tsMicros: tsMs * 1000, source: 'app', proc: 'web.1', procType: 'web', eventType: 'app' as const, level: null, errorCode: null, requestId: null, message: 'p', size: 1, attrs: {},
        })
        // Three INSERTs, three parts: two of them in the day of 2 days ago, one in yesterday's.
        for (const ts of [Date.now() - 2 * day, Date.now() - 2 * day + 1, Date.now() - day]) {
          await store.nativeInserter().insert(INSERT_EVENTS_TARGET, nativeBlock([row(ts)]).bytes)
        }
        await new Promise((r) => setTimeout(r, 1100)) // no query in the last second
        const after = await store.partStats()
        expect(after.activeParts).toBe(before.activeParts + 3)
        expect(after.maxPartsPerPartition).toBeGreaterThanOrEqual(2)
        expect(after.mergesRunning).toBe(0)
        expect(store.insertNice()).toBe(0)
      } finally {
        await store.client.command({ query: 'SYSTEM START MERGES events' })
      }
    })

    it('applies the per-query memory limit to every query', async () => {
      const rs = await store.client.query({ query: "SELECT getSetting('max_memory_usage') AS m", format: 'JSONEachRow' })
      expect(Number((await rs.json<{ m: string }>())[0]!.m)).toBe(256 * 1024 * 1024)
    })

    it.runIf(target.name.startsWith('embedded') && availableParallelism() >= 2)('runs a query on several threads under the memory cap (not one: ClickHouse 26 lowers threads when free memory < threads × 1 GiB)', async () => {
      const rs = await store.client.query({ query: 'EXPLAIN PIPELINE SELECT count() FROM numbers_mt(100000000) WHERE number % 7 = 3', format: 'TabSeparated' })
      expect(await rs.text()).toMatch(/FilterTransform × [2-9]/)
    })

    it('a query does not wait for an INSERT in flight on the ingest connection', async () => {
      await store.client.command({ query: 'CREATE TABLE IF NOT EXISTS big_insert (x UInt64, s String) ENGINE = MergeTree ORDER BY x' })
      // A few hundred ms of insert work, then a query on the query client while it runs.
      const body = Array.from({ length: 300_000 }, (_, i) => `[${i},"${'x'.repeat(40)}${i}"]\n`).join('')
      const order: string[] = []
      const insert = store.ingestClient.exec({ query: 'INSERT INTO big_insert FORMAT JSONCompactEachRow', values: Readable.from([body]) })
        .then((r) => { r.stream.resume(); order.push('insert') })
      await new Promise((r) => setTimeout(r, 20))
      const rs = await store.client.query({ query: 'SELECT 1 AS one', format: 'JSONEachRow' })
      expect(await rs.json()).toEqual([{ one: 1 }])
      order.push('query')
      await insert
      expect(order).toEqual(['query', 'insert'])
      await store.client.command({ query: 'DROP TABLE big_insert' })
    })
  })
}

