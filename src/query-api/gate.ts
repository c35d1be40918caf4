/**
 * Admission of users' queries. At most `slots` requests run at once (embedded: one per query
 * connection, so none waits inside the store where it could not be seen or bounded); one project
 * runs at most `perProject` of them, so a burst from one project (a dashboard of 12 panels, a
 * script) always leaves a slot for the others; and no request waits longer than `maxWaitMs` for a
 * slot: it gets a clear answer instead of a request that hangs — 429 `too_many_queries` when its
 * own project holds its share, 503 `store_busy` when everyone's queries fill the store. Waiters
 * are admitted first come, first served among those their project's share allows.
 */
import { AppError } from '../errors.js'
import { queryCancelled } from './run.js'

/** Runs or waits: what /metrics shows. */
export interface QueryGate {
  /**
   * Wait for a slot for a request of `projectId`; resolves to the function that gives it back
   * (safe to call twice). Rejects with `query_cancelled` if `signal` fires first, or 429/503
   * after `maxWaitMs`.
   */
  acquire(projectId: string, signal?: AbortSignal): Promise<() => void>
  readonly running: number
  readonly waiting: number
}

export interface GateOptions {
  readonly slots: number
  /** Default: all slots but one (all of them when there is one). */
  readonly perProject?: number
  readonly maxWaitMs: number
}

interface Waiter {
  readonly projectId: string
  readonly admit: () => void
}

/** A gate with `opts.slots` slots. */
export function createQueryGate(opts: GateOptions): QueryGate {
  const perProject = opts.perProject ?? Math.max(1, opts.slots - 1)
  let running = 0
  const byProject = new Map<string, number>()
  const waiters: Waiter[] = []
  const fits = (projectId: string) => running < opts.slots && (byProject.get(projectId) ?? 0) < perProject
  const take = (projectId: string): (() => void) => {
    running++
    byProject.set(projectId, (byProject.get(projectId) ?? 0) + 1)
    let given = false
    return () => {
      if (given) return
      given = true
      running--
      const n = byProject.get(projectId)! - 1
      if (n === 0) byProject.delete(projectId)
      else byProject.set(projectId, n)
      pump()
    }
  }
  const pump = () => {
    for (let i = 0; i < waiters.length && running < opts.slots;) {
      const w = waiters[i]!
      if (fits(w.projectId)) {
        waiters.splice(i, 1)
        w.admit()
      } else {
        i++
      }
    }
  }
  return {
    get running() { return running },
    get waiting() { return waiters.length },
    acquire(projectId, signal) {
      if (signal?.aborted) return Promise.reject(queryCancelled())
      if (waiters.length === 0 && fits(projectId)) return Promise.resolve(take(projectId))
      return new Promise((resolve, reject) => {
        const leave = () => {
          const i = waiters.indexOf(w)
          if (i >= 0) waiters.splice(i, 1)
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
        }
        const w: Waiter = { projectId, admit: () => { leave(); resolve(take(projectId)) } }
        const onAbort = () => { leave(); reject(queryCancelled()) }
        const timer = setTimeout(() => {
          leave()
          const own = byProject.get(projectId) ?? 0
          reject(own >= perProject
            ? new AppError(429, 'too_many_queries', `this project already runs ${own} queries at once, the most one project may; try again when one ends`, {}, { 'Retry-After': '5' })
            : new AppError(503, 'store_busy', `all ${opts.slots} query slots stayed busy for ${Math.round(opts.maxWaitMs / 1000)} s; try again`, {}, { 'Retry-After': '5' }))
        }, opts.maxWaitMs)
        signal?.addEventListener('abort', onAbort, { once: true })
        waiters.push(w)
        pump() // a slot may be free that the waiters before it may not take (their project's share)
      })
    },
  }
}
