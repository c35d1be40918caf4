/**
 * The `events` rows of one request as one block of ClickHouse's Native format (columnar, binary),
 * the format the writer inserts. Measured on this machine (.probe numbers in the #4 note, 20k
 * router rows): the engine spent ~16 µs of CPU per row parsing JSONCompactEachRow (TSV: ~18,
 * RowBinary: ~10) and 1.8 µs per row taking the same rows as Native — text parsing, not
 * MergeTree, was most of the store's insert cost (bench: one 370-row INSERT 13.4 → 9.6 ms).
 *
 * Block layout (no per-column serialization flag outside the TCP protocol: the engine's own
 * `FORMAT Native` output has none; random rows round-trip through the engine in
 * test/ingest/native.test.ts):
 *   VarUInt columns, VarUInt rows, then per column: String name, String type, the column's data.
 * String = VarUInt byte length + UTF-8 bytes; Nullable(T) = a null byte per row, then T for every
 * row (a default where null); integers little-endian; DateTime64(6) = Int64 microseconds;
 * UUID = its two 64-bit halves, each little-endian.
 *
 * The block declares plain types where the table has LowCardinality (String → LowCardinality is a
 * cheap columnar conversion on insert) and `attrs` as JSON text (String → JSON).
 */
import { PROMOTED_COLUMNS, type Attrs, type EventRow, type ParsedEvent } from '../model/index.js'
import { frameEventId, framePrefixBytes, messageIdBits } from './event-id.js'

/** How a promoted column's values are written. */
type Encoding = 'Nullable(String)' | 'Nullable(UInt16)' | 'Nullable(UInt32)' | 'Nullable(UInt64)' | 'Nullable(Bool)'

const DATETIME64 = "DateTime64(6, 'UTC')"

/** The Native encoding of a promoted column's ClickHouse type. */
function promotedEncoding(chType: string): Encoding {
  const plain = chType.replace(/^LowCardinality\((.*)\)$/, '$1')
  switch (plain) {
    case 'Nullable(String)': case 'Nullable(UInt16)': case 'Nullable(UInt32)': case 'Nullable(UInt64)': case 'Nullable(Bool)':
      return plain
    default:
      throw new Error(`no Native encoding for promoted column type ${chType}`)
  }
}

const PROMOTED = PROMOTED_COLUMNS.map((c) => ({ name: c.name, column: c.column, encoding: promotedEncoding(c.chType) }))
const PROMOTED_INDEX = new Map(PROMOTED.map((c, i) => [c.name, i]))

/** The `events` columns of a block, in order (the INSERT names them). */
export const NATIVE_COLUMNS: readonly string[] = [
  'project_id', 'environment', 'app', 'drain', 'frame_id', 'retention_days', 'received_ts',
  'ts', 'id', 'source', 'proc', 'proc_type', 'event_type', 'level', 'error_code', 'request_id', 'message', 'size',
  ...PROMOTED.map((c) => c.column), 'attrs',
]

/** `INSERT INTO events (…)`, without the data clause (the store adds FORMAT Native or FROM INFILE). */
export const INSERT_EVENTS_TARGET = `INSERT INTO events (${NATIVE_COLUMNS.join(', ')})`

/** Upper bound of a 2^53-safe epoch-microsecond timestamp we write (year 2255, below DateTime64's max). */
const MAX_MICROS = 9e15

/** A growable byte buffer with the Native primitives. */
class Out {
  buf: Buffer
  pos = 0
  /** Per column: header start, data start, end of the null map (= data start when none), end. */
  readonly sections: number[] = []
  constructor(size: number) { this.buf = Buffer.allocUnsafe(size) }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n))
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  varint(v: number): void {
    this.ensure(10)
    while (v >= 0x80) { this.buf[this.pos++] = (v & 0x7f) | 0x80; v = Math.floor(v / 128) }
    this.buf[this.pos++] = v
  }

  /** A String: VarUInt byte length, then UTF-8 (lone surrogates become U+FFFD, as Buffer writes them). */
  str(s: string): void {
    const len = s.length
    const most = len * 3
    this.ensure(most + 10)
    if (len <= 40) {
      // Short values (most columns): a byte loop beats a call into Buffer#write (~30 vs ~70 ns),
      // as long as every char is ASCII; otherwise start over with the UTF-8 writer.
      const b = this.buf
      const at = this.pos
      let i = 0
      for (; i < len; i++) {
        const c = s.charCodeAt(i)
        if (c >= 0x80) break
        b[at + 1 + i] = c
      }
      if (i === len) {
        b[at] = len
        this.pos = at + 1 + len
        return
      }
    }
    if (most < 0x80) {
      const n = this.buf.write(s, this.pos + 1)
      this.buf[this.pos] = n
      this.pos += 1 + n
    } else {
      const n = Buffer.byteLength(s)
      this.varint(n)
      this.pos += this.buf.write(s, this.pos)
    }
  }

  /** An unsigned integer below 2^53 as 8 bytes little-endian. */
  u64(v: number): void {
    this.ensure(8)
    const lo = v >>> 0
    this.buf.writeUInt32LE(lo, this.pos)
    this.buf.writeUInt32LE((v - lo) / 0x100000000, this.pos + 4)
    this.pos += 8
  }
}

