/**
 * Entry point: config → logger → store → service → serve. SIGTERM/SIGINT → stop intake, flush,
 * settle the store, close, exit 0 (within the 30 s Heroku gives).
 */
import { serve } from '@hono/node-server'
import { loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { firstStartBanner } from './server/bootstrap.js'
import { composeService } from './server/compose.js'
import { acquireLock, adminToken, releaseLock, updateLock } from './server/runtime-files.js'
import { keepConnections, settleStore, stopHttp } from './server/shutdown.js'

const loaded = loadConfig()
if (!loaded.ok) {
  process.stderr.write(`sluice: invalid configuration\n${loaded.problems.map((p) => `  ${p}\n`).join('')}`)
  process.exit(1)
}
const config = loaded.config
const logger = createLogger(config.LOG_LEVEL)
const embedded = !config.CLICKHOUSE_URL

if (embedded) {
  const lock = acquireLock(config.dataDir, { role: 'server', url: config.publicUrl })
  if (!lock.ok) {
    process.stderr.write(
      `sluice: ${config.dataDir} is in use by ${lock.holder.role} process ${lock.holder.pid}` +
        (lock.holder.role === 'server' ? ` (serving ${lock.holder.url})` : '') +
        '; the embedded store allows one process per data directory\n',
    )
    process.exit(1)
  }
}

let service: ReturnType<typeof composeService>
try {
  service = composeService(config, logger, adminToken(config.dataDir, config.SLUICE_ADMIN_TOKEN))
} catch (e) {
  // e.g. a broken built-in query in queries/: refuse to start, say why.
  process.stderr.write(`sluice: cannot start: ${e instanceof Error ? e.message : String(e)}\n`)
  if (embedded) releaseLock(config.dataDir)
  process.exit(1)
}
const server = serve({ fetch: service.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  const url = `http://127.0.0.1:${info.port}`
  if (embedded) updateLock(config.dataDir, { role: 'server', url })
  logger.info({ port: info.port, store: service.store.kind, location: service.store.location }, 'listening')
})
keepConnections(server, config.HTTP_KEEP_ALIVE_TIMEOUT_MS)

service.ready
  .then((r) => {
    if (r && r.kind === 'first-start') process.stdout.write(firstStartBanner(config, r.ingestKey, r.readToken) + '\n')
  })
  .catch((e) => logger.error({ err: String(e) }, 'start-up failed'))

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  const deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS
  const left = () => Math.max(1000, deadline - Date.now())
  logger.info({ signal }, 'shutting down')
  service.beginShutdown()
  await stopHttp(server, Math.min(10_000, left()))
  for (const c of service.closeables) {
    try {
      await c.close()
    } catch (e) {
      logger.error({ err: String(e), part: c.name }, 'close failed')
    }
  }
  await settleStore(service.store, logger, Math.min(10_000, left()))
  await service.store.close()
  if (embedded) releaseLock(config.dataDir)
  logger.info('stopped')
  logger.flush()
  setTimeout(() => process.exit(0), 50)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
