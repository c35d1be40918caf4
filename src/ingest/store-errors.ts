/**
 * Telling a data error (ClickHouse rejected these rows: retrying them will fail again) from a
 * store error (down, read-only, too many parts, timeouts: retrying later may work).
 */
// ClickHouse error codes (src/Common/ErrorCodes.cpp) that mean "the rows are bad".
const DATA_ERROR_CODES = new Set([
  '6', // CANNOT_PARSE_TEXT
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '53', // TYPE_MISMATCH
  '69', // ARGUMENT_OUT_OF_BOUND
  '70', // CANNOT_CONVERT_TYPE
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '349', // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  '469', // VIOLATED_CONSTRAINT (a CHECK an operator added to the table)
  '676', // CANNOT_PARSE_UUID
])

/** True when ClickHouse rejected the inserted data itself. */
export function isDataError(e: unknown): boolean {
  // Duck-typed: chdb/connection throws client-common's ClickHouseError, which may be a different
  // class object than the one @clickhouse/client re-exports.
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined
  return code !== undefined && DATA_ERROR_CODES.has(String(code))
}