const HEX = new Int8Array(128).fill(-1)
for (let i = 0; i < 16; i++) { HEX['0123456789abcdef'.charCodeAt(i)] = i; HEX['0123456789ABCDEF'.charCodeAt(i)] = i }

/** A canonical UUID string as ClickHouse's UUID bytes: each 64-bit half little-endian. */
function writeUuid(out: Out, id: string): void {
  if (id.length !== 36) throw new Error(`not a UUID: ${JSON.stringify(id)}`)
  out.ensure(16)
  const b = out.buf
  const at = out.pos
  let k = 0
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (id.charCodeAt(i) !== 45) throw new Error(`not a UUID: ${JSON.stringify(id)}`)
      i--
      continue
    }
    const c1 = id.charCodeAt(i)
    const c2 = id.charCodeAt(i + 1)
    const hi = c1 < 128 ? HEX[c1]! : -1
    const lo = c2 < 128 ? HEX[c2]! : -1
    if (hi < 0 || lo < 0) throw new Error(`not a UUID: ${JSON.stringify(id)}`)
    // Byte k of the text goes to the mirrored position inside its 8-byte half.
    b[at + (k < 8 ? 7 - k : 23 - k)] = (hi << 4) | lo
    k++
  }
  out.pos += 16
}

/** Epoch microseconds clamped to what DateTime64(6) and a double hold exactly. */
const micros = (m: number): number => (m > 0 ? Math.min(Math.trunc(m), MAX_MICROS) : 0)

/**
 * A promoted value that fits its column, or undefined when it does not (the row then keeps it in
 * `attrs` under its name, so nothing is lost, and the column is NULL).
 */
function fits(encoding: Encoding, v: string | number | boolean | null): string | number | boolean | null | undefined {
  if (v === null) return null
  switch (encoding) {
    case 'Nullable(String)': return typeof v === 'string' ? v : typeof v === 'number' && !Number.isFinite(v) ? undefined : String(v)
    case 'Nullable(UInt16)': return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffff ? v : undefined
    case 'Nullable(UInt32)': return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff ? v : undefined
    case 'Nullable(UInt64)': return Number.isSafeInteger(v) && (v as number) >= 0 ? v : undefined
    case 'Nullable(Bool)': return typeof v === 'boolean' ? v : undefined
    default: return undefined
  }
}

const EMPTY_ATTRS = '{}'

/** One promoted column of a block being built: a null byte per row and the values. */
interface PromotedValues {
  readonly nulls: Uint8Array
  readonly strings: string[] | null
  readonly numbers: Float64Array | null
}

function promotedValues(n: number): PromotedValues[] {
  return PROMOTED.map((c) => ({
    nulls: new Uint8Array(n).fill(1),
    strings: c.encoding === 'Nullable(String)' ? new Array<string>(n).fill('') : null,
    numbers: c.encoding === 'Nullable(String)' ? null : new Float64Array(n),
  }))
}

/**
 * Split router rows' attrs into the promoted columns and the JSON text of what stays in `attrs`.
 */
function splitAttrs(rows: readonly ParsedEvent[], columns: PromotedValues[], attrsText: string[]): void {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!
    if (row.eventType !== 'router') {
      attrsText[r] = attrsJson(row.attrs)
      continue
    }
    let rest: Attrs | undefined
    for (const key in row.attrs) {
      const v = row.attrs[key]!
      const i = PROMOTED_INDEX.get(key)
      const kept = i === undefined ? undefined : fits(PROMOTED[i]!.encoding, v)
      if (kept === undefined) {
        if (v !== null) (rest ??= {})[key] = v
      } else if (kept !== null) {
        const col = columns[i!]!
        col.nulls[r] = 0
        if (col.strings) col.strings[r] = kept as string
        else col.numbers![r] = kept === true ? 1 : kept === false ? 0 : (kept as number)
      }
    }
    attrsText[r] = rest ? attrsJson(rest) : EMPTY_ATTRS
  }
}

