/**
 * The store's gauges on `GET /metrics`: active parts of the events table, the most in one
 * partition (ClickHouse refuses INSERTs with "too many parts" past `parts_to_throw_insert`), and
 * merges running. Read once per scrape; NaN while the store does not answer.
 */
import { Gauge, type Registry } from '../metrics/index.js'
import type { PartStats, Store } from './open.js'

/** Register the store gauges on `registry`, refreshed from `store.partStats()` on every scrape. */
export function registerStoreGauges(registry: Registry, store: Pick<Store, 'partStats'>): void {
  let last: PartStats | null = null
  const read = (k: keyof PartStats) => () => (last ? last[k] : NaN)
  registry.add(new Gauge('sluice_store_active_parts', 'active parts of the events table', read('activeParts')))
  registry.add(new Gauge('sluice_store_max_parts_per_partition', 'active parts in the fullest partition (day) of the events table', read('maxPartsPerPartition')))
  registry.add(new Gauge('sluice_store_merges_running', 'background merges running on the events table', read('mergesRunning')))
  registry.onScrape(async () => {
    last = null
    last = await store.partStats()
  })
}
