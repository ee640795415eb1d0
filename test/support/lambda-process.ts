import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  bundleFunction as bundleAppFunction,
  bundleService as bundleAppService,
  startLambda as startAppLambda,
  type FunctionBundle,
  type LambdaProcess,
  type StartLambdaOptions,
} from '../../src/trace/local-lambda/lambda-process'

// The Lambda child process lives in src/trace/local-lambda (the trace command runs routes with
// it); the suites use it on the committed lego-api, so the app folder defaults to that here.
export * from '../../src/trace/local-lambda/lambda-process'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Directory of the generated app, whose functions `service` bundles. */
export const GENERATED_APP = path.join(REPO_ROOT, 'generated/lego-api')

/**
 * The alias that gives aws-xray-sdk-core the runtime's AsyncLocalStorage namespace in place of
 * cls-hooked, as the shared bundling definition declares it.
 */
export const CONTEXT_ALIAS = {
  'cls-hooked/context': path.join(GENERATED_APP, 'src/lib/tracing/context.ts'),
}

/** {@link bundleAppFunction} with the lego-api's bundling definition. */
export function bundleFunction(
  entry: string,
  options: Omit<Parameters<typeof bundleAppFunction>[1], 'app'> = {},
): Promise<FunctionBundle> {
  return bundleAppFunction(entry, { app: GENERATED_APP, ...options })
}

/** {@link startAppLambda} with `service` taken from the lego-api. */
export function startLambda(options: StartLambdaOptions): Promise<LambdaProcess> {
  return startAppLambda({ app: GENERATED_APP, ...options })
}

/** {@link bundleAppService} on the lego-api. */
export function bundleService(service: string): Promise<FunctionBundle> {
  return bundleAppService(GENERATED_APP, service)
}
