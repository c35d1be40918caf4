/**
 * Platform API lines (`app[api]`; `heroku[api]` before ~2017): the templates of
 * HEROKU-FORMATS.md §4, old ("by EMAIL") and new ("by user EMAIL") wording, plus the build
 * system's `heroku[slug-compiler]` / `heroku[slugc]` lines. Rare lines: regexes are fine here.
 */
import type { Attrs, Level } from '../model/index.js'
import { makeEvent, type LineParser } from './event.js'
import { commandOf } from './dyno.js'

/** `… by user EMAIL` (2017+) or `… by EMAIL` (older); the user is whatever follows. */
const BY = / by (?:user )?(\S.*?)\s*$/
const RELEASE = /^Release v(\d+) created/
const RUNNING_RELEASE = /^Running release v(\d+) commands/
const ROLLBACK = /^Rollback to v(\d+)/
const DEPLOY = /^Deploy ([0-9a-f]{5,40})\b/
const SET_CONFIG = /^(Set|Unset|Remove|Add|Config add|Config remove) (.+?)(?: config(?: vars?)?)? by /
const ATTACH = /^(Attach|Detach) ([A-Z0-9_]+)(?: \(@ref:([^)]+)\))?/
const PROVISIONED = /^@ref:(\S+) completed provisioning(?:, setting ([A-Z0-9_, ]+?)\.?)?(?: by |$)/
const SCALE = /^Scaled? to (.+?) by /
const BUILD = /^Build (started|succeeded|failed)/
const SLUG = /^Slug compilation (started|finished|failed)/

const list = (s: string): string => s.split(',').map((x) => x.trim()).filter((x) => x !== '').join(',')

/** Parse an API (or slug compiler) message into an `api` event (`api.action` = `other` when unrecognised). */
export const parseApi: LineParser = (msg, tsMicros, source, proc, procType, size) => {
  const attrs: Attrs = {}
  let level: Level = 'info'
  const m = msg.trim()
  let r: RegExpExecArray | null
  if ((r = RELEASE.exec(m))) {
    attrs['api.action'] = 'release'
    attrs['api.release'] = Number(r[1])
  } else if ((r = RUNNING_RELEASE.exec(m))) {
    attrs['api.action'] = 'release'
    attrs['api.status'] = 'running'
    attrs['api.release'] = Number(r[1])
  } else if (m.startsWith('Initial release') || m.startsWith('Enable Logplex')) {
    attrs['api.action'] = 'release'
  } else if ((r = ROLLBACK.exec(m))) {
    attrs['api.action'] = 'rollback'
    attrs['api.release'] = Number(r[1])
  } else if ((r = DEPLOY.exec(m))) {
    attrs['api.action'] = 'deploy'
    attrs['api.commit'] = r[1]!
  } else if ((r = BUILD.exec(m)) || (r = SLUG.exec(m))) {
    attrs['api.action'] = 'build'
    attrs['api.status'] = r[1] === 'finished' ? 'finished' : r[1]!
    if (r[1] === 'failed') level = 'error'
  } else if ((r = ATTACH.exec(m))) {
    attrs['api.action'] = r[1] === 'Attach' ? 'attach' : 'detach'
    attrs['api.attachment'] = r[2]!
    if (r[3] !== undefined) attrs['api.addon'] = r[3]
  } else if ((r = PROVISIONED.exec(m))) {
    attrs['api.action'] = 'addon'
    attrs['api.status'] = 'provisioned'
    attrs['api.addon'] = r[1]!
    if (r[2] !== undefined) attrs['api.config_vars'] = list(r[2])
  } else if ((r = SET_CONFIG.exec(m))) {
    attrs['api.action'] = 'config'
    attrs['api.status'] = r[1] === 'Set' || r[1] === 'Add' || r[1] === 'Config add' ? 'set' : 'removed'
    attrs['api.config_vars'] = list(r[2]!)
  } else if ((r = SCALE.exec(m))) {
    attrs['api.action'] = 'scale'
    attrs['api.formation'] = list(r[1]!)
  } else if (m.startsWith('Starting process with command')) {
    attrs['api.action'] = 'run'
    const cmd = commandOf(m, 'Starting process with command'.length)
    // The command's own text ends before " by user …" when there are no backticks.
    attrs['api.command'] = m.includes('`') ? cmd : cmd.replace(BY, '')
  } else {
    attrs['api.action'] = 'other'
  }
  const by = BY.exec(m)
  if (by) attrs['api.user'] = by[1]!
  return makeEvent(tsMicros, source, proc, procType, 'api', level, null, null, msg, size, attrs)
}
