/**
 * Honeybadger's notice format (https://docs.honeybadger.io/api/reporting-exceptions/): what a
 * notifier POSTs to `/v1/notices`. Lenient where notifiers differ (numbers as strings, extra
 * keys kept out of the way), strict on the one thing a notice needs: `error.class`.
 */
import { z } from 'zod'

const frame = z.object({
  number: z.union([z.string(), z.number()]).optional().nullable(),
  file: z.string().optional().nullable(),
  method: z.string().optional().nullable(),
}).loose()

const record = z.record(z.string(), z.unknown())

/** One error (the notice's, or one of its causes). */
const error = z.object({
  class: z.string().min(1),
  message: z.string().optional().nullable(),
  backtrace: z.array(frame).optional().nullable(),
})

/** The notice body. */
export const noticeSchema = z.object({
  notifier: z.object({ name: z.string().optional(), version: z.string().optional(), url: z.string().optional() }).loose().optional(),
  error: error.extend({
    fingerprint: z.string().optional().nullable(),
    tags: z.union([z.array(z.string()), z.string()]).optional().nullable(),
    causes: z.array(error.loose()).optional().nullable(),
  }).loose(),
  request: z.object({
    url: z.string().optional().nullable(),
    component: z.string().optional().nullable(),
    action: z.string().optional().nullable(),
    params: record.optional().nullable(),
    session: record.optional().nullable(),
    cgi_data: record.optional().nullable(),
    context: record.optional().nullable(),
  }).loose().optional().nullable(),
  server: z.object({
    project_root: z.union([z.string(), z.object({ path: z.string() }).loose()]).optional().nullable(),
    environment_name: z.string().optional().nullable(),
    hostname: z.string().optional().nullable(),
    revision: z.string().optional().nullable(),
    pid: z.union([z.string(), z.number()]).optional().nullable(),
  }).loose().optional().nullable(),
  breadcrumbs: z.object({
    enabled: z.boolean().optional(),
    trail: z.array(record).optional().nullable(),
  }).loose().optional().nullable(),
}).loose()

/** A validated notice. */
export type Notice = z.infer<typeof noticeSchema>
/** One backtrace frame. */
export type NoticeFrame = z.infer<typeof frame>
