import { execFile } from 'node:child_process'
import path from 'node:path'

const BIN = path.resolve(import.meta.dirname, '../../../bin/xray-scaffold.mjs')

/** What one run of the command printed and returned. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `xray-scaffold trace …` through the package's `bin`, as a user's shell would, from `cwd`
 * (a scratch folder outside the repository) with `env` on top of this process's environment.
 */
export function runTrace(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'trace', ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, NO_COLOR: '1', ...options.env },
        maxBuffer: 1 << 24,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}
