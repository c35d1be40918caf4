/**
 * Files a running embedded Sluice keeps in DATA_DIR: a lock naming the process and its URL (the
 * embedded engine is one process per data directory, so a second server must refuse to start and
 * the CLI must talk to this one over HTTP), and the admin token the CLI uses for that.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { generateSecret } from '../projects/index.js'

/** Contents of `DATA_DIR/sluice.lock`. */
export interface LockInfo {
  readonly pid: number
  /** 'server' (serving HTTP at `url`) or 'cli' (a CLI command holding the store directly). */
  readonly role: 'server' | 'cli'
  readonly url: string
  readonly startedAt: string
}

const lockFile = (dataDir: string) => path.join(dataDir, 'sluice.lock')

/** Is a process with this pid alive? */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The live lock holder of a data directory, or null (a stale lock of a dead process is ignored). */
export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as LockInfo
    return info.pid !== process.pid && alive(info.pid) ? info : null
  } catch {
    return null
  }
}

/** Take the data directory's lock or say who holds it. */
export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): { ok: true } | { ok: false; holder: LockInfo } {
  mkdirSync(dataDir, { recursive: true })
  const file = lockFile(dataDir)
  const mine: LockInfo = { ...info, pid: process.pid, startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx' })
      return { ok: true }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const holder = readLock(dataDir)
      if (holder) return { ok: false, holder }
      rmSync(file, { force: true }) // stale: its process is gone
    }
  }
  const holder = readLock(dataDir)
  return holder ? { ok: false, holder } : { ok: true }
}

/** Update the lock (e.g. once the port is known). */
export function updateLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): void {
  writeFileSync(lockFile(dataDir), JSON.stringify({ ...info, pid: process.pid, startedAt: new Date().toISOString() }))
}

/** Release our lock (only if it is ours). */
export function releaseLock(dataDir: string): void {
  try {
    const info = JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as LockInfo
    if (info.pid === process.pid) rmSync(lockFile(dataDir), { force: true })
  } catch {
    /* already gone */
  }
}

/**
 * The admin token: SLUICE_ADMIN_TOKEN when set, else `DATA_DIR/admin.token` (created 0600 on first
 * use, readable only by the user running Sluice, which is who may administer it).
 */
export function adminToken(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv
  const file = path.join(dataDir, 'admin.token')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const token = generateSecret('admin')
  writeFileSync(file, token + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  return token
}
