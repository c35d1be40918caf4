/**
 * Which Logplex frames (project, drain, Frame-Id) have reached the store recently, and which are
 * being written right now. Logplex re-sends a frame with the same Frame-Id after a 5xx, 429 or a
 * 5 s timeout (HEROKU-FORMATS.md §1.4), possibly while the first attempt is still queued here.
 *
 * - in flight: a second request for the same frame waits for the first to finish;
 * - seen: a frame whose rows may be (partly) stored; its retry looks up the stored ids.
 * The seen set is bounded by age and count (a Map keeps insertion order, so the oldest go first)
 * and is warmed at start from `events` rows received within the window, so a restart does not
 * forget it.
 */
import type { ClickHouseClient } from '@clickhouse/client'

/** Key of a frame: its ids are unique per project and drain. */
export function frameKey(projectId: string, drain: string, frameId: string): string {
  return `${projectId}\u0000${drain}\u0000${frameId}`
}

/** The window of recent frames. */
export class FrameWindow {
  readonly #seen = new Map<string, number>()
  readonly #inflight = new Map<string, Promise<void>>()
  #warmed = false

  constructor(readonly windowMs: number, readonly maxFrames: number, readonly now: () => number = Date.now) {}

  /** The promise of a request currently writing this frame, if any. */
  inflight(key: string): Promise<void> | undefined {
    return this.#inflight.get(key)
  }

  /** Claim the frame for the caller until `done` settles. */
  claim(key: string, done: Promise<void>): void {
    this.#inflight.set(key, done)
    const clear = () => { if (this.#inflight.get(key) === done) this.#inflight.delete(key) }
    done.then(clear, clear)
  }

  /**
   * Has a request for this frame reached the store within the window? Until {@link warm} has
   * succeeded the answer is "maybe" (true): the caller then looks the frame up in the store.
   */
  seen(key: string): boolean {
    if (!this.#warmed) return true
    const t = this.#seen.get(key)
    return t !== undefined && this.now() - t <= this.windowMs
  }

  /** Record that rows of this frame may be in the store. */
  markSeen(key: string, at = this.now()): void {
    this.#seen.delete(key)
    this.#seen.set(key, at)
    this.#prune()
  }

  /** True once {@link warm} has loaded the recent frames. */
  get warmed(): boolean {
    return this.#warmed
  }

  /** Frames remembered. */
  get size(): number {
    return this.#seen.size
  }

  #prune(): void {
    const oldest = this.now() - this.windowMs
    for (const [k, t] of this.#seen) {
      if (this.#seen.size <= this.maxFrames && t >= oldest) break
      this.#seen.delete(k)
    }
  }

  /**
   * Load the frames received within the window from `events` (after a restart). Reads four
   * narrow columns; `received_ts` is not in the sort key, so this scans them, once, at start.
   */
  async warm(client: ClickHouseClient): Promise<number> {
    const rs = await client.query({
      query: `SELECT project_id AS p, drain AS d, frame_id AS f, toUnixTimestamp64Milli(max(received_ts)) AS t
              FROM events
              WHERE frame_id != '' AND received_ts >= now64(6) - toIntervalMillisecond({ms:UInt64})
              GROUP BY p, d, f ORDER BY t DESC LIMIT {max:UInt64}`,
      query_params: { ms: this.windowMs, max: this.maxFrames },
      format: 'JSONEachRow',
    })
    const rows = await rs.json<{ p: string; d: string; f: string; t: string | number }>()
    for (const r of rows.reverse()) this.markSeen(frameKey(r.p, r.d, r.f), Number(r.t))
    this.#warmed = true
    return rows.length
  }
}

/** Ids already stored for a frame (the bloom-filter index on frame_id keeps this cheap). */
export async function storedFrameIds(client: ClickHouseClient, projectId: string, drain: string, frameId: string): Promise<Set<string>> {
  const rs = await client.query({
    query: `SELECT toString(id) AS id FROM events
            WHERE project_id = {p:String} AND drain = {d:String} AND frame_id = {f:String}`,
    query_params: { p: projectId, d: drain, f: frameId },
    format: 'JSONEachRow',
  })
  const rows = await rs.json<{ id: string }>()
  return new Set(rows.map((r) => r.id))
}
