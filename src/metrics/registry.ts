/**
 * A minimal Prometheus registry: counters, gauges (set or computed on scrape) and histograms,
 * rendered in the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). No dependency: the needs are
 * small and the hot path must stay a Map lookup plus an add.
 */

/** Label values of one series, by label name. */
export type Labels = Readonly<Record<string, string>>

/** What every metric can do at scrape time. */
interface Metric {
  readonly name: string
  render(): string
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const labelKey = (labels: Labels | undefined): string => {
  if (!labels) return ''
  const keys = Object.keys(labels).sort()
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`
}
const fmt = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN')

/** A monotonically increasing count, optionally split by labels. */
export class Counter implements Metric {
  readonly #values = new Map<string, number>()
  constructor(readonly name: string, readonly help: string) {}
  /** Add `n` (default 1) to the series with these labels. */
  inc(n = 1, labels?: Labels): void {
    const k = labelKey(labels)
    this.#values.set(k, (this.#values.get(k) ?? 0) + n)
  }
  /** Current value of one series (for tests and benches). */
  get(labels?: Labels): number {
    return this.#values.get(labelKey(labels)) ?? 0
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`
    if (this.#values.size === 0) out += `${this.name} 0\n`
    for (const [k, v] of this.#values) out += `${this.name}${k} ${fmt(v)}\n`
    return out
  }
}

/** A value read at scrape time from a callback (queue depth, in-flight inserts). */
export class Gauge implements Metric {
  constructor(readonly name: string, readonly help: string, readonly read: () => number) {}
  render(): string {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} gauge\n${this.name} ${fmt(this.read())}\n`
  }
}

/** A histogram with fixed upper bounds (seconds for latencies, by Prometheus convention). */
export class Histogram implements Metric {
  readonly #counts: number[]
  #sum = 0
  #count = 0
  constructor(readonly name: string, readonly help: string, readonly buckets: readonly number[]) {
    this.#counts = buckets.map(() => 0)
  }
  /** Record one observation. */
  observe(v: number): void {
    this.#sum += v
    this.#count++
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) this.#counts[i]!++
  }
  /** Number of observations so far. */
  get count(): number {
    return this.#count
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`
    this.buckets.forEach((b, i) => { out += `${this.name}_bucket{le="${fmt(b)}"} ${this.#counts[i]}\n` })
    out += `${this.name}_bucket{le="+Inf"} ${this.#count}\n${this.name}_sum ${fmt(this.#sum)}\n${this.name}_count ${this.#count}\n`
    return out
  }
}

/** Refreshes values that take I/O to read (e.g. the store's parts), before a scrape renders. */
export type ScrapeHook = () => Promise<void>

/** A set of metrics rendered together on `GET /metrics`. Names must be unique. */
export class Registry {
  readonly #metrics = new Map<string, Metric>()
  readonly #hooks: ScrapeHook[] = []
  /** Register a metric and return it (so `const c = reg.add(new Counter(…))` reads well). */
  add<M extends Metric>(m: M): M {
    if (this.#metrics.has(m.name)) throw new Error(`metric ${m.name} registered twice`)
    this.#metrics.set(m.name, m)
    return m
  }
  /** Run `hook` before every {@link scrape} (it updates what its gauges read). */
  onScrape(hook: ScrapeHook): void {
    this.#hooks.push(hook)
  }
  /**
   * Run the scrape hooks, each for at most `timeoutMs` (a hook that fails or is late leaves its
   * gauges as it set them: hooks report failure as NaN), then render. A slow store never hangs
   * the scrape.
   */
  async scrape(timeoutMs = 2000): Promise<string> {
    await Promise.all(this.#hooks.map(async (h) => {
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs) })
      try {
        await Promise.race([h().catch(() => {}), late])
      } finally {
        clearTimeout(timer)
      }
    }))
    return this.render()
  }
  /** The whole registry in Prometheus text format (values as they are now; no hooks run). */
  render(): string {
    let out = ''
    for (const m of this.#metrics.values()) out += m.render()
    return out
  }
}
