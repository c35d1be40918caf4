/** The /metrics registry's scrape: hooks refresh I/O-backed gauges first, and a stuck store never hangs it. */
import { describe, expect, it } from 'vitest'
import { Registry } from '../../src/metrics/index.js'
import { registerStoreGauges } from '../../src/store/index.js'

describe('Registry.scrape with the store gauges', () => {
  it('renders what the store reported at this scrape', async () => {
    const registry = new Registry()
    let parts = 7
    registerStoreGauges(registry, { partStats: async () => ({ activeParts: parts, maxPartsPerPartition: 3, mergesRunning: 1 }) })
    expect(await registry.scrape()).toMatch(/^sluice_store_active_parts 7$/m)
    parts = 9
    const text = await registry.scrape()
    expect(text).toMatch(/^sluice_store_active_parts 9$/m)
    expect(text).toMatch(/^sluice_store_max_parts_per_partition 3$/m)
    expect(text).toMatch(/^sluice_store_merges_running 1$/m)
  })

  it('renders NaN, not the last value, when the store fails or does not answer in time, and does not wait for it', async () => {
    const registry = new Registry()
    let mode: 'ok' | 'fail' | 'hang' = 'ok'
    registerStoreGauges(registry, {
      partStats: () => (mode === 'ok' ? Promise.resolve({ activeParts: 4, maxPartsPerPartition: 2, mergesRunning: 0 })
        : mode === 'fail' ? Promise.reject(new Error('store down')) : new Promise(() => {})),
    })
    expect(await registry.scrape()).toMatch(/^sluice_store_active_parts 4$/m)
    mode = 'fail'
    expect(await registry.scrape()).toMatch(/^sluice_store_active_parts NaN$/m)
    mode = 'hang'
    const t0 = performance.now()
    expect(await registry.scrape(100)).toMatch(/^sluice_store_merges_running NaN$/m)
    expect(performance.now() - t0).toBeLessThan(2000)
  })
})
