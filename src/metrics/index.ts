/** Prometheus metrics: the registry and metric kinds (public API of src/metrics). */
export { Counter, Gauge, Histogram, Registry, type Labels, type ScrapeHook } from './registry.js'
