/**
 * Start the real entry point (`src/main.ts`) in a child process on a free port with its own data
 * directory, as a user would, and stop it with a signal. Used by end-to-end tests.
 */
import { LAUNCH_THREADPOOL_SIZE } from '../../src/store/threadpool.js'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..')

/** A running server. */
export interface RunningServer {
  readonly url: string
  readonly dataDir: string
  readonly proc: ChildProcess
  /** Everything the process wrote to stdout/stderr so far. */
  output(): string
  /** Lines of stdout that parse as JSON log objects. */
  logs(): Record<string, unknown>[]
  /** Wait until /ready answers 200. */
  ready(timeoutMs?: number): Promise<void>
  /** Send a signal and wait for exit; resolves with the exit code (null if killed). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>
}

/** A fresh temporary data directory. */
export function tempDataDir(prefix = 'sluice-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** Spawn `node --import tsx src/main.ts` with `env` (PORT defaults to 0 = any free port; UV_THREADPOOL_SIZE as `npm start` sets it). */
export async function spawnServer(env: Record<string, string> = {}, opts: { dataDir?: string; timeoutMs?: number } = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? tempDataDir()
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', UV_THREADPOOL_SIZE: String(LAUNCH_THREADPOOL_SIZE), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  const logs = () =>
    out.split('\n').flatMap((l) => {
      try {
        const o = JSON.parse(l) as unknown
        return o && typeof o === 'object' ? [o as Record<string, unknown>] : []
      } catch {
        return []
      }
    })
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000)
  let port: number | undefined
  while (port === undefined) {
    const l = logs().find((x) => x.msg === 'listening')
    if (l) port = Number(l.port)
    else if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`)
    else if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`)
    else await new Promise((r) => setTimeout(r, 50))
  }
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    dataDir,
    proc,
    output: () => out,
    logs,
    async ready(timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs
      for (;;) {
        const r = await fetch(`${url}/ready`).catch(() => null)
        if (r?.status === 200) return
        if (Date.now() > end) throw new Error(`not ready: ${r?.status} ${await r?.text()}\n${out}`)
        await new Promise((res) => setTimeout(res, 100))
      }
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (proc.exitCode !== null) return proc.exitCode
      proc.kill(signal)
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs))
      const r = await Promise.race([exited, timer])
      if (r === 'timeout') {
        proc.kill('SIGKILL')
        throw new Error(`server did not exit within ${timeoutMs} ms after ${signal}`)
      }
      return r
    },
  }
}

/** Run the CLI as a user would (`node bin/sluice.js …`). */
export async function runCliProcess(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/sluice.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  proc.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve))
  return { code, stdout, stderr }
}
