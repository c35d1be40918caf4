/**
 * Helpers for rows of the metadata tables (ReplacingMergeTree(version, deleted)): a version that
 * strictly increases within the process, so the newest write wins, and DateTime64(3) text.
 */

let lastVersion = 0

/** Version stamp for a metadata row: microseconds, strictly increasing within a process. */
export function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000)
  return lastVersion
}

/** `YYYY-MM-DD hh:mm:ss.mmm` (UTC) of epoch milliseconds, as the metadata tables store times. */
export function dateTimeText(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}
