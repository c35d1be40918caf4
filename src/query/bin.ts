/** Automatic `bin()` interval: a "nice" step giving about 60–120 buckets over the time range. */
import type { Interval } from './types.js'

const NICE_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800]

/** The smallest nice interval giving at most 120 buckets over `rangeSeconds` (a month beyond that). */
export function autoInterval(rangeSeconds: number): Interval {
  const target = rangeSeconds / 120
  const s = NICE_SECONDS.find((n) => n >= target)
  return s === undefined ? { seconds: 0, months: Math.max(1, Math.ceil(rangeSeconds / (86400 * 30 * 120))) } : { seconds: s, months: 0 }
}
