/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's own summary, so
 * CI tooling that reads that conventional line sees the counts.
 */
import type { Reporter } from 'vitest/reporters'

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] }

function count(tasks: readonly Task[], acc = { passed: 0, failed: 0, skipped: 0 }) {
  for (const t of tasks) {
    if (t.tasks) count(t.tasks, acc)
    if (t.type !== 'test') continue
    const state = t.result?.state
    if (state === 'pass') acc.passed++
    else if (state === 'fail') acc.failed++
    else acc.skipped++
  }
  return acc
}

/** The reporter. */
export default class SummaryReporter implements Reporter {
  onFinished(files: readonly Task[] = []): void {
    const c = count(files)
    process.stdout.write(`\n${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`)
  }
}
