/**
 * Run a bench helper script (`bench/lib/*-main.ts`, `ingest-load.ts`) in its own Node process —
 * the embedded engine binds one data directory per process, and a load generator must not share
 * the server's event loop — and read its one result line, found by a marker on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const LIB = path.dirname(new URL(import.meta.url).pathname)

/** A running helper. */
export interface Child<T> {
  readonly proc: ChildProcess
  /** Resolves with the parsed result line once the process has exited 0. */
  readonly result: Promise<T>
}

/** Start `bench/lib/<script>` with `options` as JSON in argv[2]. */
export function startChild<T>(script: string, options: unknown, marker: string): Child<T> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(LIB, script), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString() })
  const result = new Promise<T>((resolve, reject) => {
    proc.on('exit', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(marker))
      if (line && (code === 0 || code === null)) resolve(JSON.parse(line.slice(marker.length)) as T)
      else reject(new Error(`${script} exited with ${code ?? signal}:\n${out.slice(-2000)}\n${err.slice(-3000)}`))
    })
  })
  return { proc, result }
}
