import type AwsAttribute from 'aws-xray-sdk-core/dist/lib/segments/attributes/aws'
import {
  currentSegment,
  flagHttpStatus,
  isRecording,
  recordFault,
  type SegmentLike,
  type Subsegment,
} from './sdk'

/** The part of an AWS SDK v3 client the capture needs (kept structural: no SDK type leaks). */
interface CapturableClient {
  config: { region: string | (() => Promise<string>) }
  middlewareStack: {
    add(middleware: unknown, options: { step: 'build'; name: string }): void
    remove(name: string): boolean
  }
}

interface HandlerContext {
  clientName?: string
  commandName?: string
}

interface BuildArgs {
  input?: unknown
  request?: { headers?: Record<string, string> }
}

interface Metadata {
  httpStatusCode?: number
  requestId?: string
  extendedRequestId?: string
  attempts?: number
}

interface BuildOutput {
  response?: { statusCode?: number; headers?: Record<string, string> }
  output?: { presigned?: unknown; $metadata?: Metadata }
}

type BuildHandler = (args: BuildArgs) => Promise<BuildOutput>

/** The name aws-xray-sdk-core gives its own middleware: capturing twice replaces, never stacks. */
const MIDDLEWARE_NAME = 'XRaySDKInstrumentation'

/**
 * Traces every call of an AWS SDK v3 client: one subsegment per call, named by the service
 * (`S3`), in the `aws` namespace, with the `aws` fields X-Ray defines (operation, region,
 * request id, retries, and the parameters the SDK's whitelist names, such as `bucket_name` and
 * `key`) and `http.response` status and content length. 4xx marks an error, 5xx a fault, 429 or
 * a throttling error a throttle; a call that fails without a 4xx answer records its exception
 * as a fault. The call carries the trace header, so a traced AWS service joins the trace.
 *
 * Presigning (`getSignedUrl`) runs the client's middleware but answers from a presigning
 * middleware instead of sending a request: its subsegment is marked `presigned: true` and has no
 * HTTP status, since no request was made; the URL, which carries a signature, is not recorded.
 *
 * It builds the subsegment aws-xray-sdk-core's `captureAWSv3Client` builds, but creates none on
 * unsampled traces (where only the `Sampled=0` header is passed on), does not await the region
 * on every call, and does not mark a 4xx answer as a fault (the SDK's `addError` always does).
 *
 * @example
 * ```ts
 * export const s3 = captureAWSv3Client(new S3Client({ region: process.env.AWS_REGION }))
 * ```
 */
export function captureAWSv3Client<C extends CapturableClient>(client: C): C {
  client.middlewareStack.remove(MIDDLEWARE_NAME)
  client.middlewareStack.add(tracingMiddleware(client.config), {
    step: 'build',
    name: MIDDLEWARE_NAME,
  })
  return client
}

/**
 * The SDK's `aws` attribute, loaded with its whitelist of AWS operations (23 kB of JSON) on the
 * first sampled call rather than at every cold start: about a fifth of what tracing adds to init.
 */
let Aws: typeof AwsAttribute | undefined

/** A captured client's configuration, and its region once resolved. */
interface ClientState {
  config: CapturableClient['config']
  region: string | undefined
}

function tracingMiddleware(config: CapturableClient['config']) {
  const state: ClientState = { config, region: undefined }
  return (next: BuildHandler, context: HandlerContext): BuildHandler =>
    (args) => {
      const parent = currentSegment()
      if (!parent) return next(args)
      if (!isRecording(parent)) {
        // Nothing to record; the header says Sampled=0. Set here, from the invocation's facade,
        // rather than left to the AWS SDK's recursion-detection middleware: older SDK versions
        // read only `_X_AMZN_TRACE_ID`, which is not the invocation's own when several run at
        // once, and the current one reads the environment and awaits Lambda's InvokeStore.
        setTraceHeader(args, parent, rootOf(parent).id, false)
        return next(args)
      }
      return tracedCall(state, parent, next, context, args)
    }
}

