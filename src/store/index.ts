/** The store: opening it (embedded or server), migrations. */
export { openStore, type Store, type StoreOptions, type PingResult, type NativeInserter, type PartStats } from './open.js'
export { defaultMergeThreads } from './merge-threads.js'
export { registerStoreGauges } from './gauges.js'
export { migrate, appliedVersions, type MigrateResult } from './migrate.js'
export { MIGRATIONS, type Migration } from './migrations.js'
export { storeOptionsFromConfig } from './from-config.js'
export { nextVersion, dateTimeText } from './meta-row.js'
