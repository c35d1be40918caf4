/**
 * What every bench scenario reports. A scenario is a script `bench/*.bench.ts` run in its own
 * process (chDB binds one data directory per process); it checks its results are right before it
 * times anything, then calls {@link report} once. `bench/run.ts` collects the reports and writes
 * BENCHMARKS.md.
 */

/** One measured figure. `target` is the goal as text; `pass` says whether the figure meets it. */
export interface BenchRow {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly target?: string
  readonly pass?: boolean
  readonly note?: string
}

/** One scenario's results. */
export interface BenchReport {
  readonly title: string
  /** What was run, on what data (one paragraph). */
  readonly setup: string
  readonly rows: readonly BenchRow[]
}

/** Marker the runner looks for on stdout. */
export const REPORT_MARKER = '@@BENCH_REPORT@@'

/** Print the scenario's report for bench/run.ts. */
export function report(r: BenchReport): void {
  process.stdout.write(`\n${REPORT_MARKER}${JSON.stringify(r)}\n`)
}

/** Run `fn` repeatedly for at least `ms` milliseconds after `warmupMs`; returns calls per second. */
export function opsPerSecond(fn: () => void, ms = 2000, warmupMs = 500): number {
  let end = performance.now() + warmupMs
  while (performance.now() < end) fn()
  let n = 0
  const start = performance.now()
  end = start + ms
  while (performance.now() < end) {
    fn()
    n++
  }
  return n / ((performance.now() - start) / 1000)
}

/** Percentile (0–100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[idx]!
}
