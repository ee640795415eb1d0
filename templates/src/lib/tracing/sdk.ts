import AWSXRay from 'aws-xray-sdk-core'
import { useRandomPoolForIds } from './entity-ids'
import { serializeSubsegmentsFaster } from './entity-json'
import { sendInvocationDocuments } from './invocation-document'
import { facadeTraceId, invocationFacade, isInvocationFacade } from './lambda-facade'
import { isLevelEnabled, logger, readInvocationFieldsFrom, type InvocationFields } from './logger'
import { redactError } from './redact-error'
import { completeRecordedException } from './stack-frames'
import { currentTraceHeader } from './trace-id'

/**
 * The one place the handlers, the clients and the rest of the runtime reach aws-xray-sdk-core
 * through. Besides it, only the modules that change how the SDK works import it: the ones this
 * file sets up (entity-ids.ts, entity-json.ts, invocation-document.ts, daemon-socket.ts), the
 * Lambda set-up (lambda-facade.ts, slim-sdk.ts, and subsegment.ts, the subsegments recorded under
 * the facade) and the AWS SDK capture (aws-client.ts, for the SDK's `aws` attribute). Replacing
 * the SDK (it reaches end of support in February 2027) touches those and not the handlers. No plugins are loaded: in Lambda the EC2/ECS/Beanstalk plugins only
 * cost start-up time. The daemon address comes from `AWS_XRAY_DAEMON_ADDRESS`, which the SDK
 * reads itself and Lambda sets.
 */

/** A segment or subsegment of the SDK; internal to the runtime and the traced clients. */
export type SegmentLike = AWSXRay.Segment | AWSXRay.Subsegment
export type Subsegment = AWSXRay.Subsegment

const SDK_PREFIX = 'aws-xray-sdk: '

function sdkMessage(parts: unknown[]): string {
  return (
    SDK_PREFIX + parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ')
  )
}

// The SDK's own messages become JSON lines like every other log line of the function.
// Its debug messages (one per invocation at least: "Lambda trace data found") are not even
// built unless DEBUG lines are written.
const debug = isLevelEnabled('DEBUG')
  ? (...parts: unknown[]) => logger.debug(sdkMessage(parts))
  : () => undefined
AWSXRay.setLogger({
  error: (...parts: unknown[]) => logger.error(sdkMessage(parts)),
  warn: (...parts: unknown[]) => logger.warn(sdkMessage(parts)),
  info: debug,
  debug,
})

// Ids from a random pool rather than a system call per subsegment.
useRandomPoolForIds()
// The same documents, serialized without walking prototypes or calling a replacer per value.
serializeSubsegmentsFaster()

// One document per invocation over one socket, instead of a datagram per subsegment.
sendInvocationDocuments()

// A missing context is logged, never thrown: tracing must not fail a request. When
// AWS_XRAY_CONTEXT_MISSING is set the SDK follows it and refuses any override.
if (!process.env.AWS_XRAY_CONTEXT_MISSING) {
  AWSXRay.setContextMissingStrategy(function logContextMissing(message: string) {
    logger.warn('X-Ray context missing', { reason: message })
  })
}

/**
 * The current segment or subsegment, or `undefined` outside any trace context. Unlike
 * `AWSXRay.getSegment()` it does not report a missing context: the runtime calls it on every
 * traced operation, and code running outside Lambda (scripts, tests) has no context by design.
 * In Lambda, outside `withTracing`, the shared facade is refreshed from the trace header.
 *
 * @example
 * ```ts
 * const parent = currentSegment()
 * if (parent && isRecording(parent)) parent.addNewSubsegment('work')
 * ```
 */
export function currentSegment(): SegmentLike | undefined {
  const segment = AWSXRay.getNamespace().get('segment') as SegmentLike | undefined
  // Only the shared facade needs the SDK's getSegment, which refreshes it from the trace header;
  // an invocation's own facade, like any subsegment, is current as it is.
  if (segment === undefined || !isFacade(segment) || isInvocationFacade(segment)) return segment
  return AWSXRay.getSegment()
}

/**
 * Whether data added under `segment` is ever sent: false for an unsampled trace (`Sampled=0`)
 * and for the facade before any trace header arrived. Callers skip creating subsegments then.
 *
 * @example
 * ```ts
 * if (!isRecording(parent)) return fn()
 * ```
 */
export function isRecording(segment: SegmentLike): boolean {
  const flags = segment as { notTraced?: boolean; noOp?: boolean }
  return flags.notTraced !== true && flags.noOp !== true
}

/**
 * Whether `segment` is the facade segment Lambda mode builds from the trace header: it is
 * never sent and takes no annotations, metadata or errors.
 *
 * @example
 * ```ts
 * if (!isFacade(segment)) segment.addAnnotation('userId', userId)
 * ```
 */
export function isFacade(segment: SegmentLike): boolean {
  return (segment as { facade?: boolean }).facade === true
}

/**
 * Runs `fn` with `segment` as the current segment; the caller's context is untouched when it
 * returns (and the promise `fn` returns keeps `segment` through its continuations).
 *
 * @example
 * ```ts
 * const result = runWithSegment(subsegment, () => handler(event, context))
 * ```
 */
export function runWithSegment<T>(segment: SegmentLike, fn: () => T): T {
  return runInNewContext(() => AWSXRay.setSegment(segment), fn)
}

