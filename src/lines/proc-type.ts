/**
 * `proc_type`: the PROCID without its instance number (`web.1` → `web`, `scheduler.8715` →
 * `scheduler`); Fir dyno ids `web-12a34bcd56-7efgh` → `web` (HEROKU-FORMATS.md §3).
 */
const FIR_ID = /^(.+)-[0-9a-f]{8,10}-[0-9a-z]{5}$/

// One-entry memo: frames of a body mostly share a handful of PROCIDs, often in runs.
let lastProc = ''
let lastType = ''

/** The process type of a PROCID. */
export function procTypeOf(proc: string): string {
  if (proc === lastProc) return lastType
  lastType = computeProcType(proc)
  lastProc = proc
  return lastType
}

function computeProcType(proc: string): string {
  const dot = proc.lastIndexOf('.')
  if (dot > 0 && dot < proc.length - 1) {
    let allDigits = true
    for (let i = dot + 1; i < proc.length; i++) {
      const c = proc.charCodeAt(i)
      if (c < 48 || c > 57) { allDigits = false; break }
    }
    if (allDigits) return proc.slice(0, dot)
  }
  if (proc.indexOf('-') > 0) {
    const m = FIR_ID.exec(proc)
    if (m) return m[1]!
  }
  return proc
}