/**
 * `attrs` as JSON text: nulls mean "absent", non-finite numbers become null (JSON.stringify's own
 * rule). Two kinds of value make the engine reject the whole INSERT (INCORRECT_DATA), so they are
 * written differently (a slow path, taken only when there is one):
 * - a lone UTF-16 surrogate (an app's JSON line can carry one as a `\ud800` escape), which
 *   JSON.stringify writes as that escape: stored with U+FFFD instead, as every other string
 *   column stores it;
 * - an integer at or past 2^64, or at or below −2^63 (a 20-digit id in an app's JSON line, a
 *   custom event's counter): JSON.stringify writes it as plain digits that fit no integer type of
 *   the engine (−2^63 itself prints as −9223372036854776000). Written in exponent form, it is
 *   stored as the Float64 the sender's JSON already rounded it to.
 */
function attrsJson(attrs: Attrs): string {
  let any = false
  let outOfRange = false
  for (const key in attrs) {
    any = true
    const v = attrs[key]
    if (typeof v === 'number' && (v >= UINT64_END || v <= INT64_MIN)) outOfRange = true
  }
  if (!any) return EMPTY_ATTRS
  const text = JSON.stringify(attrs)
  return outOfRange || text.includes('\\ud') ? attrsJsonChecked(attrs) : text
}

/**
 * Where plain integer digits stop fitting the engine's integer types. Checked on the values: a
 * regex for 19 digits over the JSON text cost ~0.3 µs per app row (half of JSON.stringify's time);
 * this loop ~0.03 µs.
 */
const UINT64_END = 2 ** 64
const INT64_MIN = -(2 ** 63)

const wellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed()

/** Attrs are flat (scalars; nested values are JSON text already), so the slow path writes them by hand. */
function attrsJsonChecked(attrs: Attrs): string {
  let out = ''
  for (const key in attrs) {
    const v = attrs[key]!
    const value = typeof v === 'string' ? JSON.stringify(wellFormed(v))
      : typeof v === 'number' && Number.isFinite(v) && (v >= UINT64_END || v <= INT64_MIN) ? v.toExponential()
        : JSON.stringify(v)
    if (value === undefined) continue
    out += `${out === '' ? '{' : ','}${JSON.stringify(wellFormed(key))}:${value}`
  }
  return out === '' ? EMPTY_ATTRS : `${out}}`
}

type Get<T> = (r: ParsedEvent) => T

/** One column of String values. */
function stringColumn<R>(out: Out, rows: readonly R[], get: (r: R) => string): void {
  for (let i = 0; i < rows.length; i++) out.str(get(rows[i]!))
}

/** One column of Nullable(String) values; returns where the null map ends. */
function nullableStringColumn(out: Out, rows: readonly ParsedEvent[], get: Get<string | null>): number {
  out.ensure(rows.length)
  for (let i = 0; i < rows.length; i++) out.buf[out.pos++] = get(rows[i]!) === null ? 1 : 0
  const split = out.pos
  for (let i = 0; i < rows.length; i++) out.str(get(rows[i]!) ?? '')
  return split
}

/** One column: its header, then `write` (which returns where its null map ends, for Nullable). */
function column(out: Out, name: string, type: string, write: () => number | void): void {
  const start = out.pos
  out.str(name)
  out.str(type)
  const data = out.pos
  const split = write()
  out.sections.push(start, data, typeof split === 'number' ? split : data, out.pos)
}

/** A promoted column from the split values; returns where the null map ends. */
function promotedColumn(out: Out, n: number, encoding: Encoding, col: PromotedValues): number {
  out.ensure(n)
  out.buf.set(col.nulls, out.pos)
  out.pos += n
  const split = out.pos
  const nums = col.numbers!
  switch (encoding) {
    case 'Nullable(String)':
      for (let r = 0; r < n; r++) out.str(col.strings![r]!)
      return split
    case 'Nullable(UInt16)':
      out.ensure(2 * n)
      for (let r = 0; r < n; r++) { out.buf.writeUInt16LE(nums[r]!, out.pos); out.pos += 2 }
      return split
    case 'Nullable(UInt32)':
      out.ensure(4 * n)
      for (let r = 0; r < n; r++) { out.buf.writeUInt32LE(nums[r]!, out.pos); out.pos += 4 }
      return split
    case 'Nullable(UInt64)':
      for (let r = 0; r < n; r++) out.u64(nums[r]!)
      return split
    case 'Nullable(Bool)':
      out.ensure(n)
      for (let r = 0; r < n; r++) out.buf[out.pos++] = nums[r]!
      return split
    default:
      throw new Error(`unexpected encoding ${encoding}`)
  }
}

