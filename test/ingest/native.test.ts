/**
 * The Native block encoder against the embedded engine: rows encoded by nativeBlock, inserted
 * through the store's inserter, read back column by column must be the rows that went in —
 * random rows (fast-check), edge values (long and multi-byte strings, lone surrogates, NULLs,
 * timestamps at the clamps, every promoted type) and values that do not fit a typed column.
 */
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { batchRows, INSERT_EVENTS_TARGET, mergeBlocks, nativeBlock, nativeBlockOf, type EventBatch, type NativeBlock } from '../../src/ingest/index.js'
import { frameEventId, framePrefix } from '../../src/ingest/event-id.js'
import type { ParsedEvent } from '../../src/model/index.js'
import { PROMOTED_COLUMNS, type EventRow } from '../../src/model/index.js'
import { openHarness, type Harness } from './harness.js'

let h: Harness
beforeAll(async () => { h = await openHarness() })
afterAll(async () => { await h.close() })

let project = 0
/** Insert blocks as the writer does: merged into one. */
const insert = async (blocks: NativeBlock[]) => h.store.nativeInserter().insert(INSERT_EVENTS_TARGET, mergeBlocks(blocks))

const PROMOTED_SELECT = PROMOTED_COLUMNS.map((c) => `toString(${c.column}) AS ${c.column}`).join(', ')
interface Back { [k: string]: string | number | null }
/** Every column of a project's rows, as text, in insertion order of `size` (the test numbers rows through it). */
const readBack = (projectId: string) => h.rows<Back>(
  `SELECT project_id, environment, app, drain, frame_id, retention_days, toString(toUnixTimestamp64Micro(received_ts)) AS received,
     toString(toUnixTimestamp64Micro(ts)) AS t, toString(id) AS id, source, proc, proc_type, event_type, level, error_code,
     request_id, message, size, ${PROMOTED_SELECT}, toJSONString(attrs) AS attrs
   FROM events WHERE project_id = {p:String} ORDER BY size`, { p: projectId })

/** What a string reads back as: UTF-8 has no lone surrogates, Buffer writes them as U+FFFD. */
const utf8 = (s: string) => Buffer.from(s).toString()

const base = (projectId: string, i: number, over: Partial<EventRow> = {}): EventRow => ({
  projectId, environment: 'production', app: 'shop', drain: 'd.1', frameId: 'F1', id: crypto.randomUUID(),
  receivedMicros: Date.UTC(2026, 0, 2, 3, 4, 5) * 1000 + 123_456, retentionDays: 3650, tsMicros: Date.UTC(2026, 0, 2, 3, 4, 5) * 1000 + i,
  source: 'app', proc: 'web.1', procType: 'web', eventType: 'app', level: null, errorCode: null, requestId: null,
  message: `line ${i}`, size: i, attrs: {}, ...over,
})

