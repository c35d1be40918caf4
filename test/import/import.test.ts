/**
 * `sluice import` end to end: real corpus lines and a real Logplex body go through a running
 * server's drain; running the same import again (as after an interruption) stores nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { frameForLine, importFrameId, looksLikeLogplex, splitLogplex } from '../../src/import/index.js'
import { parseLogplexBody } from '../../src/logplex/index.js'
import { herokuLogsLines, writeRecentLog } from '../helpers/corpus.js'
import { runCliProcess, spawnServer, tempDataDir, type RunningServer } from '../helpers/spawn-server.js'

const KEY = 'import-test-ingest-key-000001'
const TOKEN = 'import-test-read-token-000001'
let s: RunningServer

async function count(q = 'stats count() as n'): Promise<number> {
  const r = await fetch(`${s.url}/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: q, ts: 'P1D' }) })
  const j = (await r.json()) as { results: { n: number }[] }
  return Number(j.results[0]!.n)
}

beforeAll(async () => {
  s = await spawnServer({ SLUICE_INGEST_KEY: KEY, SLUICE_READ_TOKEN: TOKEN })
  await s.ready()
})
afterAll(async () => { await s?.stop() })

describe('frames for saved lines', () => {
  it.each([
    ['2024-05-01T00:00:00.123456+00:00 heroku[router]: at=info method=GET path="/" status=200', '<158>1 2024-05-01T00:00:00.123456Z host heroku router - at=info method=GET path="/" status=200\n'],
    ['2024-05-01T00:00:00+00:00 app[web.1]: hello', '<190>1 2024-05-01T00:00:00.000000Z host app web.1 - hello\n'],
    ['2010-10-06T21:51:12-07:00 heroku[web.1]: State changed from up to crashed', '<45>1 2010-10-07T04:51:12.000000Z host heroku web.1 - State changed from up to crashed\n'],
  ])('%s', (line, frame) => {
    const f = frameForLine(line, 0)!
    expect(f.toString()).toBe(`${Buffer.byteLength(frame)} ${frame}`)
    expect(parseLogplexBody(f).events).toHaveLength(1)
  })
  it('blank lines make no frame; logplex bodies are recognised and split by bytes', () => {
    expect(frameForLine('   ', 0)).toBeNull()
    const body = Buffer.from('12 <1>1 é abc\n5 <2>1 ')
    expect(looksLikeLogplex(body.toString())).toBe(true)
    expect(splitLogplex(body).map((b) => b.toString())).toEqual(['12 <1>1 é abc\n', '5 <2>1 '])
  })
  it('frame ids depend on position and bytes only', () => {
    const b = Buffer.from('x')
    expect(importFrameId(0, b)).toBe(importFrameId(0, Buffer.from('x')))
    expect(importFrameId(0, b)).not.toBe(importFrameId(1, b))
    expect(importFrameId(0, b)).toMatch(/^[0-9A-F]{32}$/)
  })
})

describe('sluice import', () => {
  it('imports heroku logs output, and a second run of the same file stores nothing twice', async () => {
    const lines = herokuLogsLines()
    const file = path.join(tempDataDir('sluice-import-'), 'app.log')
    writeRecentLog(file, lines)
    const first = await runCliProcess(['import', file, '--url', s.url, '--quiet'], { SLUICE_INGEST_KEY: KEY, DATA_DIR: s.dataDir })
    expect(first.code).toBe(0)
    expect(await count()).toBe(lines.length)
    const again = await runCliProcess(['import', file, '--url', s.url, '--quiet'], { SLUICE_INGEST_KEY: KEY, DATA_DIR: s.dataDir })
    expect(again.code).toBe(0)
    expect(await count()).toBe(lines.length)
  })

  it('imports a raw Logplex body from standard input, split into ~100 KB bodies', async () => {
    const before = await count()
    let body = ''
    const n = 1500
    for (let i = 0; i < n; i++) {
      const m = `<190>1 ${new Date(Date.now() - 60_000 + i).toISOString()} host app worker.1 - stdin line ${i} ${'x'.repeat(100)}\n`
      body += `${Buffer.byteLength(m)} ${m}`
    }
    const file = path.join(tempDataDir('sluice-import-'), 'body.txt')
    writeFileSync(file, body)
    expect(readFileSync(file).length).toBeGreaterThan(200_000)
    const { spawn } = await import('node:child_process')
    const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..')
    const proc = spawn(process.execPath, [path.join(root, 'bin/sluice.js'), 'import', '-', '--url', s.url], { env: { PATH: process.env.PATH ?? '', SLUICE_INGEST_KEY: KEY, DATA_DIR: s.dataDir }, stdio: ['pipe', 'pipe', 'pipe'] })
    let err = ''
    proc.stderr.on('data', (d: Buffer) => { err += d.toString() })
    proc.stdin.end(body)
    expect(await new Promise((r) => proc.on('exit', r))).toBe(0)
    expect(err).toMatch(/imported 1,500 lines in [3-9] bodies/)
    expect(await count()).toBe(before + n)
    expect(await count('filter message like "stdin line %" | stats count() as n')).toBe(n)
  })

  it('stops with a clear message on a bad key', async () => {
    const file = path.join(tempDataDir('sluice-import-'), 'one.log')
    writeRecentLog(file, herokuLogsLines().slice(0, 1))
    const r = await runCliProcess(['import', file, '--url', s.url], { SLUICE_INGEST_KEY: 'wrong-key-0000000000000', DATA_DIR: s.dataDir })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/import stopped: the drain answered 403/)
  })
})

describe('splitting a stream of Logplex bytes at any chunk boundary', () => {
  it('every cut point yields the same frames once the rest is carried into the next chunk', async () => {
    const { splitComplete } = await import('../../src/import/frames.js')
    const m = (s: string) => `${Buffer.byteLength(s)} ${s}`
    const body = Buffer.from(m('<190>1 2024-05-01T00:00:00Z host app web.1 - é one\n') + m('<172>1 2024-05-01T00:00:00Z host heroku logplex - Error L10 (output buffer overflow): 3 messages dropped since 2024-05-01T00:00:00Z.') + m('<190>1 2024-05-01T00:00:01Z host app web.1 - two\n'))
    const whole = splitLogplex(body).map((b) => b.toString())
    expect(whole).toHaveLength(3)
    for (let cut = 1; cut < body.length; cut++) {
      const a = splitComplete(body.subarray(0, cut))
      const b = splitLogplex(Buffer.concat([a.rest, body.subarray(cut)]))
      expect([...a.frames, ...b].map((x) => x.toString()), `cut at ${cut}`).toEqual(whole)
    }
  })
})
