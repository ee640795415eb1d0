import contextUtils from 'aws-xray-sdk-core/dist/lib/context_utils'
import logging from 'aws-xray-sdk-core/dist/lib/logger'
import SegmentEmitter from 'aws-xray-sdk-core/dist/lib/segment_emitter'
import TraceID from 'aws-xray-sdk-core/dist/lib/segments/attributes/trace_id'
import Segment from 'aws-xray-sdk-core/dist/lib/segments/segment'
import SegmentUtils from 'aws-xray-sdk-core/dist/lib/segments/segment_utils'
import { LambdaUtils } from 'aws-xray-sdk-core/dist/lib/utils'

/**
 * The SDK's Lambda set-up (its `env/aws_lambda` module), without the one thing Lambda never uses.
 * That module also loads the SDK's middleware helpers to switch centralized sampling off, and
 * with them the sampling rule and target pollers and their HTTP client for the daemon: Node's
 * `http` and `net` and nine SDK modules at every cold start, for a sampler nothing runs in Lambda
 * (the trace header carries the sampling decision). The slim facade (slim-sdk.ts) runs this set-up
 * instead; the SDK's root module, which loads the sampler anyway, is not in the bundles.
 *
 * Everything else is the SDK's, step for step: manual mode refused, streaming threshold 0 (the
 * runtime then turns streaming off, see invocation-document.ts), a facade segment in a context
 * entered at load, refreshed from `_X_AMZN_TRACE_ID` (or the runtime's InvokeStore) whenever the
 * header changes, and its recording methods silenced or warned about.
 */

/** The facade's fields and methods on top of the SDK's `Segment`. */
type FacadeSegment = Segment & {
  facade: boolean
  counter: number
  in_progress: boolean
  notTraced?: boolean
  subsegments?: unknown[]
  reset(): void
  resolveLambdaTraceData(): void
}

interface InvokeStore {
  getXRayTraceId(): string | undefined
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

// The last valid header the facade was filled from: a new one resets it (nothing leaks between
// invocations).
let previousHeader: string | null = null

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
  contextUtils.setSegment(facadeSegment())
}

function facadeSegment(): FacadeSegment {
  const segment = new Segment('facade') as FacadeSegment
  const methods = segment as unknown as Record<string, unknown>
  const header = process.env._X_AMZN_TRACE_ID
  // Every method, the prototype's included, as the SDK's for...in does.
  for (const key in segment) {
    if (typeof methods[key] !== 'function' || WORKING.includes(key)) continue
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
  segment.trace_id = TraceID.Invalid().toString()
  segment.isClosed = () => true
  segment.in_progress = false
  segment.counter = 1
  segment.notTraced = true
  segment.facade = true
  segment.reset = function reset(this: FacadeSegment) {
    this.trace_id = TraceID.Invalid().toString()
    this.id = '00000000'
    delete this.subsegments
    this.notTraced = true
  }
  segment.resolveLambdaTraceData = function resolveLambdaTraceData(this: FacadeSegment) {
    const store = (globalThis as { awslambda?: { InvokeStore?: InvokeStore } }).awslambda
      ?.InvokeStore
    const current = store?.getXRayTraceId() ?? process.env._X_AMZN_TRACE_ID
    if (current) {
      if (current != previousHeader) {
        this.reset()
        if (LambdaUtils.populateTraceData(segment, current)) previousHeader = current
      }
    } else {
      this.reset()
      const strategy = (
        contextUtils as unknown as { contextMissingStrategy: { contextMissing(m: string): void } }
      ).contextMissingStrategy
      strategy.contextMissing(
        'Missing AWS Lambda trace data for X-Ray. ' +
          'Ensure Active Tracing is enabled and no subsegments are created outside the function handler.',
      )
    }
  }
  // A header present at load (rare: the first invocation normally sets it later) fills it now.
  if (header && LambdaUtils.validTraceData(header)) {
    if (LambdaUtils.populateTraceData(segment, header)) previousHeader = header
  }
  return segment
}
