import { App, Stack } from 'aws-cdk-lib'
import { describe, expect, it } from 'vitest'
import {
  ApiStageSamplingRule,
  boundedName,
  DEMO_EXISTING_RESOURCES,
  samplingRateForStage,
  SERVICES,
  TracedApiStack,
} from '../../generated/lego-api/infra'

describe('samplingRateForStage', () => {
  it('samples 10 % in production and everything elsewhere', () => {
    expect(samplingRateForStage('prod')).toBe(0.1)
    expect(samplingRateForStage('production')).toBe(0.1)
    expect(samplingRateForStage('staging')).toBe(1)
    expect(samplingRateForStage('dev')).toBe(1)
  })
})

describe('ApiStageSamplingRule', () => {
  const stack = () => new Stack(new App(), 'Stack')

  it('rejects a rate outside 0..1 and a priority outside 1..9999', () => {
    const base = { apiName: 'api', stageName: 'prod' }
    expect(() => new ApiStageSamplingRule(stack(), 'R', { ...base, fixedRate: 1.5 })).toThrow(
      /fixedRate/,
    )
    expect(
      () => new ApiStageSamplingRule(stack(), 'R', { ...base, fixedRate: 0.1, priority: 0 }),
    ).toThrow(/priority/)
  })

  it('takes its name and priority from props', () => {
    const rule = new ApiStageSamplingRule(stack(), 'R', {
      apiName: 'api',
      stageName: 'prod',
      fixedRate: 0.1,
      priority: 42,
      ruleName: 'custom-rule',
    })
    expect(rule.ruleName).toBe('custom-rule')
    expect(Stack.of(rule).resolve(rule.rule.samplingRule)).toMatchObject({
      priority: 42,
      ruleName: 'custom-rule',
    })
  })
})

describe('boundedName', () => {
  it('keeps names of up to 32 characters and shortens longer ones to a unique, stable name', () => {
    expect(boundedName('lego-api-prod-moc-instructions')).toBe('lego-api-prod-moc-instructions')
    const long = boundedName('lego-api-staging-moc-instructions')
    expect(long).toHaveLength(32)
    expect(long).toBe(boundedName('lego-api-staging-moc-instructions'))
    expect(long).not.toBe(boundedName('lego-api-staging-moc-instructionz'))
    expect(() => boundedName('no spaces')).toThrow()
  })
})

describe('TracedApiStack with a service that would reach the whole bucket', () => {
  it('fails at construction, naming the service and s3Prefix', () => {
    const [gallery] = SERVICES.filter((service) => service.id === 'gallery')
    const services = [{ ...gallery!, s3Prefix: undefined }]
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } })
    expect(
      () =>
        new TracedApiStack(app, 'NoPrefix', {
          stage: 'dev',
          existing: DEMO_EXISTING_RESOURCES,
          services,
        }),
    ).toThrow('Service gallery uses S3 but declares no s3Prefix to scope its access to')
  })
})
