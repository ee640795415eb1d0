import { describe, expect, it } from 'vitest'
import { bundleFunction } from '../support/lambda-process'

/*
 * The runtime's Lambda set-up replaces the SDK's env/aws_lambda module in the bundles, so that
 * the centralized sampler (its pollers and their HTTP client) is never loaded. What the facade
 * does at run time is covered end to end by the lego-api suites (sampled and unsampled calls,
 * one invocation after another, context missing outside a handler).
 */

describe('Lambda set-up of the bundles', () => {
  it('leaves the SDK Lambda module, its middleware helpers and the sampler out of the bundle', async () => {
    const bundle = await bundleFunction('generated/lego-api/src/functions/moc-instructions.ts')
    const inputs = Object.keys(bundle.metafile.inputs)
    expect(inputs).toContain('generated/lego-api/src/lib/tracing/lambda-facade.ts')
    expect(
      inputs.filter((input) =>
        /aws-xray-sdk-core\/dist\/lib\/(env\/aws_lambda|middleware\/)/.test(input),
      ),
    ).toEqual([])
  })
})
