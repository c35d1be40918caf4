/** How a user connects a Heroku app: the drain URL and the exact `heroku drains:add` command. */

/** Drain URL for a project's ingest key. */
export function drainUrl(publicUrl: string, ingestKey: string, env = 'production'): string {
  return `${publicUrl}/v1/events?api_key=${encodeURIComponent(ingestKey)}&env=${encodeURIComponent(env)}`
}

/** The command that adds the drain to a Heroku app. */
export function herokuDrainsAdd(url: string): string {
  return `heroku drains:add "${url}" --app YOUR_APP`
}
