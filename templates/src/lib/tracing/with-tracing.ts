import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { addAnnotation } from './annotations'
import { requestFacts } from './api-gateway-event'
import {
  currentSegment,
  flagHttpStatus,
  isRecording,
  runInSubsegment,
  runInvocation,
  type Subsegment,
} from './sdk'

/** Where an annotation's value comes from in the incoming event. */
export type AnnotationSource =
  /** A claim of the authorizer: `requestContext.authorizer.claims` (v1) or `.jwt.claims` (v2). */
  | { from: 'claim'; name: string }
  /** A path parameter: `event.pathParameters[name]`. */
  | { from: 'pathParameter'; name: string }

/** How `withTracing` describes a function's requests. */
export interface TracingConfig {
  /** Service name: `Service` annotation and the logger's `service`. */
  service: string
  /** Annotation key -> where its value comes from (same shape as the manifest's AnnotationSource). */
  annotations?: Record<string, AnnotationSource>
}

// Module state lives as long as the execution environment: only its first invocation is cold.
let coldStart = true

/**
 * Wraps a Lambda handler for API Gateway REST (v1) or HTTP API (v2) proxy events.
 *
 * Lambda owns the function's segment; the code records under a facade that is never sent. Each
 * invocation runs with a facade of its own (see lambda-facade.ts), so work it leaves running keeps
 * its trace. The wrapper opens its own subsegment `## <function name>` and records on it:
 * - annotations `Service`, `ColdStart` (true only for the first invocation of the execution
 *   environment), `method`, `path`, `route` (the resource template) and the configured ones
 *   (`userId` from the `sub` claim, resource ids from path parameters);
 * - metadata `requestId` (API Gateway's) and `stage`;
 * - `http.response.status` from the result's `statusCode`: 5xx marks a fault, 4xx an error;
 * - a throw: fault and exception with stack, then the error is rethrown unchanged.
 *
 * The subsegment is always closed (an unclosed subsegment is never sent, nor is anything under
 * it). On an unsampled trace no subsegment is created at all. The logger's `service`,
 * `function_request_id` and `cold_start` are set for the invocation.
 *
 * @example
 * ```ts
 * export const handler = withTracing(
 *   {
 *     service: 'moc-instructions',
 *     annotations: {
 *       userId: { from: 'claim', name: 'sub' },
 *       mocId: { from: 'pathParameter', name: 'id' },
 *     },
 *   },
 *   async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
 *     return { statusCode: 200, body: '{}' }
 *   },
 * )
 * ```
 */
export function withTracing<E extends APIGatewayProxyEvent | APIGatewayProxyEventV2, R>(
  config: TracingConfig,
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  return async (event: E, context: Context): Promise<R> => {
    const isColdStart = coldStart
    coldStart = false
    const fields = {
      service: config.service,
      functionRequestId: context?.awsRequestId,
      coldStart: isColdStart,
    }
    return runInvocation(fields, () => {
      const parent = currentSegment()
      if (!parent || !isRecording(parent)) return handler(event, context)

      const functionName =
        context?.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? config.service
      const subsegment = parent.addNewSubsegment(`## ${functionName}`)
      return runInSubsegment(subsegment, async () => {
        describeRequest(subsegment, config, event, isColdStart)
        const result = await handler(event, context)
        recordResponse(subsegment, result)
        return result
      })
    })
  }
}

function describeRequest(
  subsegment: Subsegment,
  config: TracingConfig,
  event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
  isColdStart: boolean,
): void {
  const facts = requestFacts(event)
  addAnnotation(subsegment, 'Service', config.service)
  addAnnotation(subsegment, 'ColdStart', isColdStart)
  if (facts.method !== undefined) addAnnotation(subsegment, 'method', facts.method)
  if (facts.path !== undefined) addAnnotation(subsegment, 'path', facts.path)
  if (facts.route !== undefined) addAnnotation(subsegment, 'route', facts.route)
  const annotations = config.annotations
  for (const key in annotations) {
    const source = annotations[key]!
    const value =
      source.from === 'claim' ? facts.claims[source.name] : facts.pathParameters[source.name]
    // A route without the parameter (POST /api/mocs) or an anonymous request simply lacks it.
    if (value !== undefined && value !== null) addAnnotation(subsegment, key, value)
  }
  if (facts.requestId !== undefined) subsegment.addMetadata('requestId', facts.requestId)
  if (facts.stage !== undefined) subsegment.addMetadata('stage', facts.stage)
}

function recordResponse(subsegment: Subsegment, result: unknown): void {
  const status = (result as { statusCode?: unknown } | null | undefined)?.statusCode
  if (typeof status !== 'number') return
  subsegment.addAttribute('http', { response: { status } })
  flagHttpStatus(subsegment, status)
}
