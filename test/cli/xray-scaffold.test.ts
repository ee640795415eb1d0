import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin', 'xray-scaffold.mjs')

/** Runs the package's `bin` as a user's shell would, from a folder outside the repository. */
async function xrayScaffold(...args: string[]) {
  const result = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: '/' }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  )
  return { code: result.code, stdout: result.stdout, stderr: result.stderr }
}

describe('the xray-scaffold command', () => {
  it('lists its subcommands with --help and exits 0', async () => {
    const { code, stdout } = await xrayScaffold('--help')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: xray-scaffold/)
    expect(stdout).toMatch(/^\s+gen \[options\]/m)
  })

  it('documents every option of gen with gen --help', async () => {
    const { code, stdout } = await xrayScaffold('gen', '--help')
    expect(code).toBe(0)
    expect(stdout).toContain('--check')
    expect(stdout).toContain('--config')
    expect(stdout).toMatch(/^\s+handler \[options\]/m)
  })

  it('says where the config is missing when there is none from the working directory up', async () => {
    const { code, stderr } = await xrayScaffold('gen', '--check')
    expect(code).toBe(2)
    expect(stderr).toBe(
      'xray-scaffold: no xray-scaffold.config.ts in / or above; create one (see README, "Create a traced function") or pass --config <file>\n',
    )
  })

  it.each([
    [['frob'], "xray-scaffold: unknown command 'frob' (see --help)"],
    [['gen', '--bogus'], "xray-scaffold: unknown option '--bogus' (see --help)"],
  ])('exits 2 with one line on stderr for a usage error: %j', async (args, line) => {
    const { code, stdout, stderr } = await xrayScaffold(...args)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(`${line}\n`)
  })

  it('checks the committed lego-api from any working directory, given its config', async () => {
    const { code, stdout } = await xrayScaffold(
      'gen',
      '--check',
      '--config',
      path.join(root, 'xray-scaffold.config.ts'),
    )
    expect(code).toBe(0)
    expect(stdout).toMatch(/^gen --check: generated\/lego-api is up to date \(\d+ files\)$/m)
  })

  it('stops quietly when the reader of its output goes away (--help | head -1)', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      'sh',
      ['-c', `"${process.execPath}" "${bin}" trace --help | head -1`],
      { cwd: '/' },
    )
    expect(stdout).toBe('Usage: xray-scaffold trace [options] [service] [request]\n')
    expect(stderr).toBe('')
  })
})
