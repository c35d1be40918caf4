#!/usr/bin/env node
// `npx sluice …`: run the TypeScript CLI through tsx's loader (no build step).
import { register } from 'tsx/esm/api'
register()
const { runCli } = await import('../src/cli/main.ts')
process.exit(await runCli(process.argv.slice(2)))
