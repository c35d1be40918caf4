/**
 * The grouping key of a notice: the notifier's own fingerprint when given, else sha1 of the error
 * class and the first in-project backtrace frames (file and method, not line numbers, which move
 * with every edit). "In project" = under the project root (`[PROJECT_ROOT]` or server.project_root)
 * and not in vendored code; with no such frame, the first frames of the backtrace are used.
 */
import { createHash } from 'node:crypto'
import type { NoticeFrame } from './notice-schema.js'

/** Frames that go into a derived fingerprint. */
export const FINGERPRINT_FRAMES = 3

const VENDORED = /(^|\/)(vendor|node_modules|gems|site-packages|\.bundle)\//

/** Is this frame the project's own code? */
export function inProject(file: string, projectRoot: string | null): boolean {
  const own = file.startsWith('[PROJECT_ROOT]') || (projectRoot !== null && projectRoot !== '' && file.startsWith(projectRoot))
  return own && !VENDORED.test(file)
}

/** The given fingerprint, or one derived from class + first in-project frames. */
export function noticeFingerprint(errorClass: string, backtrace: readonly NoticeFrame[], projectRoot: string | null, given?: string | null): string {
  if (given) return given
  const frames = backtrace.filter((f) => f.file && inProject(f.file, projectRoot))
  const chosen = (frames.length > 0 ? frames : backtrace).slice(0, FINGERPRINT_FRAMES)
  const text = [errorClass, ...chosen.map((f) => `${f.file ?? ''}:${f.method ?? ''}`)].join('\n')
  return createHash('sha1').update(text).digest('hex')
}