/**
 * The rows of one request as a Native block, with where each column's parts lie so that blocks
 * can be merged into one (see {@link mergeBlocks}).
 */
export interface NativeBlock {
  readonly bytes: Buffer
  readonly rows: number
  /** Per column: header start, data start, end of the null map (= data start when none), end. */
  readonly sections: readonly number[]
}

/** What a drain request gives every one of its events. */
export interface RequestFields {
  readonly projectId: string
  readonly environment: string
  readonly app: string
  readonly drain: string
  readonly frameId: string
  readonly receivedMicros: number
  readonly retentionDays: number
}

/**
 * A drain request's rows without building a row object per line: its parsed events, the fields
 * the request adds to each, and what their ids derive from (src/ingest/event-id.ts). The drain
 * path encodes this directly; {@link batchRows} builds the rows when something needs them (a
 * committed-rows listener, retry dedup).
 */
export interface EventBatch {
  readonly events: readonly ParsedEvent[]
  readonly request: RequestFields
  /** The frame's id prefix (framePrefix), or null when the request had no Frame-Id. */
  readonly framePrefix: string | null
  /** Per event, its index counted from the end of the body; null: `length - 1 - i`. */
  readonly fromEnd: readonly number[] | null
  /** Per event, a random id: used when `framePrefix` is null. */
  readonly ids: readonly string[] | null
}

const fromEndOf = (b: EventBatch, i: number): number => (b.fromEnd ? b.fromEnd[i]! : b.events.length - 1 - i)

/** The id of event `i` of a batch. */
export function batchId(b: EventBatch, i: number): string {
  return b.framePrefix !== null ? frameEventId(b.framePrefix, b.events[i]!.message, fromEndOf(b, i)) : b.ids![i]!
}

/** The batch as rows (the same rows {@link nativeBlockOf} encodes). */
export function batchRows(b: EventBatch): EventRow[] {
  const { projectId, environment, app, drain, frameId, receivedMicros, retentionDays } = b.request
  return b.events.map((e, i) => ({
    tsMicros: e.tsMicros, source: e.source, proc: e.proc, procType: e.procType, eventType: e.eventType,
    level: e.level, errorCode: e.errorCode, requestId: e.requestId, message: e.message, size: e.size, attrs: e.attrs,
    projectId, environment, app, drain, frameId, id: batchId(b, i), receivedMicros, retentionDays,
  }))
}

/** The rows as one Native block with {@link NATIVE_COLUMNS}. */
export function nativeBlock(rows: readonly EventRow[]): NativeBlock {
  return encode(rows, null, (out, i) => writeUuid(out, rows[i]!.id))
}

/** A drain request's batch as one Native block: byte for byte `nativeBlock(batchRows(b))`. */
export function nativeBlockOf(b: EventBatch): NativeBlock {
  if (b.framePrefix === null) return encode(b.events, b.request, (out, i) => writeUuid(out, b.ids![i]!))
  // A frame id's first half is the same on every row: its 8 bytes as ClickHouse stores them
  // (the 64-bit half little-endian, i.e. reversed); the second half is the index from the end,
  // then the message bits, each as a little-endian 32-bit word.
  const head = framePrefixBytes(b.framePrefix).reverse()
  const events = b.events
  return encode(events, b.request, (out, i) => {
    out.ensure(16)
    out.buf.set(head, out.pos)
    out.buf.writeUInt32LE(fromEndOf(b, i) >>> 0, out.pos + 8)
    out.buf.writeUInt32LE(messageIdBits(events[i]!.message), out.pos + 12)
    out.pos += 16
  })
}

/**
 * Write one value with `write`, then repeat its bytes until the column holds `n` of them (the
 * request's fields are the same on every row of a drain request).
 */
function repeated(out: Out, n: number, write: () => void): void {
  const start = out.pos
  write()
  const size = out.pos - start
  if (n <= 1) return
  out.ensure(size * (n - 1))
  let done = size
  const total = size * n
  while (done < total) {
    const chunk = Math.min(done, total - done)
    out.buf.copyWithin(start + done, start, start + chunk)
    done += chunk
  }
  out.pos = start + total
}

/**
 * The block of `rows`: EventRows (`shared` null), or parsed events whose request fields are
 * `shared`; `id` writes row i's UUID.
 */
