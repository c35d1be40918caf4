/**
 * An error notice (`POST /v1/notices`) as one `notice` event: error.class / message / fingerprint /
 * backtrace and request.url / component / action at their typed paths (src/model/fields.ts), the
 * rest (params, session, cgi_data, context, causes, breadcrumbs, server) as JSON text under
 * dynamic paths — with secrets redacted first.
 */
import type { Attrs, EventRow } from '../model/index.js'
import type { IngestPrincipal } from './deps.js'
import { randomEventId } from './event-id.js'
import { noticeFingerprint } from './notice-fingerprint.js'
import { redactSecrets } from './notice-redact.js'
import type { Notice, NoticeFrame } from './notice-schema.js'

/** Where the notice came from. */
export interface NoticeContext {
  readonly principal: IngestPrincipal
  /** `env` query parameter, used when the notice names no environment. */
  readonly environment: string
  readonly app: string
  readonly receivedMicros: number
  readonly size: number
}

/** Longest JSON text kept for one of the free-form parts (breadcrumbs, params…). */
export const MAX_PART_CHARS = 32 * 1024

const json = (v: unknown) => {
  const s = JSON.stringify(v)
  return s.length > MAX_PART_CHARS ? `${s.slice(0, MAX_PART_CHARS)}…` : s
}
const frameText = (f: NoticeFrame) => `${f.file ?? '?'}:${f.number ?? '?'}:in \`${f.method ?? '?'}\``

/** The `notice` row for a validated notice. */
export function noticeRow(n: Notice, ctx: NoticeContext): EventRow {
  const e = n.error
  const backtrace = e.backtrace ?? []
  const root = n.server?.project_root
  const projectRoot = typeof root === 'string' ? root : root?.path ?? null
  const attrs: Record<string, Attrs[string]> = {
    'error.class': e.class,
    'error.message': e.message ?? null,
    'error.fingerprint': noticeFingerprint(e.class, backtrace, projectRoot, e.fingerprint),
    'error.backtrace': backtrace.map(frameText).join('\n'),
  }
  if (e.tags) attrs['error.tags'] = Array.isArray(e.tags) ? e.tags.join(',') : e.tags
  if (e.causes?.length) attrs['error.causes'] = json(e.causes.map((c) => ({ class: c.class, message: c.message ?? null, backtrace: (c.backtrace ?? []).map(frameText) })))
  const r = n.request
  if (r) {
    attrs['request.url'] = r.url ?? null
    attrs['request.component'] = r.component ?? null
    attrs['request.action'] = r.action ?? null
    for (const part of ['params', 'session', 'cgi_data', 'context'] as const) {
      if (r[part] && Object.keys(r[part]).length > 0) attrs[`request.${part}`] = json(redactSecrets(r[part]))
    }
  }
  const s = n.server
  if (s) {
    if (s.hostname) attrs['server.hostname'] = s.hostname
    if (s.revision) attrs['server.revision'] = s.revision
    if (s.pid !== undefined && s.pid !== null) attrs['server.pid'] = String(s.pid)
    if (projectRoot) attrs['server.project_root'] = projectRoot
  }
  if (n.notifier?.name) attrs['notifier.name'] = n.notifier.name
  if (n.notifier?.version) attrs['notifier.version'] = n.notifier.version
  const trail = n.breadcrumbs?.trail
  if (trail?.length) {
    attrs['breadcrumbs.count'] = trail.length
    attrs['breadcrumbs.trail'] = json(redactSecrets(trail))
  }
  return {
    projectId: ctx.principal.projectId, retentionDays: ctx.principal.retentionDays,
    environment: s?.environment_name || ctx.environment, app: ctx.app, drain: '', frameId: '',
    id: randomEventId(), receivedMicros: ctx.receivedMicros, tsMicros: ctx.receivedMicros,
    source: 'notice', proc: s?.hostname ?? '', procType: '', eventType: 'notice', level: 'error', errorCode: null,
    requestId: typeof r?.context?.['request_id'] === 'string' ? (r.context['request_id'] as string) : null,
    message: e.message ? `${e.class}: ${e.message}` : e.class,
    size: ctx.size, attrs,
  }
}
