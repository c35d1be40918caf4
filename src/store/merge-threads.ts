import os from 'node:os'

/**
 * Background merge threads of the embedded engine: half the cores, at least 1. chDB sizes the
 * pool to the cores (2 here), so two merges could take both cores from the INSERT, the HTTP
 * thread and the parse worker at once: INSERT wall time then varied 2–3× and set the drain's
 * p99. Measured on 2 cores, real server at 50 connections, 4 interleaved runs each: p99
 * 263–322 → 232–252 ms, 112–120k → 116–124k lines/s, merge CPU 4.0–4.5 → 3.6–3.8 s per run.
 * One thread kept up: it was busy ~42% of the time at ~120k lines/s.
 */
export function defaultMergeThreads(): number {
  return Math.max(1, Math.floor(os.availableParallelism() / 2))
}
