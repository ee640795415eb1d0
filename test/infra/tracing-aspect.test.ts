import { App, Aspects, Stack, aws_lambda as lambda } from 'aws-cdk-lib'
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { TracingAspect } from '../../generated/lego-api/infra'
import { synthDemo } from './support/synth'

const plainFunction = (stack: Stack) =>
  new lambda.Function(stack, 'Plain', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
  })

describe('TracingAspect', () => {
  it('fails the synth of the lego-api stack when a plain, untraced function is added to it', () => {
    const { app, stack } = synthDemo('prod', { bundle: false })
    plainFunction(stack)
    const assembly = app.synth({ force: true })
    Annotations.fromStack(stack).hasError(
      `/${stack.stackName}/Plain/Resource`,
      Match.stringLikeRegexp('X-Ray tracing must be Active'),
    )
    // The CDK CLI refuses to synth or deploy a stack whose artifact carries an error.
    const errors = assembly
      .getStackArtifact(stack.artifactId)
      .messages.filter((message) => message.level === 'error')
    expect(errors.map((message) => message.id)).toEqual([`/${stack.stackName}/Plain/Resource`])
  })

  it('reports no error for the stack as generated', () => {
    const { stack } = synthDemo('prod', { bundle: false })
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue())
  })

  it('turns Active tracing on, with the X-Ray write permission, when not enforcing', () => {
    const stack = new Stack(new App(), 'Stack')
    plainFunction(stack)
    Aspects.of(stack).add(new TracingAspect())
    const template = Template.fromStack(stack)
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } })
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] }),
        ]),
      },
    })
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue())
  })
})
