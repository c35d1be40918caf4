/** Maps the process configuration onto {@link StoreOptions}. */
import type { Config } from '../config.js'
import type { StoreOptions } from './open.js'

/** Store options for a validated config. */
export function storeOptionsFromConfig(c: Config): StoreOptions {
  return {
    url: c.CLICKHOUSE_URL,
    user: c.CLICKHOUSE_USER,
    password: c.CLICKHOUSE_PASSWORD,
    database: c.CLICKHOUSE_DATABASE,
    dataDir: c.dataDir,
    maxServerMemoryMb: c.STORE_MAX_MEMORY_MB,
    ...(c.STORE_MERGE_THREADS === undefined ? {} : { mergeThreads: c.STORE_MERGE_THREADS }),
    ...(c.STORE_QUERY_CONNECTIONS === undefined ? {} : { queryConnections: c.STORE_QUERY_CONNECTIONS }),
    queryMaxMemoryMb: c.QUERY_MAX_MEMORY_MB,
  }
}
