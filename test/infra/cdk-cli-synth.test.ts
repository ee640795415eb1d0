import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')
const appDir = path.join(root, 'generated', 'lego-api')
let out: string | undefined

afterAll(() => (out ? rm(out, { recursive: true, force: true }) : undefined))

it('the real cdk CLI synthesizes generated/lego-api offline, as its README says', async () => {
  out = await mkdtemp(path.join(tmpdir(), 'lego-api-cdk-out-'))
  await run(
    path.join(root, 'node_modules', '.bin', 'cdk'),
    ['synth', '--no-notices', '-q', '-o', out],
    {
      cwd: appDir,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    },
  )
  const template = JSON.parse(await readFile(path.join(out, 'LegoApi-prod.template.json'), 'utf8'))
  const types = Object.values(template.Resources as Record<string, { Type: string }>).map(
    (r) => r.Type,
  )
  expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(4)
  expect(types).toContain('AWS::XRay::SamplingRule')
})
