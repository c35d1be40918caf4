import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProjectRepository, ProjectService, digestsEqual, generateSecret, hashSecret } from '../../src/projects/index.js'
import { migrate, openStore, type Store } from '../../src/store/index.js'
import { tempDataDir } from '../helpers/spawn-server.js'

let store: Store
let clock = Date.parse('2026-01-01T00:00:00Z')
let svc: ProjectService
beforeAll(async () => {
  store = openStore({ dataDir: tempDataDir(), maxServerMemoryMb: 1024, queryMaxMemoryMb: 256 })
  await migrate(store.client)
  svc = new ProjectService(new ProjectRepository(store.client), { retentionDays: 30, now: () => clock })
})
afterAll(async () => { await store.close() })

describe('secrets', () => {
  it('generated secrets are distinct, prefixed by kind, and URL-safe', () => {
    const a = generateSecret('ingest')
    const b = generateSecret('ingest')
    expect(a).not.toBe(b)
    expect(a).toMatch(/^sk_[A-Za-z0-9_-]{43}$/)
    expect(generateSecret('read')).toMatch(/^rt_/)
    expect(encodeURIComponent(a)).toBe(a)
  })
  it.each([
    [hashSecret('a'), hashSecret('a'), true],
    [hashSecret('a'), hashSecret('b'), false],
    [hashSecret('a'), hashSecret('a').slice(0, 32), false],
    ['', '', false],
  ])('digestsEqual(%s, %s) = %s', (x, y, want) => {
    expect(digestsEqual(x, y)).toBe(want)
  })
})

describe('project, key and token lifecycle', () => {
  it('create → the ingest key writes, the read token reads, neither does the other', async () => {
    const r = await svc.createProject('acme')
    expect(r.project.retentionDays).toBe(30)
    expect(await svc.verifyIngestKey(r.ingestKey)).toEqual({ projectId: r.project.id, retentionDays: 30 })
    expect(await svc.verifyReadToken(r.readToken)).toEqual({ projectId: r.project.id })
    expect(await svc.verifyIngestKey(r.readToken)).toBeNull()
    expect(await svc.verifyReadToken(r.ingestKey)).toBeNull()
    expect(await svc.verifyIngestKey(r.ingestKey + 'x')).toBeNull()
    expect(await svc.verifyIngestKey('')).toBeNull()
  })

  it('secrets are stored only as sha256 digests', async () => {
    const r = await svc.createProject('hashed')
    const rs = await store.client.query({ query: 'SELECT * FROM credentials', format: 'TabSeparated' })
    const dump = await rs.text()
    expect(dump).not.toContain(r.ingestKey)
    expect(dump).not.toContain(r.readToken)
    expect(dump).toContain(hashSecret(r.ingestKey))
  })

  it('duplicate and malformed names are refused with stable codes', async () => {
    await expect(svc.createProject('acme')).rejects.toMatchObject({ code: 'project_exists', status: 409 })
    await expect(svc.createProject('bad name!')).rejects.toMatchObject({ code: 'invalid_project_name' })
    await expect(svc.createReadToken('nope')).rejects.toMatchObject({ code: 'project_not_found', status: 404 })
  })

  it('token create issues another working read token', async () => {
    const p = await svc.getProject('acme')
    const t = await svc.createReadToken('acme')
    expect(await svc.verifyReadToken(t)).toEqual({ projectId: p.id })
  })

  it('key rotate: the old key keeps working through the grace period, then stops', async () => {
    const r = await svc.createProject('rotating')
    const rotated = await svc.rotateIngestKey('rotating', 2)
    expect(await svc.verifyIngestKey(r.ingestKey)).not.toBeNull()
    expect(await svc.verifyIngestKey(rotated.ingestKey)).not.toBeNull()
    clock += 2 * 3_600_000 + 1000
    expect(await svc.verifyIngestKey(r.ingestKey)).toBeNull()
    expect(await svc.verifyIngestKey(rotated.ingestKey)).not.toBeNull()
  })

  it('SLUICE_* credentials: ensureProject creates default with exactly those, and replaces them when they change', async () => {
    const k1 = 'env-ingest-key-0000000001'
    const t1 = 'env-read-token-0000000001'
    expect(await svc.ensureProject('default', k1, t1)).toBe(true)
    expect(await svc.verifyIngestKey(k1)).not.toBeNull()
    expect(await svc.verifyReadToken(t1)).not.toBeNull()
    expect(await svc.ensureProject('default', k1, t1)).toBe(false)
    const k2 = 'env-ingest-key-0000000002'
    await svc.ensureProject('default', k2, t1)
    expect(await svc.verifyIngestKey(k2)).not.toBeNull()
    expect(await svc.verifyIngestKey(k1)).toBeNull()
    expect(await svc.verifyReadToken(t1)).not.toBeNull()
  })

  it('a second service instance (another process on the same server) sees new credentials', async () => {
    const other = new ProjectService(new ProjectRepository(store.client), { retentionDays: 30, now: () => clock })
    const r = await svc.createProject('shared')
    expect(await other.verifyIngestKey(r.ingestKey)).not.toBeNull()
  })
})
