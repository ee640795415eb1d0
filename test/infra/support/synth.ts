import { App, type Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { addDemoStack } from '../../../generated/lego-api/infra'

/** A synthesized demo stack: the app, the stack and its template. */
export interface Synthesized {
  readonly app: App
  readonly stack: Stack
  readonly template: Template
}

/**
 * Synthesizes the demo app of the generated infra for one stage. With `bundle: false` the
 * functions' code is not bundled (CDK's `aws:cdk:bundling-stacks` context set to none), which
 * keeps synths that only look at configuration fast; the main suite bundles for real.
 */
export function synthDemo(stage: string, options: { bundle: boolean }): Synthesized {
  const context: Record<string, unknown> = { stage }
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = []
  const app = new App({ context })
  const stack = addDemoStack(app)
  return { app, stack, template: Template.fromStack(stack) }
}

/** Resources of one type: logical id -> resource. */
export function resourcesOf(
  template: Template,
  type: string,
): Record<string, { Properties: Record<string, any> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, any> }>
}