function encode(rows: readonly ParsedEvent[], shared: RequestFields | null, id: (out: Out, i: number) => void): NativeBlock {
  const n = rows.length
  const full = rows as readonly EventRow[]
  const out = new Out(512 + n * 480)
  out.varint(NATIVE_COLUMNS.length)
  out.varint(n)
  const strings: [string, (r: RequestFields) => string][] = [
    ['project_id', (r) => r.projectId], ['environment', (r) => r.environment], ['app', (r) => r.app],
    ['drain', (r) => r.drain], ['frame_id', (r) => r.frameId],
  ]
  for (const [name, get] of strings) {
    column(out, name, 'String', () => (shared ? repeated(out, n, () => out.str(get(shared))) : stringColumn(out, full, get)))
  }
  const u16 = (v: number) => { out.ensure(2); out.buf.writeUInt16LE(v & 0xffff, out.pos); out.pos += 2 }
  column(out, 'retention_days', 'UInt16', () => {
    if (shared) repeated(out, n, () => u16(shared.retentionDays))
    else for (let i = 0; i < n; i++) u16(full[i]!.retentionDays)
  })
  column(out, 'received_ts', DATETIME64, () => {
    if (shared) repeated(out, n, () => out.u64(micros(shared.receivedMicros)))
    else for (let i = 0; i < n; i++) out.u64(micros(full[i]!.receivedMicros))
  })
  column(out, 'ts', DATETIME64, () => { for (let i = 0; i < n; i++) out.u64(micros(rows[i]!.tsMicros)) })
  column(out, 'id', 'UUID', () => { for (let i = 0; i < n; i++) id(out, i) })
  const kinds: [string, Get<string>][] = [
    ['source', (r) => r.source], ['proc', (r) => r.proc], ['proc_type', (r) => r.procType], ['event_type', (r) => r.eventType],
  ]
  for (const [name, get] of kinds) column(out, name, 'String', () => stringColumn(out, rows, get))
  const nullable: [string, Get<string | null>][] = [
    ['level', (r) => r.level], ['error_code', (r) => r.errorCode], ['request_id', (r) => r.requestId],
  ]
  for (const [name, get] of nullable) column(out, name, 'Nullable(String)', () => nullableStringColumn(out, rows, get))
  column(out, 'message', 'String', () => stringColumn(out, rows, (r) => r.message))
  column(out, 'size', 'UInt32', () => {
    out.ensure(4 * n)
    for (let i = 0; i < n; i++) { out.buf.writeUInt32LE(rows[i]!.size >>> 0, out.pos); out.pos += 4 }
  })

  const columns = promotedValues(n)
  const attrsText = new Array<string>(n).fill(EMPTY_ATTRS)
  splitAttrs(rows, columns, attrsText)
  for (let c = 0; c < PROMOTED.length; c++) {
    column(out, PROMOTED[c]!.column, PROMOTED[c]!.encoding, () => promotedColumn(out, n, PROMOTED[c]!.encoding, columns[c]!))
  }
  column(out, 'attrs', 'String', () => { for (let i = 0; i < n; i++) out.str(attrsText[i]!) })
  // The queue counts a block's bytes: do not keep a much larger allocation behind it.
  const bytes = out.buf.length - out.pos > out.pos / 4 ? Buffer.from(out.buf.subarray(0, out.pos)) : out.buf.subarray(0, out.pos)
  return { bytes, rows: n, sections: out.sections }
}

/**
 * Several requests' blocks as ONE block: per column, the header once, then every block's null
 * map, then every block's values (a Native column is self-delimiting, so this is byte copying).
 * Measured: an INSERT of 27 blocks of 370 rows took 43 ms, of the same 9,990 rows as one block
 * 26 ms — the engine converts (String → LowCardinality, text → JSON) block by block.
 */
export function mergeBlocks(blocks: readonly NativeBlock[]): Buffer {
  if (blocks.length === 1) return blocks[0]!.bytes
  const head = new Out(32)
  head.varint(NATIVE_COLUMNS.length)
  head.varint(blocks.reduce((n, b) => n + b.rows, 0))
  const parts: Buffer[] = [head.buf.subarray(0, head.pos)]
  const first = blocks[0]!
  for (let c = 0; c < NATIVE_COLUMNS.length * 4; c += 4) {
    parts.push(first.bytes.subarray(first.sections[c]!, first.sections[c + 1]!))
    for (const b of blocks) if (b.sections[c + 2]! > b.sections[c + 1]!) parts.push(b.bytes.subarray(b.sections[c + 1]!, b.sections[c + 2]!))
    for (const b of blocks) parts.push(b.bytes.subarray(b.sections[c + 2]!, b.sections[c + 3]!))
  }
  return Buffer.concat(parts)
}
