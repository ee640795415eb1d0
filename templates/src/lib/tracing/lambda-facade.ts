import contextUtils from 'aws-xray-sdk-core/dist/lib/context_utils'
import logging from 'aws-xray-sdk-core/dist/lib/logger'
import SegmentEmitter from 'aws-xray-sdk-core/dist/lib/segment_emitter'
import TraceID from 'aws-xray-sdk-core/dist/lib/segments/attributes/trace_id'
import Segment from 'aws-xray-sdk-core/dist/lib/segments/segment'
import SegmentUtils from 'aws-xray-sdk-core/dist/lib/segments/segment_utils'
import { LambdaUtils } from 'aws-xray-sdk-core/dist/lib/utils'
import { Subsegment } from './subsegment'
import { currentTraceHeader, parseTraceHeader } from './trace-id'

/**
 * Lambda owns the function's segment; the code records under a facade segment that carries the
 * invocation's trace id and parent id (from the trace header) and is never sent.
 *
 * - `invocationFacade` gives each invocation a facade of its own, fixed to its header:
 *   `withTracing` runs the handler with it as the current segment. Work an invocation leaves
 *   behind (a timer, an unawaited promise) keeps that facade through the context, so it is sent
 *   with its own trace id, or not at all if its trace was unsampled, even while a later
 *   invocation runs, or several run at once (the runtime's multi-concurrency mode).
 * - `initLambdaFacade` is the SDK's Lambda set-up (its `env/aws_lambda` module), for code outside
 *   `withTracing`: one facade in a context entered at load, refreshed from the header whenever it
 *   changes. It leaves out what that module also loads to switch centralized sampling off: the
 *   sampling rule and target pollers, their HTTP client, Node's `http` and `net` and nine SDK
 *   modules at every cold start, for a sampler nothing runs in Lambda (the header carries the
 *   sampling decision). The slim facade (slim-sdk.ts) runs this set-up instead of the SDK's.
 *
 * Both are the SDK's facade otherwise: its recording methods silenced or warned about, manual
 * mode refused, streaming threshold 0 (the runtime then turns streaming off, see
 * invocation-document.ts).
 */

/** The facade's fields and methods on top of the SDK's `Segment`. */
export type FacadeSegment = Segment & {
  facade: boolean
  counter: number
  in_progress: boolean
  notTraced?: boolean
  noOp?: boolean
  subsegments?: unknown[]
  additionalTraceData?: Record<string, string>
  [INVOCATION]?: true | undefined
  resolveLambdaTraceData(): void
}

/** Segment methods that keep working on the facade: subsegments are what the function records. */
const WORKING = [
  'addNewSubsegment',
  'addSubsegment',
  'removeSubsegment',
  'toString',
  'addSubsegmentWithoutSampling',
  'addNewSubsegmentWithoutSampling',
]
/** Methods that do nothing on the facade, without a warning: the SDK calls them itself. */
const SILENT = ['incrementCounter', 'decrementCounter', 'isClosed', 'close', 'format', 'flush']

const MISSING_TRACE_DATA =
  'Missing AWS Lambda trace data for X-Ray. ' +
  'Ensure Active Tracing is enabled and no subsegments are created outside the function handler.'

/** Marks a facade made for one invocation: its trace data is fixed, there is nothing to refresh. */
const INVOCATION = Symbol('invocation facade')

let prototype: object | undefined
let invalidTraceId: string | undefined

/** The SDK's placeholder trace id of a facade without trace data, made once. */
function invalidTrace(): string {
  return (invalidTraceId ??= TraceID.Invalid().toString())
}

/**
 * What every facade inherits: `Segment` with each method but the working ones replaced, built
 * once (the SDK replaces them on every facade it builds).
 */
function facadePrototype(): object {
  if (prototype) return prototype
  const methods = Object.create(Segment.prototype) as Record<string, unknown>
  const segmentMethods = Segment.prototype as unknown as Record<string, unknown>
  // Every method, as the SDK's for...in over a segment finds them.
  for (const key in segmentMethods) {
    if (typeof segmentMethods[key] !== 'function' || WORKING.includes(key)) continue
    methods[key] = SILENT.includes(key)
      ? function facade() {
          return
        }
      : function facade() {
          logging
            .getLogger()
            .warn(
              `Function "${key}" cannot be called on an AWS Lambda segment. Please use a subsegment to record data.`,
            )
          return
        }
  }
  methods.isClosed = () => true
  // What the function records under the facade is the runtime's own subsegments (subsegment.ts),
  // and so is everything opened under them.
  methods.addNewSubsegment = function addNewSubsegment(this: FacadeSegment, name: string) {
    return new Subsegment(name, this)
  }
  // An invocation's facade keeps the trace data it was made with.
  methods.resolveLambdaTraceData = function resolveLambdaTraceData() {
    return
  }
  prototype = methods
  return methods
}

