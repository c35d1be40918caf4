import { defineConfig } from 'vitest/config'

// Tests that open the embedded store run in separate processes (forks): chDB binds one
// data directory per process, so worker threads would share (and fight over) one engine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
