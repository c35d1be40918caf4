/** Where CLI output goes (stdout for results, stderr for how/where; tests capture both). */
export interface CliIo {
  out(text: string): void
  err(text: string): void
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
}
