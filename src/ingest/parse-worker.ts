/**
 * The parse worker thread (started through parse-worker-boot.mjs): a Logplex body in, the counts
 * the drain path reports and the request's Native block out — the same functions the main thread
 * runs without workers (see parse-pool.ts).
 */
import { parentPort } from 'node:worker_threads'
import { drainBlock, type ParseJob, type ParseReply } from './parse-pool.js'

parentPort!.postMessage({ ready: true })
parentPort!.on('message', (job: ParseJob) => {
  let reply: ParseReply
  try {
    const r = drainBlock(job)
    reply = { id: job.id, ok: true, ...r.counts, bytes: r.block.bytes, sections: r.block.sections }
    parentPort!.postMessage(reply, [r.block.bytes.buffer as ArrayBuffer])
  } catch (e) {
    reply = { id: job.id, ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) }
    parentPort!.postMessage(reply)
  }
})
