/** Secret redaction for app lines (public API of src/redact). */
export { REDACTED, SENSITIVE_KEY_PARTS, isSensitiveKey, redactText } from './redact.js'