/**
 * A facade with no trace data: nothing under it is recorded. Every field it ever gets is set
 * here, in one order, and later emptied by assigning `undefined` rather than by `delete`: a
 * facade keeps one shape, where a `delete` would turn it into a slow dictionary-mode object.
 */
function emptyFacade(): FacadeSegment {
  const facade = Object.create(facadePrototype()) as FacadeSegment
  facade.name = 'facade'
  facade.in_progress = false
  facade.counter = 1
  facade.facade = true
  facade.trace_id = invalidTrace()
  facade.id = '00000000'
  facade.notTraced = true
  facade.noOp = undefined
  facade.subsegments = undefined
  facade.additionalTraceData = undefined
  facade[INVOCATION] = undefined
  return facade
}

/** Takes a facade's trace data and subsegments away. */
function clear(facade: FacadeSegment): void {
  facade.trace_id = invalidTrace()
  facade.id = '00000000'
  facade.notTraced = true
  facade.noOp = undefined
  facade.subsegments = undefined
}

/**
 * Fills `facade` from a trace header; false when the header is invalid (nothing recorded). A
 * header with a root, a parent and a sampling decision is read here, with the SDK's result (its
 * `populateTraceData` also builds a debug line holding the header as JSON on every call, logged
 * or not); any other goes to the SDK, which logs what is wrong with it.
 */
function fill(facade: FacadeSegment, header: string): boolean {
  const fields = parseTraceHeader(header)
  if (!fields) return LambdaUtils.populateTraceData(facade, header)
  facade.trace_id = fields.root
  facade.id = fields.parent
  // The SDK deletes `notTraced` on a sampled trace; undefined reads the same.
  facade.notTraced = parseInt(fields.sampled) ? undefined : true
  facade.additionalTraceData = fields.data
  return true
}

function reportMissingTraceData(): void {
  const strategy = (
    contextUtils as unknown as { contextMissingStrategy: { contextMissing(m: string): void } }
  ).contextMissingStrategy
  strategy.contextMissing(MISSING_TRACE_DATA)
}

/**
 * A facade of its own for the invocation whose trace header is `header` (the runtime's, read
 * when the invocation starts); without a header nothing is recorded and the missing context is
 * reported, as the SDK does.
 *
 * @example
 * ```ts
 * runWithSegment(invocationFacade(currentTraceHeader()), () => handler(event, context))
 * ```
 */
export function invocationFacade(header: string | undefined): FacadeSegment {
  const facade = emptyFacade()
  facade[INVOCATION] = true
  if (header) fill(facade, header)
  else reportMissingTraceData()
  return facade
}

/**
 * Whether `segment` is a facade made by {@link invocationFacade}: unlike the shared facade, it
 * needs no refresh from the header before use.
 *
 * @example
 * ```ts
 * isInvocationFacade(invocationFacade(header)) // true
 * ```
 */
export function isInvocationFacade(segment: object): boolean {
  return (segment as Partial<FacadeSegment>)[INVOCATION] === true
}

/**
 * The trace id a facade carries, or `undefined` when it was given no valid header.
 *
 * @example
 * ```ts
 * facadeTraceId(invocationFacade(header)) // '1-67891233-abcdef012345678912345678'
 * ```
 */
export function facadeTraceId(facade: FacadeSegment): string | undefined {
  return facade.trace_id === invalidTrace() ? undefined : facade.trace_id
}

/**
 * Sets the SDK up for Lambda as its own Lambda module does, minus switching off a centralized
 * sampler that is never loaded. Call once, at load, when `LAMBDA_TASK_ROOT` is set.
 *
 * @example
 * ```ts
 * if (process.env.LAMBDA_TASK_ROOT) initLambdaFacade()
 * ```
 */
export function initLambdaFacade(): void {
  const context = contextUtils as unknown as { enableManualMode(): void }
  context.enableManualMode = function () {
    logging.getLogger().warn('AWS Lambda does not support AWS X-Ray manual mode.')
  }
  SegmentEmitter.disableReusableSocket()
  SegmentUtils.setStreamingThreshold(0)
  const namespace = contextUtils.getNamespace()
  namespace.enter(namespace.createContext())
  contextUtils.setSegment(sharedFacade())
}

/** The facade of code outside `withTracing`: one for the process, refreshed from the header. */
function sharedFacade(): FacadeSegment {
  const facade = emptyFacade()
  // The last valid header it was filled from: a new one resets it (nothing leaks between
  // invocations).
  let previousHeader: string | undefined
  facade.resolveLambdaTraceData = function resolveLambdaTraceData() {
    const header = currentTraceHeader()
    if (header && header === previousHeader) return
    clear(this)
    if (!header) return reportMissingTraceData()
    if (fill(this, header)) previousHeader = header
  }
  // A header present at load (rare: the first invocation normally sets it later) fills it now.
  const header = process.env._X_AMZN_TRACE_ID
  if (header && LambdaUtils.validTraceData(header) && fill(facade, header)) previousHeader = header
  return facade
}