describe('nativeBlock → engine → the same rows', () => {
  it('random rows: every base column reads back as written', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 300 })
    const row = fc.record({
      environment: text, app: text, drain: text, frameId: text, source: text, proc: text, procType: text,
      level: fc.option(fc.constantFrom('fatal', 'error', 'warn', 'info', 'debug') as fc.Arbitrary<EventRow['level'] & string>), errorCode: fc.option(text), requestId: fc.option(text), message: fc.string({ unit: 'binary', maxLength: 20_000 }),
      // The table's TTL (ts + retention_days, DateTime: before 2106) drops expired rows as they are written: keep them alive (projects allow 1–3650 days).
      retentionDays: fc.integer({ min: 2, max: 3650 }), tsMicros: fc.integer({ min: Date.now() * 1000, max: (Date.now() + 86_400_000) * 1000 }), receivedMicros: fc.integer({ min: 0, max: 9e15 }),
      id: fc.uuid(),
    })
    // Rows split into blocks of `chunk` rows, merged into one as the writer merges requests.
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 8 }), async (specs, chunk) => {
      const p = `native-${++project}`
      const rows = specs.map((s, i) => base(p, i, { ...s, size: i }))
      const blocks: NativeBlock[] = []
      for (let i = 0; i < rows.length; i += chunk) blocks.push(nativeBlock(rows.slice(i, i + chunk)))
      await insert(blocks)
      const back = await readBack(p)
      expect(back).toHaveLength(rows.length)
      back.forEach((b, i) => {
        const r = rows[i]!
        expect(b).toMatchObject({
          project_id: p, environment: utf8(r.environment), app: utf8(r.app), drain: utf8(r.drain), frame_id: utf8(r.frameId),
          retention_days: r.retentionDays, received: String(r.receivedMicros), t: String(r.tsMicros), id: r.id.toLowerCase(),
          source: utf8(r.source), proc: utf8(r.proc), proc_type: utf8(r.procType), event_type: 'app',
          level: r.level, error_code: r.errorCode === null ? null : utf8(r.errorCode),
          request_id: r.requestId === null ? null : utf8(r.requestId), message: utf8(r.message), size: i, attrs: '{}',
        })
      })
    }), { numRuns: 15, endOnFailure: true })
  })

  it('a negative or NaN timestamp is written as the epoch', async () => {
    const p = `native-${++project}`
    // 49,000 days of retention: the epoch plus that is still before DateTime's 2106 end (the TTL).
    await insert([nativeBlock([base(p, 0, { tsMicros: -5, retentionDays: 49_000 }), base(p, 1, { tsMicros: Number.NaN, retentionDays: 49_000 })])])
    expect((await readBack(p)).map((b) => b.t)).toEqual(['0', '0'])
  })

  it('router rows: every promoted column typed; a value that does not fit stays in attrs and the column is NULL', async () => {
    const p = `native-${++project}`
    const full = {
      'router.at': 'error', 'router.code': 'H12', 'router.desc': 'Request timeout', 'router.method': 'GET', 'router.path': '/a?b=ü',
      'router.route': '/a', 'router.host': 'x.herokuapp.com', 'router.fwd': '1.2.3.4', 'router.dyno': 'web.1', 'router.connect': 4_294_967_295,
      'router.service': 30_000, 'router.status': 65_535, 'router.bytes': 2 ** 53 - 1, 'router.protocol': 'https', 'router.tls': true,
      'router.tls_version': 'TLSv1.3', 'router.sock': 'client', 'router.cause': 'x', 'router.agent': 'curl/8', 'other.key': 'kept',
    }
    const misfit = { 'router.status': 'abc', 'router.connect': -1, 'router.service': 1.5, 'router.bytes': 2 ** 60, 'router.tls': 'yes', 'router.method': 7, 'router.path': null }
    // Blocks of 1 and 3 rows merged: Nullable columns interleave null maps and values per block.
    await insert([nativeBlock([base(p, 0, { eventType: 'router', attrs: full })]), nativeBlock([
      base(p, 1, { eventType: 'router', attrs: misfit }),
      base(p, 2, { eventType: 'router', attrs: {} }),
      base(p, 3, { eventType: 'app', attrs: { 'router.status': 200, 'user.id': 5, note: 'a\tb\n"c"' } }),
    ])])
    const [a, b, c, d] = await readBack(p)
    expect(a).toMatchObject({
      router_at: 'error', router_code: 'H12', router_desc: 'Request timeout', router_method: 'GET', router_path: '/a?b=ü', router_route: '/a',
      router_host: 'x.herokuapp.com', router_fwd: '1.2.3.4', router_dyno: 'web.1', router_connect: '4294967295', router_service: '30000',
      router_status: '65535', router_bytes: String(2 ** 53 - 1), router_protocol: 'https', router_tls: 'true', router_tls_version: 'TLSv1.3',
      router_sock: 'client', router_cause: 'x', router_agent: 'curl/8',
    })
    expect(JSON.parse(a!.attrs as string)).toEqual({ other: { key: 'kept' } })
    // Misfits: numbers as text in string columns; anything else NULL in its column, kept in attrs.
    expect(b).toMatchObject({ router_status: null, router_connect: null, router_service: null, router_bytes: null, router_tls: null, router_method: '7', router_path: null })
    expect(JSON.parse(b!.attrs as string)).toEqual({ router: { status: 'abc', connect: -1, service: 1.5, bytes: 2 ** 60, tls: 'yes' } })
    expect(Object.values(c!).filter((v) => v === null)).toHaveLength(3 + PROMOTED_COLUMNS.length)
    // Only router rows have router columns: an app's own `router.status` is its attribute.
    expect(d).toMatchObject({ router_status: null })
    expect(JSON.parse(d!.attrs as string)).toEqual({ router: { status: 200 }, user: { id: 5 }, note: 'a\tb\n"c"' })
  })

  it('attrs keys and values with a lone surrogate (a JSON \\ud800 escape) are stored with U+FFFD, not rejected', async () => {
    const p = `native-${++project}`
    await insert([nativeBlock([base(p, 0, { attrs: { note: 'a\ud800b', ['k\udc00']: 1, ok: 'ü' } })])])
    expect(JSON.parse((await readBack(p))[0]!.attrs as string)).toEqual({ note: 'a\ufffdb', ['k\ufffd']: 1, ok: 'ü' })
  })

  it('several blocks merged into one INSERT: all rows, in one part', async () => {
    const p = `native-${++project}`
    const parts = async () => Number((await h.rows<{ n: string }>(`SELECT count() AS n FROM system.parts WHERE table = 'events' AND active`))[0]!.n)
    await h.store.client.command({ query: 'SYSTEM STOP MERGES events' })
    try {
      const before = await parts()
      await insert([0, 1, 2].map((k) => nativeBlock(Array.from({ length: 50 }, (_, i) => base(p, k * 50 + i)))))
      expect(await parts()).toBe(before + 1)
    } finally {
      await h.store.client.command({ query: 'SYSTEM START MERGES events' })
    }
    expect((await readBack(p)).map((b) => b.size)).toEqual(Array.from({ length: 150 }, (_, i) => i))
  })

  it('spool files live only for their INSERT: none are left after inserts', async () => {
    const p = `native-${++project}`
    await Promise.all([0, 1, 2].map((k) => insert([nativeBlock([base(p, k)])])))
    const mine = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []).filter((f) => f.startsWith('sluice-spool-') && f.includes(`-${process.pid}-`))
    expect([...mine('/dev/shm'), ...mine(join(dirname(h.store.location), 'ingest-spool'))]).toEqual([])
    expect(await readBack(p)).toHaveLength(3)
  })

  it('an id that is not a UUID is a programming error, thrown before anything is sent', () => {
    expect(() => nativeBlock([base('x', 0, { id: 'not-a-uuid' })])).toThrow(/not a UUID/)
    expect(() => nativeBlock([base('x', 0, { id: '0000000-00000-4000-8000-000000000001' })])).toThrow(/not a UUID/)
    expect(() => nativeBlock([base('x', 0, { id: '00000000-0000-4000-8000-00000000000g' })])).toThrow(/not a UUID/)
  })
})

