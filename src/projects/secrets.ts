/**
 * Secrets: generation, hashing and constant-time comparison. Keys and tokens are stored only as
 * sha256 digests. They are high-entropy random strings (or operator-chosen values of ≥ 16
 * characters), so a fast hash is the right tool; a slow password hash would only slow ingest.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Kinds of credential. */
export type CredentialKind = 'ingest' | 'read' | 'admin'

const PREFIX: Record<CredentialKind, string> = { ingest: 'sk_', read: 'rt_', admin: 'at_' }

/** A new random secret of the given kind: a short prefix for humans, then 32 random bytes. */
export function generateSecret(kind: CredentialKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url')
}

/** sha256 of a secret, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/**
 * Constant-time equality of two hex digests (lengths are fixed by the hash, so comparing them
 * leaks nothing about the secret either way).
 */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  if (x.length !== y.length || x.length === 0) return false
  return timingSafeEqual(x, y)
}

/** Short random id for projects and credentials. */
export function newId(prefix: string): string {
  return prefix + randomBytes(9).toString('base64url')
}
