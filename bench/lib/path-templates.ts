/**
 * ~300 request path templates for generated router and app lines. `{id}`, `{id2}`, `{page}` and
 * `{hex}` are replaced per row with random values, so `router.path` has high cardinality like a
 * real app's (PERFORMANCE-NOTES.md Part 3: unrealistic entropy lies about storage and scan speed).
 * The order matters: the generator picks low indexes more often (a skewed, Zipf-like popularity).
 */

const STATIC = [
  '/', '/health', '/login', '/logout', '/signup', '/search?q={hex}', '/favicon.ico', '/robots.txt',
  '/assets/application-{hex}.js', '/assets/application-{hex}.css', '/packs/js/runtime-{hex}.js',
  '/cable', '/sidekiq', '/webhooks/stripe', '/webhooks/github', '/auth/google_oauth2/callback',
  '/dashboard', '/settings', '/settings/billing', '/pricing',
]

const RESOURCES = [
  'users', 'orders', 'products', 'carts', 'invoices', 'accounts', 'projects', 'teams', 'comments',
  'posts', 'messages', 'notifications', 'subscriptions', 'payments', 'reports', 'events', 'sessions',
  'webhooks', 'files', 'tags',
]

const SHAPES = [
  '/R/{id}', '/api/v1/R/{id}', '/api/v2/R', '/R', '/api/v1/R', '/R/{id}/edit', '/api/v2/R/{id}',
  '/R/{id}/S', '/api/v2/R/{id}/S', '/R?page={page}', '/R/new', '/R/{id}/S/{id2}', '/admin/R',
  '/admin/R/{id}',
]

/** Every template, most popular first. */
export const PATH_TEMPLATES: readonly string[] = [
  ...STATIC,
  ...SHAPES.flatMap((shape, si) =>
    RESOURCES.map((r, ri) => shape.replace('R', r).replace('S', RESOURCES[(ri + si + 1) % RESOURCES.length]!)),
  ),
]

/** Controller names for Rails "Processing by …Controller#action" lines. */
export const CONTROLLERS: readonly string[] = RESOURCES.map((r) => `${r[0]!.toUpperCase()}${r.slice(1)}Controller`)

/** Background job classes for worker lines. */
export const JOBS: readonly string[] = [
  'SendEmailJob', 'ChargeCustomerJob', 'SyncInventoryJob', 'GenerateReportJob', 'WebhookDeliveryJob',
  'ImportCsvJob', 'ReindexSearchJob', 'CleanupSessionsJob', 'ResizeImageJob', 'NotifySlackJob',
]
