// The child side of lambda-process.ts: loads one bundled handler and runs the invocations the
// parent sends over IPC, one at a time, as the Lambda runtime does. Plain JavaScript, so any
// Node binary (the nodejs24.x one included) runs it without a TypeScript loader.
//
// argv: <bundle path> <export name>
// With AWS_LAMBDA_MAX_CONCURRENCY set (Lambda's multi-concurrency mode), invocations overlap and
// each one's trace header and request id live in the runtime's InvokeStore, not the environment.
// parent -> child: { type: 'invoke', id, event, traceHeader, requestId, deadlineMs }
//                  { type: 'gc', id, young? } (a full collection, or with young: true a young one;
//                  with --expose-gc; answered as a result)
//                  { type: 'heap', id } (bytes in use on the V8 heap and collections so far,
//                  answered as a result: { usedBytes, collections })
// child -> parent: { type: 'ready', initMs, uptimeMs, nodeVersion, logs }
//                  { type: 'init-error', error, logs }
//                  { type: 'result', id, result, durationMs, logs }
//                  { type: 'error', id, error, durationMs, logs }
import { performance, PerformanceObserver } from 'node:perf_hooks'
import { getHeapStatistics } from 'node:v8'
import { pathToFileURL } from 'node:url'

const [bundle, exportName = 'handler'] = process.argv.slice(2)

// Every write goes to the invocation in progress (or to the init phase), and on to the real
// stream, which the parent keeps the tail of to report a crash.
let current = []
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream)
  stream.write = (chunk, ...rest) => {
    current.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return write(chunk, ...rest)
  }
}

function takeLines() {
  const text = current.join('')
  current = []
  return text.split('\n').filter((line) => line.length > 0)
}

function describe(error) {
  if (error instanceof Error)
    return { name: error.name, message: error.message, stack: error.stack }
  return { name: 'NonError', message: String(error) }
}

function send(message) {
  process.send(message)
}

function lambdaContext(requestId, deadlineMs) {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function'
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '1024',
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${functionName}`,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '2026/01/01/[$LATEST]local',
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}

// The runtime creates its InvokeStore before it loads the function (the package picks the
// AsyncLocalStorage-backed store when AWS_LAMBDA_MAX_CONCURRENCY is set).
const { InvokeStore, InvokeStoreBase } = process.env.AWS_LAMBDA_MAX_CONCURRENCY
  ? await import('@aws/lambda-invoke-store')
  : {}
const invokeStore = await InvokeStore?.getInstanceAsync()

let handler
try {
  const start = performance.now()
  const module = await import(pathToFileURL(bundle).href)
  const initMs = performance.now() - start
  handler = module[exportName]
  if (typeof handler !== 'function') throw new Error(`${bundle} exports no function ${exportName}`)
  send({
    type: 'ready',
    initMs,
    uptimeMs: performance.now(),
    nodeVersion: process.version,
    logs: takeLines(),
  })
} catch (error) {
  send({ type: 'init-error', error: describe(error), logs: takeLines() })
  process.exitCode = 1
  process.disconnect()
}

process.on('message', async (message) => {
  if (message?.type === 'gc') {
    // A young collection empties the young generation and leaves everything else as it is. The
    // full one, last-resort flavour, also finishes sweeping, which a plain gc() leaves to be done
    // bit by bit in the code that runs next; it discards much of the JIT's work too, which the
    // following invocations redo.
    globalThis.gc?.(
      message.young
        ? { type: 'minor', execution: 'sync' }
        : { type: 'major', execution: 'sync', flavor: 'last-resort' },
    )
    send({ type: 'result', id: message.id, result: typeof globalThis.gc === 'function', logs: [] })
    return
  }
  if (message?.type === 'heap') {
    send({ type: 'result', id: message.id, result: heapState(), logs: [] })
    return
  }
  if (message?.type !== 'invoke') return
  const { id, event, traceHeader, requestId, deadlineMs } = message
  takeLines()
  const start = performance.now()
  try {
    const result = await runInvocation(traceHeader, requestId, () =>
      handler(event, lambdaContext(requestId, deadlineMs)),
    )
    const durationMs = performance.now() - start
    send({ type: 'result', id, result, durationMs, logs: takeLines() })
  } catch (error) {
    const durationMs = performance.now() - start
    send({ type: 'error', id, error: describe(error), durationMs, logs: takeLines() })
  }
})

function runInvocation(traceHeader, requestId, fn) {
  if (!invokeStore) {
    // Set before the handler runs, as the runtime does; left set until the next invocation.
    process.env._X_AMZN_TRACE_ID = traceHeader
    return fn()
  }
  const keys = InvokeStoreBase.PROTECTED_KEYS
  return invokeStore.run({ [keys.REQUEST_ID]: requestId, [keys.X_RAY_TRACE_ID]: traceHeader }, fn)
}

// Collections are counted from the first heap query on (an observer costs nothing until then).
let collections
function heapState() {
  if (collections === undefined) {
    collections = 0
    new PerformanceObserver((list) => {
      collections += list.getEntries().length
    }).observe({ entryTypes: ['gc'] })
  }
  // Read before anything else this message does allocates.
  const usedBytes = getHeapStatistics().used_heap_size
  return { usedBytes, collections }
}
