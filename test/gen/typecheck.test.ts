import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')

async function tscErrors(project: string): Promise<string> {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc')
  const result = await run(tsc, ['--noEmit', '-p', project], { cwd: root }).catch(
    (error: { stdout: string }) => error,
  )
  return 'stdout' in result ? result.stdout : ''
}

it("xray-scaffold's own sources, plopfile and tests compile under tsc --strict", async () => {
  expect(await tscErrors('tsconfig.json')).toBe('')
})

it('the static templates compile under tsc --strict where they live, before any gen', async () => {
  expect(await tscErrors('tsconfig.templates.json')).toBe('')
})