/**
 * Runs `fn` in a new context, which starts as a copy of the current one and gets its values
 * from `enter`; the caller's context is untouched when it returns, and the promise `fn` returns
 * keeps the new context through its continuations.
 */
function runInNewContext<T>(enter: () => void, fn: () => T): T {
  // runAndReturn, which cls-hooked and the runtime's namespace (context.ts) both implement,
  // rather than run and a variable the closure writes to.
  return AWSXRay.getNamespace().runAndReturn(() => {
    enter()
    return fn()
  })
}

// Lambda mode is decided once, when the SDK loads, as the SDK decides it.
const IN_LAMBDA = Boolean(process.env.LAMBDA_TASK_ROOT)

/** Key of an invocation's log fields in its context. */
const LOG_FIELDS = 'logFields'
readInvocationFieldsFrom(
  () => AWSXRay.getNamespace().get(LOG_FIELDS) as InvocationFields | undefined,
)

/**
 * Runs one invocation of a handler in a context of its own, holding its log fields and, in
 * Lambda, a facade segment filled from its trace header as the current segment. Everything the
 * invocation starts keeps both, work that outlives it included: nothing it records or logs can
 * take another invocation's trace id, even while the next one runs or several run at once.
 *
 * @example
 * ```ts
 * return runInvocation({ service: 'gallery', functionRequestId: context.awsRequestId }, () =>
 *   handler(event, context),
 * )
 * ```
 */
export function runInvocation<T>(fields: InvocationFields, fn: () => T): T {
  return runInNewContext(() => {
    let logFields = fields
    if (IN_LAMBDA) {
      const facade = invocationFacade(currentTraceHeader())
      AWSXRay.setSegment(facade as unknown as SegmentLike)
      logFields = { ...fields, traceId: facadeTraceId(facade) }
    }
    AWSXRay.getNamespace().set(LOG_FIELDS, logFields)
  }, fn)
}

/**
 * Runs `fn` inside `subsegment` and always closes it: a throw or rejection is recorded (fault,
 * exception with stack) and rethrown. An unclosed subsegment is never sent, nor is anything under
 * it, so this is the one place the runtime's subsegments are run and closed. `fn` is awaited
 * inside the subsegment's context: a thenable such as a Drizzle query builder only runs its query
 * when `then` is called, and that call must happen with the subsegment current, or the query's own
 * subsegment would attach to the caller instead.
 *
 * @example
 * ```ts
 * const rows = await runInSubsegment(parent.addNewSubsegment('work'), () => query())
 * ```
 */
export async function runInSubsegment<T>(
  subsegment: Subsegment,
  fn: () => T | PromiseLike<T>,
): Promise<T> {
  try {
    return await runWithSegment(subsegment, () => started(fn()))
  } catch (error) {
    recordFault(subsegment, error)
    throw error
  } finally {
    subsegment.close()
  }
}

/**
 * `result` as a promise that has started: a thenable that is not a promise gets its `then` called
 * (in a job queued now, in the current context), as `await` would, without an async function of
 * its own around the call; a promise or a plain value is passed on as it is.
 */
function started<T>(result: T | PromiseLike<T>): T | PromiseLike<T> {
  if (
    result instanceof Promise ||
    typeof (result as { then?: unknown } | null)?.then !== 'function'
  ) {
    return result
  }
  return Promise.resolve(result)
}

/**
 * Opens a remote subsegment (a downstream node on the service map) under the current
 * segment, or returns `undefined` when nothing would be sent.
 *
 * @example
 * ```ts
 * const subsegment = openRemoteSubsegment('Redis')
 * ```
 */
export function openRemoteSubsegment(name: string): Subsegment | undefined {
  const parent = currentSegment()
  if (!parent || !isRecording(parent)) return undefined
  const subsegment = parent.addNewSubsegment(name)
  subsegment.addAttribute('namespace', 'remote')
  return subsegment
}

/**
 * Flags `subsegment` for the HTTP status of the answer it records: 5xx a fault, 4xx an error
 * (the caller's, not the dependency's), and 429 also a throttle.
 *
 * @example
 * ```ts
 * flagHttpStatus(subsegment, 404) // error
 * ```
 */
export function flagHttpStatus(subsegment: SegmentLike, status: number): void {
  if (status >= 500) subsegment.addFaultFlag()
  else if (status >= 400) {
    subsegment.addErrorFlag()
    if (status === 429) subsegment.addThrottleFlag()
  }
}

/**
 * Records `error` on `subsegment` as a fault with the exception's message and stack.
 *
 * @example
 * ```ts
 * recordFault(subsegment, error)
 * ```
 */
export function recordFault(subsegment: SegmentLike, error: unknown): void {
  if (isFacade(subsegment)) return
  // A thrown non-Error is described by its type only: its content may be anything, secrets too.
  const recordable =
    error instanceof Error
      ? redactError(error)
      : typeof error === 'string'
        ? error
        : new Error(`Non-Error value thrown (${typeof error})`)
  subsegment.addError(recordable)
  // The SDK's frames have no line in an ESM bundle; the schema requires one (stack-frames.ts).
  completeRecordedException(subsegment, recordable)
  subsegment.addFaultFlag()
}

export { AWSXRay }
