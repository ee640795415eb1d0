import { Annotations, IAspect, Stack, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'

/** Props of {@link TracingAspect}. */
export interface TracingAspectProps {
  /**
   * `true`: do not change anything, report an error for every function that is not Active, so
   * that the synth fails. `false`: turn Active tracing on wherever it is missing.
   *
   * @default false
   */
  readonly enforce?: boolean
}

const ACTIVE = 'Active'

/**
 * Visits every Lambda function in a scope and makes X-Ray tracing Active, or with
 * `enforce: true` fails the synth for any function that is not, so a function added later
 * cannot ship untraced.
 *
 * @example
 * ```ts
 * Aspects.of(stack).add(new TracingAspect({ enforce: true }))
 * ```
 */
export class TracingAspect implements IAspect {
  private readonly enforce: boolean

  constructor(props: TracingAspectProps = {}) {
    this.enforce = props.enforce ?? false
  }

  visit(node: IConstruct): void {
    // The L1 resource is what ends up in the template, whatever construct created it.
    if (!(node instanceof lambda.CfnFunction)) return
    const tracing = Stack.of(node).resolve(node.tracingConfig) as { mode?: string } | undefined
    if (tracing?.mode === ACTIVE) return
    if (this.enforce) {
      Annotations.of(node).addError(
        `X-Ray tracing must be Active on every Lambda function (found ${tracing?.mode ?? 'no tracing'}): use TracedFunction or set tracing: Tracing.ACTIVE`,
      )
      return
    }
    node.tracingConfig = { mode: ACTIVE }
    // Active tracing needs the function's role to write to X-Ray, as `tracing: ACTIVE` grants.
    const owner = node.node.scope
    if (owner instanceof lambda.Function) {
      owner.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      )
    }
  }
}
