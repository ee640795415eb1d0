import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')

it("xray-scaffold's own sources, plopfile and tests compile under tsc --strict", async () => {
  const result = await run(
    path.join(root, 'node_modules', '.bin', 'tsc'),
    ['--noEmit', '-p', 'tsconfig.json'],
    {
      cwd: root,
    },
  ).catch((error: { stdout: string }) => error)
  expect('stdout' in result ? result.stdout : '').toBe('')
})