describe('a drain request encoded as a batch (no row objects) is the same block as its rows', () => {
  const text = fc.string({ unit: 'binary', maxLength: 60 })
  const event: fc.Arbitrary<ParsedEvent> = fc.record({
    tsMicros: fc.integer({ min: 0, max: 9e15 }), source: text, proc: text, procType: text,
    eventType: fc.constantFrom('app', 'router', 'dyno') as fc.Arbitrary<ParsedEvent['eventType']>,
    level: fc.option(fc.constantFrom('error', 'info') as fc.Arbitrary<'error' | 'info'>), errorCode: fc.option(text), requestId: fc.option(text),
    message: fc.string({ unit: 'binary', maxLength: 400 }), size: fc.integer({ min: 0, max: 100_000 }),
    attrs: fc.dictionary(fc.constantFrom('router.status', 'router.path', 'router.service', 'router.tls', 'n', 'k.x'), fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null))),
  })
  const request = fc.record({
    projectId: text, environment: text, app: text, drain: text, frameId: text,
    receivedMicros: fc.integer({ min: 0, max: 9e15 }), retentionDays: fc.integer({ min: 1, max: 3650 }),
  })

  it('byte for byte, with frame ids, random ids and retry-filtered indexes; ids are frameEventId', () => {
    fc.assert(fc.property(fc.array(event, { maxLength: 30 }), request, fc.boolean(), fc.boolean(), (events, req, framed, filtered) => {
      const prefix = framed ? framePrefix(req.projectId, req.drain, req.frameId) : null
      const fromEnd = filtered ? events.map((_, i) => 3 * i + 1) : null
      const batch: EventBatch = { events, request: req, framePrefix: prefix, fromEnd, ids: framed ? null : events.map(() => crypto.randomUUID()) }
      const rows = batchRows(batch)
      expect(rows.map((r) => r.id)).toEqual(events.map((e, i) => prefix ? frameEventId(prefix, e.message, fromEnd ? fromEnd[i]! : events.length - 1 - i) : batch.ids![i]!))
      if (events.length === 0) return
      const a = nativeBlockOf(batch)
      const b = nativeBlock(rows)
      expect(a.rows).toBe(b.rows)
      expect(a.sections).toEqual(b.sections)
      expect(a.bytes.equals(b.bytes)).toBe(true)
    }), { numRuns: 300 })
  })

  it('reads back from the engine with the ids the rows carry', async () => {
    const p = `native-${++project}`
    const events: ParsedEvent[] = Array.from({ length: 5 }, (_, i) => ({
      tsMicros: Date.now() * 1000 + i, source: 'app', proc: 'web.1', procType: 'web', eventType: 'app', level: null, errorCode: null, requestId: null,
      message: `batch line ${i}`, size: i, attrs: { n: i },
    }))
    const batch: EventBatch = {
      events, framePrefix: framePrefix(p, 'd.1', 'FRAME-B'), fromEnd: null, ids: null,
      request: { projectId: p, environment: 'production', app: 'shop', drain: 'd.1', frameId: 'FRAME-B', receivedMicros: Date.now() * 1000, retentionDays: 30 },
    }
    await insert([nativeBlockOf(batch)])
    const back = await readBack(p)
    expect(back.map((r) => r.id)).toEqual(batchRows(batch).map((r) => r.id))
    expect(back.map((r) => r.frame_id)).toEqual(Array(5).fill('FRAME-B'))
    expect(back.map((r) => r.attrs)).toEqual(events.map((_, i) => `{"n":${i}}`))
  })
})

