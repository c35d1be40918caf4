/**
 * The ingest path's Prometheus metrics (DESIGN.md "GET /metrics"). One instance per process,
 * shared by the writer and the routes; gauges that read the writer are added by
 * {@link registerWriterGauges} once the writer exists.
 */
import { Counter, Gauge, Histogram, type Registry } from '../metrics/index.js'

/** Counters and histograms the ingest path updates. */
export interface IngestMetrics {
  readonly framesReceived: Counter
  readonly linesReceived: Counter
  readonly linesInserted: Counter
  readonly framesDeduplicated: Counter
  readonly linesDeduplicated: Counter
  readonly linesUnparsed: Counter
  readonly linesQuarantined: Counter
  readonly countMismatches: Counter
  readonly logplexDropped: Counter
  readonly inserts: Counter
  readonly insertFailures: Counter
  readonly insertSeconds: Histogram
  readonly responses: Counter
  readonly bodiesParsed: Counter
}

/** Create the ingest metrics and register them on `registry`. */
export function createIngestMetrics(registry: Registry): IngestMetrics {
  const c = (name: string, help: string) => registry.add(new Counter(name, help))
  return {
    framesReceived: c('sluice_ingest_frames_received_total', 'Logplex POST bodies (frames) received'),
    linesReceived: c('sluice_ingest_lines_received_total', 'lines/events received, by kind (logplex, event, notice)'),
    linesInserted: c('sluice_ingest_lines_inserted_total', 'rows committed to the events table'),
    framesDeduplicated: c('sluice_ingest_frames_deduplicated_total', 'frames re-sent with a Frame-Id already seen'),
    linesDeduplicated: c('sluice_ingest_lines_deduplicated_total', 'lines of re-sent frames that were already stored'),
    linesUnparsed: c('sluice_ingest_lines_unparsed_total', 'frames or lines stored raw because they did not parse'),
    linesQuarantined: c('sluice_ingest_lines_quarantined_total', 'lines stored with their attrs as one JSON string because the store refused them as they were'),
    countMismatches: c('sluice_ingest_count_mismatches_total', 'requests whose Logplex-Msg-Count differs from the frames found'),
    logplexDropped: c('sluice_logplex_dropped_lines_total', 'lines Logplex reported as dropped (L10 frames)'),
    inserts: c('sluice_ingest_inserts_total', 'INSERT statements that committed'),
    insertFailures: c('sluice_ingest_insert_failures_total', 'INSERT statements that failed'),
    insertSeconds: registry.add(new Histogram('sluice_ingest_insert_duration_seconds', 'INSERT latency',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5])),
    responses: c('sluice_http_responses_total', 'ingest responses by route and status'),
    bodiesParsed: c('sluice_ingest_bodies_parsed_total', 'Logplex bodies parsed, by thread (worker: a parse worker; main: the main thread)'),
  }
}

/** What the gauges read from the writer. */
export interface WriterGaugeSource {
  readonly queuedRows: number
  readonly queuedBytes: number
  readonly insertsInFlight: number
}

/** Register the queue-depth gauges reading `writer`. */
export function registerWriterGauges(registry: Registry, writer: WriterGaugeSource): void {
  registry.add(new Gauge('sluice_ingest_queue_rows', 'rows queued or being inserted', () => writer.queuedRows))
  registry.add(new Gauge('sluice_ingest_queue_bytes', 'serialized bytes queued or being inserted', () => writer.queuedBytes))
  registry.add(new Gauge('sluice_ingest_inserts_in_flight', 'INSERT statements running', () => writer.insertsInFlight))
}
