/** Backfill of saved logs through the drain (public API). */
export { runImport, type ImportOptions, type ImportProgress } from './run.js'
export { frameForLine, looksLikeLogplex, splitLogplex } from './frames.js'
export { importFrameId, sendBody, type SendTarget } from './sender.js'
