import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import AWSXRay from 'aws-xray-sdk-core'
import { describe, expect, it } from 'vitest'
import { bundleFunction } from '../support/lambda-process'

/*
 * The slim facade the bundles resolve `aws-xray-sdk-core` to: it must offer, as the very same
 * values, every name of the SDK's root module that the runtime and the traced clients read, and
 * the bundles must leave the rest of the SDK out.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const READERS = [
  'generated/lego-api/src/lib/tracing',
  'generated/lego-api/src/lib/db',
  'generated/lego-api/src/lib/storage',
]

/** Every `AWSXRay.<name>` the SDK's readers use that is a value of the root module. */
async function namesRead(): Promise<string[]> {
  const names = new Set<string>()
  for (const dir of READERS) {
    for (const file of await readdir(path.join(REPO_ROOT, dir))) {
      if (!/\.[jt]s$/.test(file) || file.endsWith('.d.ts')) continue
      const text = await readFile(path.join(REPO_ROOT, dir, file), 'utf8')
      for (const [, name] of text.matchAll(/AWSXRay\.([A-Za-z0-9_]+)/g)) names.add(name!)
    }
  }
  const root = AWSXRay as unknown as Record<string, unknown>
  // Type-only uses (AWSXRay.SegmentLike) have no value on the root module.
  return [...names].filter((name) => root[name] !== undefined).sort()
}

describe('slim aws-xray-sdk-core facade', () => {
  it('offers every root name the runtime and the clients read, as the same values', async () => {
    const facade = await import('../../generated/lego-api/src/lib/tracing/slim-sdk')
    const root = AWSXRay as unknown as Record<string, unknown>
    const slim = facade.default as unknown as Record<string, unknown>
    const named = facade as unknown as Record<string, unknown>
    const names = await namesRead()
    expect(names).toContain('getSegment')
    for (const name of names) {
      expect(slim[name], name).toBeDefined()
      expect(named[name], name).toBe(slim[name])
      expect(slim[name], name).toBe(root[name])
    }
  })

  it('bundles only the SDK modules it uses: no root module, patchers or plugins', async () => {
    const bundle = await bundleFunction('generated/lego-api/src/functions/moc-instructions.ts')
    const sdkInputs = Object.keys(bundle.metafile.inputs).filter((input) =>
      input.includes('aws-xray-sdk-core/'),
    )
    expect(Object.keys(bundle.metafile.inputs)).toContain(
      'generated/lego-api/src/lib/tracing/slim-sdk.ts',
    )
    expect(sdkInputs).toContain('node_modules/aws-xray-sdk-core/dist/lib/segments/attributes/aws.js')
    expect(
      sdkInputs.filter((input) =>
        /dist\/lib\/(aws-xray|index)\.js$|patchers\/(http_p|aws_p|aws3_p|promise_p)\.js$|plugins\//.test(
          input,
        ),
      ),
    ).toEqual([])
  })
})