/** One sampled call: its subsegment, opened under `parent`, around `next`. */
async function tracedCall(
  state: ClientState,
  parent: SegmentLike,
  next: BuildHandler,
  context: HandlerContext,
  args: BuildArgs,
): Promise<BuildOutput> {
  const service = (context.clientName ?? 'AWSClient').replace(/Client$/, '')
  const command = (context.commandName ?? '').replace(/Command$/, '')
  Aws ??= (await import('aws-xray-sdk-core/dist/lib/segments/attributes/aws')).default
  const subsegment = parent.addNewSubsegment(service)
  subsegment.addAttribute('namespace', 'aws')
  setTraceHeader(args, parent, subsegment.id, true)
  const call = { service, command, region: state.region ?? '', input: args.input }
  try {
    // Resolved once per client (the SDK's capture awaits it on every call); inside the try,
    // so that a region that cannot be resolved still closes the subsegment.
    call.region = state.region ??=
      typeof state.config.region === 'string' ? state.config.region : await state.config.region()
    const result = await next(args)
    if (result?.output?.presigned !== undefined) {
      // No request was made: no HTTP status to record.
      subsegment.addMetadata('presigned', true)
      describeCall(subsegment, call, result.output.$metadata, {})
    } else {
      describeCall(subsegment, call, result?.output?.$metadata, {
        status: result?.output?.$metadata?.httpStatusCode ?? result?.response?.statusCode,
        length: result?.response?.headers?.['content-length'],
      })
    }
    subsegment.close()
    return result
  } catch (error) {
    const metadata = (error as { $metadata?: Metadata } | null)?.$metadata
    const status = metadata?.httpStatusCode
    describeCall(subsegment, call, metadata, { status })
    if (isThrottling(error)) subsegment.addThrottleFlag()
    // A client error (404 on a missing key) is the caller's: the error flag says so. Anything
    // else (5xx, no answer at all) is a fault of the dependency, with its exception.
    if (status === undefined || status < 400 || status >= 500) recordFault(subsegment, error)
    subsegment.close()
    throw error
  }
}

interface Call {
  service: string
  command: string
  region: string
  input: unknown
}

/**
 * Records the `aws` fields (the SDK's Aws attribute: operation, region, request ids, retries and
 * its whitelist's parameters) and the `http.response` with its flags: 4xx error, 5xx fault, 429
 * throttle.
 */
function describeCall(
  subsegment: Subsegment,
  call: Call,
  metadata: Metadata | undefined,
  http: { status?: number; length?: string },
): void {
  subsegment.addAttribute(
    'aws',
    new Aws!(
      {
        extendedRequestId: metadata?.extendedRequestId,
        requestId: metadata?.requestId,
        retryCount: metadata?.attempts,
        request: {
          // The SDK's whitelist is keyed by the lower-camel operation name.
          operation: call.command.charAt(0).toLowerCase() + call.command.slice(1),
          params: call.input ?? {},
          httpRequest: { region: call.region },
        },
      },
      call.service,
    ),
  )
  const { status, length } = http
  if (status === undefined && length === undefined) return
  const response: Record<string, number> = {}
  if (status !== undefined) response.status = status
  if (length !== undefined) response.content_length = Number(length)
  subsegment.addAttribute('http', { response })
  if (status !== undefined) flagHttpStatus(subsegment, status)
}

/** As @smithy/service-error-classification's isThrottlingError, for the cases it names. */
function isThrottling(error: unknown): boolean {
  const { $metadata, $retryable, name } = (error ?? {}) as {
    $metadata?: Metadata
    $retryable?: { throttling?: boolean }
    name?: string
  }
  return (
    $metadata?.httpStatusCode === 429 ||
    $retryable?.throttling === true ||
    (name !== undefined && THROTTLING_ERROR_NAMES.has(name))
  )
}

const THROTTLING_ERROR_NAMES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
])

/** The segment a (sub)segment belongs to: its trace id and extra trace data live there. */
function rootOf(entity: SegmentLike): SegmentLike {
  return (entity as { segment?: SegmentLike }).segment ?? entity
}

function setTraceHeader(args: BuildArgs, parent: SegmentLike, id: string, sampled: boolean): void {
  const root = rootOf(parent) as SegmentLike & {
    trace_id: string
    noOp?: boolean
    additionalTraceData?: Record<string, string>
  }
  // Lambda's pass-through mode (a root without a sampling decision) propagates nothing.
  if (root.noOp || !args.request?.headers) return
  let header = `Root=${root.trace_id};Parent=${id};Sampled=${sampled ? '1' : '0'}`
  for (const [key, value] of Object.entries(root.additionalTraceData ?? {})) {
    header += `;${key}=${value}`
  }
  args.request.headers['X-Amzn-Trace-Id'] = header
}
