import type { APIGatewayProxyEvent, Context } from 'aws-lambda'
import { EventEmitter } from 'node:events'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { AWSXRay } from '../../generated/lego-api/src/lib/tracing/sdk'
import { logger, traced, withTracing } from '../../generated/lego-api/src/lib/tracing'

/*
 * A Lambda handler whose event names a context scenario. Bundled with the shared bundling
 * definition (so `cls-hooked/context` is the runtime's AsyncLocalStorage namespace) and run in a
 * Lambda process on Node 24, it drives the real aws-xray-sdk-core: subsegments reach the
 * collector, and the handler answers with what it saw of the context along the way.
 */

export interface ScenarioEvent {
  scenario: 'promise-all' | 'timers' | 'emitter' | 'stream' | 'whoami' | 'overlap'
  /** `overlap`: how long its two steps take, ms. */
  delays?: [number, number]
}

/** Name of the current (sub)segment, or `none` outside any context. */
function current(): string {
  const segment = AWSXRay.getNamespace().get('segment') as { name?: string } | undefined
  return segment?.name ?? 'none'
}

/** Trace id the current segment belongs to (a subsegment's is its root segment's). */
function currentTraceId(): string | undefined {
  const segment = AWSXRay.getNamespace().get('segment') as
    { trace_id?: string; segment?: { trace_id?: string } } | undefined
  return segment?.trace_id ?? segment?.segment?.trace_id
}

async function promiseAll(): Promise<unknown> {
  // Branches of different lengths interleave their continuations on the event loop.
  const branch = (name: string, delays: number[]) =>
    traced(name, {}, async () => {
      const seen: string[] = []
      for (const [index, ms] of delays.entries()) {
        await sleep(ms)
        seen.push(current())
        await traced(`${name}.${index}`, {}, async () => {
          await sleep(ms)
          seen.push(current())
        })
      }
      return seen
    })
  return traced('fan-out', {}, () =>
    Promise.all([branch('a', [3, 1, 2]), branch('b', [1, 3, 1]), branch('c', [2, 2, 2])]),
  )
}

async function timers(): Promise<unknown> {
  return traced('timers', {}, async () => {
    const seen: Record<string, string> = {}
    await new Promise<void>((resolve) => {
      setTimeout(() => {
        seen.setTimeout = current()
        void traced('in-timeout', {}, () => undefined).then(() => resolve())
      }, 5)
    })
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        seen.setImmediate = current()
        resolve()
      }),
    )
    await new Promise<void>((resolve) =>
      process.nextTick(() => {
        seen.nextTick = current()
        resolve()
      }),
    )
    await new Promise<void>((resolve) =>
      queueMicrotask(() => {
        seen.queueMicrotask = current()
        resolve()
      }),
    )
    return seen
  })
}

/** An emitter created at load, outside any invocation, like a client's socket. */
const sharedEmitter = new EventEmitter()

async function emitter(): Promise<unknown> {
  const namespace = AWSXRay.getNamespace()
  const seen: Record<string, string | number | boolean> = {}
  const bound = new EventEmitter()
  const onPing = () => {
    seen.bound = current()
  }
  const onOnce = () => {
    seen.once = current()
  }
  const removed = () => {
    seen.removed = current()
  }
  await traced('listener-owner', {}, async () => {
    namespace.bindEmitter(bound)
    bound.on('ping', onPing)
    bound.once('ping', onOnce)
    bound.on('ping', removed)
    sharedEmitter.on('ping', () => {
      seen.unbound = current()
    })
  })
  // Removal and listeners() still work with the functions that were added.
  bound.removeListener('ping', removed)
  seen.listenersAreOriginals = bound.listeners('ping').every((l) => l === onPing || l === onOnce)
  await traced('emitter-side', {}, async () => {
    bound.emit('ping')
    bound.emit('ping')
    sharedEmitter.emit('ping')
  })
  sharedEmitter.removeAllListeners()
  seen.remainingListeners = bound.listenerCount('ping')
  return seen
}

async function stream(): Promise<unknown> {
  return traced('stream', {}, async () => {
    const seen: string[] = []
    await pipeline(
      Readable.from(['a', 'b', 'c']),
      new Transform({
        objectMode: true,
        transform(chunk: string, _encoding, callback) {
          // Each chunk is a subsegment of its own, opened from the stream's callbacks.
          traced(`chunk ${chunk}`, {}, async () => {
            await sleep(1)
            seen.push(current())
          }).then(() => callback(null, chunk), callback)
        },
      }),
      async function* sink(source: AsyncIterable<string>) {
        for await (const chunk of source) seen.push(`sink ${chunk}: ${current()}`)
      },
    )
    return seen
  })
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}

/** Resolved when the next `whoami` invocation starts. */
let nextInvocation = signal()

/** What the context holds before and inside the handler subsegment of this invocation. */
async function whoami(before: { name: string; traceId?: string }): Promise<unknown> {
  const started = currentTraceId()
  // Release the straggler the previous invocation left, then leave one: work that outlives this
  // invocation and runs while the next one does, in the context it was started in (sampled or
  // not).
  const previous = nextInvocation
  nextInvocation = signal()
  previous.resolve()
  void nextInvocation.promise.then(() =>
    traced(`straggler of ${started}`, {}, async () => {
      logger.info(`straggler of ${started}`)
      await sleep(1)
    }),
  )
  return { before, inside: current(), insideTraceId: started }
}

/**
 * Two steps, each a subsegment, that take the given times: invocations run at once interleave
 * their steps. Returns the trace id seen in each step.
 */
async function overlap(delays: [number, number]): Promise<unknown> {
  const seen: (string | undefined)[] = []
  for (const [index, ms] of delays.entries()) {
    await traced(`step ${index}`, {}, async () => {
      await sleep(ms)
      seen.push(currentTraceId())
    })
  }
  return seen
}

const scenarios = { 'promise-all': promiseAll, timers, emitter, stream } as const

// withTracing takes API Gateway events; a scenario event has none of their fields, which the
// wrapper reads defensively.
const traceHandler = withTracing<APIGatewayProxyEvent, unknown>(
  { service: 'context' },
  async (event) => {
    const { scenario, delays } = event as unknown as ScenarioEvent
    if (scenario === 'whoami') return { statusCode: 200, seen: await whoami(beforeHandler) }
    if (scenario === 'overlap') return { statusCode: 200, seen: await overlap(delays!) }
    return { statusCode: 200, seen: await scenarios[scenario]() }
  },
)

let beforeHandler: { name: string; traceId?: string } = { name: 'none' }

export const handler = async (event: ScenarioEvent, context: Context): Promise<unknown> => {
  // Before the wrapper opens its subsegment: the facade, refreshed for this invocation.
  beforeHandler = {
    name: current(),
    traceId: (AWSXRay.getSegment() as { trace_id?: string } | undefined)?.trace_id,
  }
  return traceHandler(event as unknown as APIGatewayProxyEvent, context)
}
