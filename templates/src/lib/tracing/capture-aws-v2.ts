import Aws from 'aws-xray-sdk-core/dist/lib/segments/attributes/aws'
import {
  currentSegment,
  flagHttpStatus,
  isRecording,
  recordFault,
  type SegmentLike,
  type Subsegment,
} from './sdk'
import { downstreamTraceHeader } from './trace-header'

/** What the capture reads of an AWS SDK v2 `AWS.Response`. */
interface ResponseLike {
  error?: unknown
  httpResponse?: { statusCode?: number; headers?: Record<string, string> }
}

/** What the capture uses of an AWS SDK v2 `AWS.Request`. */
interface RequestLike {
  service?: { serviceIdentifier?: string; api?: { serviceId?: string } }
  httpRequest?: { headers?: Record<string, string> }
  on(event: string, listener: (arg: never) => void, toHead?: boolean): unknown
}

type RequestHandler = (this: unknown, request: RequestLike) => void

/** The part of an AWS SDK v2 service client the capture needs. */
interface ServiceLike {
  customizeRequests(handler: RequestHandler | null): void
  customRequestHandler?: RequestHandler | null
  [CAPTURED]?: true
}

/** Marks a captured client: capturing twice does not trace twice. */
const CAPTURED = Symbol.for('xray-scaffold.tracing.aws-v2-captured')

/**
 * Traces every call of an AWS SDK v2 service client (`aws-sdk`: `new AWS.DynamoDB()`,
 * `new AWS.S3()`, a `DynamoDB.DocumentClient`, whose own service is captured) as aws-xray-sdk-core's `captureAWSClient` does: one
 * subsegment per call, named by the service as AWS names it (`S3`, `DynamoDB`: the node the v3
 * capture draws too), in the `aws` namespace, with the `aws` fields X-Ray defines (operation,
 * region, request id, retries and the parameters the SDK's whitelist names, such as
 * `table_name`) and `http.response` status and content length. 4xx marks an error, 5xx a fault,
 * 429 a throttle; a call that fails without a 4xx answer records its exception as a fault. The
 * request carries the trace header, so a traced AWS service joins the trace.
 *
 * Callbacks, `.promise()` and `.send()` all go through the request's events, which the capture
 * listens to. Unlike the SDK it creates no subsegment on unsampled traces (only the `Sampled=0`
 * header is passed on), does not mark a 4xx answer as a fault, and keeps a request handler the
 * application set with `customizeRequests`. A presigned URL (`getSignedUrl`) makes no request
 * and is not traced; its URL, which carries a signature, is never recorded.
 *
 * @example
 * ```ts
 * const s3 = captureAWSv2Client(new AWS.S3({ region: process.env.AWS_REGION }))
 * const documents = captureAWSv2Client(new AWS.DynamoDB.DocumentClient())
 * ```
 */
export function captureAWSv2Client<C>(client: C): C {
  // A DocumentClient copies the service it is given into a new one: the one it calls is its own.
  const service = (
    typeof (client as { service?: ServiceLike } | null)?.service?.customizeRequests === 'function'
      ? (client as { service: ServiceLike }).service
      : client
  ) as ServiceLike
  if (typeof service?.customizeRequests !== 'function' || service[CAPTURED]) return client
  service[CAPTURED] = true
  const previous = Object.prototype.hasOwnProperty.call(service, 'customRequestHandler')
    ? service.customRequestHandler
    : undefined
  service.customizeRequests(function traceRequest(this: unknown, request: RequestLike) {
    if (typeof previous === 'function') previous.call(this, request)
    traceRequestEvents(request)
  })
  return client
}

function traceRequestEvents(request: RequestLike): void {
  let presigning = false
  let subsegment: Subsegment | undefined
  let parent: SegmentLike | undefined
  request.on('beforePresign', () => {
    presigning = true
  })
  // First of the request's events: the subsegment opens where the call is sent from (a
  // validation error then still ends in `complete`, which closes it).
  request.on(
    'validate',
    () => {
      parent = currentSegment()
      if (presigning || !parent || !isRecording(parent)) return
      const name = request.service?.api?.serviceId ?? request.service?.serviceIdentifier ?? 'AWS'
      subsegment = parent.addNewSubsegment(name)
      subsegment.addAttribute('namespace', 'aws')
    },
    true,
  )
  request.on('build', () => {
    const headers = request.httpRequest?.headers
    if (presigning || !parent || !headers) return
    const header = downstreamTraceHeader(parent, subsegment?.id ?? parent.id, Boolean(subsegment))
    if (header) headers['X-Amzn-Trace-Id'] = header
  })
  request.on('complete', (response: ResponseLike) => {
    if (!subsegment) return
    const open = subsegment
    subsegment = undefined
    try {
      describeResponse(open, response)
    } finally {
      open.close()
    }
  })
}

function describeResponse(subsegment: Subsegment, response: ResponseLike): void {
  subsegment.addAttribute('aws', new Aws(response, subsegment.name))
  const status = response.httpResponse?.statusCode || undefined
  if (status !== undefined) {
    const length = response.httpResponse?.headers?.['content-length']
    subsegment.addAttribute('http', {
      response: { status, ...(length !== undefined ? { content_length: Number(length) } : {}) },
    })
    flagHttpStatus(subsegment, status)
  }
  // A client error (404 on a missing key) is the caller's: the error flag says so. Anything else
  // (5xx, no answer at all) is a fault of the dependency, with its exception.
  if (response.error && (status === undefined || status < 400 || status >= 500)) {
    recordFault(subsegment, response.error)
  }
}
