import diagnostics_channel from 'node:diagnostics_channel'
import { currentTraceHeader } from './trace-id'
import {
  currentSegment,
  isRecording,
  openRemoteSubsegment,
  recordFault,
  type SegmentLike,
  type Subsegment,
} from './sdk'

/**
 * The command's subsegment rides on the channel's message object, under a symbol node-redis never
 * reads (a WeakMap would cost every garbage collection two weak entries per command).
 */
const SUBSEGMENT = Symbol('subsegment')

interface CommandMessage {
  command?: string
  args?: readonly string[]
  result?: unknown
  error?: unknown
  [SUBSEGMENT]?: Subsegment
}

function startCommand(message: CommandMessage): void {
  const subsegment = openRemoteSubsegment(serviceMapName)
  if (!subsegment) return
  message[SUBSEGMENT] = subsegment
  const command = (message.command ?? String(message.args?.[0] ?? '')).toUpperCase()
  subsegment.addMetadata('command', command)
  const key = message.args?.[1]
  // node-redis replaces arguments it considers values with '?'.
  if (key !== undefined && key !== '?') subsegment.addMetadata('key', key)
}

function endCommand(message: CommandMessage): void {
  const subsegment = message[SUBSEGMENT]
  if (!subsegment) return
  message[SUBSEGMENT] = undefined
  if (message.error !== undefined) {
    const command = message.command ?? String(message.args?.[0] ?? '')
    recordFault(subsegment, abandonReason ?? describeRedisError(message.error, command))
  } else if ((message.command ?? '').toUpperCase() === 'GET') {
    subsegment.addMetadata('hit', message.result !== null && message.result !== undefined)
  }
  subsegment.close()
}

interface ConnectMessage {
  error?: unknown
  [ATTEMPT]?: { parent: SegmentLike; startTime: number }
}
const ATTEMPT = Symbol('attempt')
const IN_LAMBDA = Boolean(process.env.LAMBDA_TASK_ROOT)

/** Why the commands the client is failing now were abandoned (see {@link abandonConnection}). */
let abandonReason: Error | undefined

/**
 * Closes `client`'s connection because of `reason`, and records `reason` as the exception of the
 * commands that fail with it. node-redis times a command out only while it waits to be written:
 * once sent, a command whose reply never comes (a stalled server) waits forever. The caller
 * races its own timer and then abandons the connection, whose replies can no longer be matched
 * to their commands; node-redis rejects the pending commands with "Disconnects client", which
 * says nothing of the timeout.
 *
 * @example
 * ```ts
 * abandonConnection(client, new Error('Redis GET timed out: no reply within 2000 ms'))
 * ```
 */
export function abandonConnection(client: { destroy(): void }, reason: Error): void {
  abandonReason = reason
  try {
    client.destroy()
  } finally {
    // The pending commands reject in the microtasks that follow; then the reason is forgotten.
    setImmediate(() => {
      abandonReason = undefined
    })
  }
}

function startConnect(message: ConnectMessage): void {
  // At init (the connection made at load) there is no trace: asking for one would log a warning.
  if (IN_LAMBDA && currentTraceHeader() === undefined) return
  const parent = currentSegment()
  if (parent && isRecording(parent)) message[ATTEMPT] = { parent, startTime: Date.now() / 1000 }
}

/**
 * A connection attempt that fails inside a traced request is a remote subsegment with its fault:
 * the failing node on the service map. A successful one adds nothing (the commands that follow
 * are the node's subsegments).
 */
function failedConnect(message: ConnectMessage): void {
  const attempt = message[ATTEMPT]
  message[ATTEMPT] = undefined
  if (!attempt || (attempt.parent as { end_time?: number }).end_time !== undefined) return
  const subsegment = attempt.parent.addNewSubsegment(serviceMapName)
  subsegment.addAttribute('namespace', 'remote')
  ;(subsegment as unknown as { start_time: number }).start_time = attempt.startTime
  subsegment.addMetadata('command', 'CONNECT')
  recordFault(subsegment, abandonReason ?? describeRedisError(message.error, 'CONNECT'))
  subsegment.close()
}

/**
 * An error of node-redis that says what happened. Its command timeout is an `Error` subclass
 * (`TimeoutError`) with an empty message, which would be recorded and logged as `""`; it becomes
 * `Redis GET timed out (TimeoutError)`, with the original's stack. Any other error is returned
 * as it is.
 *
 * @example
 * ```ts
 * redis.get(key).catch((error) => { throw describeRedisError(error, 'GET') })
 * ```
 */
export function describeRedisError(error: unknown, command?: unknown): unknown {
  if (!(error instanceof Error) || error.message !== '') return error
  const kind = error.constructor?.name ?? error.name
  const what =
    typeof command === 'string' && command !== '' ? `Redis ${command.toUpperCase()}` : 'Redis'
  const described = new Error(
    kind === 'TimeoutError'
      ? `${what} timed out: no reply within the command timeout (${kind})`
      : `${what} failed (${kind}, no message)`,
    { cause: error },
  )
  described.name = kind === 'Error' ? 'Error' : kind
  described.stack = `${described.name}: ${described.message}\n${(error.stack ?? '').split('\n').slice(1).join('\n')}`
  return described
}

/** The node name of the first captured client; node-redis publishes every client's commands on one channel. */
let serviceMapName = 'Redis'
let subscribed = false

/**
 * Traces every command of node-redis (v6) clients as a remote subsegment named `name` (the Redis
 * node on the service map), with metadata `command`, `key` and, for GET, `hit`. Values are never
 * recorded: the channel hands over node-redis's sanitized arguments, and only the key is kept.
 * node-redis publishes the commands of all its clients on one tracing channel, so the first call
 * subscribes once for the process; later calls only return their client. Returns `client`.
 *
 * @example
 * ```ts
 * export const redis = captureRedis(createClient({ url: process.env.REDIS_URL }))
 * ```
 */
export function captureRedis<C>(client: C, name = 'Redis'): C {
  if (subscribed) return client
  subscribed = true
  serviceMapName = name
  diagnostics_channel.tracingChannel<unknown, CommandMessage>('node-redis:command').subscribe({
    start: startCommand,
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: endCommand,
    // A synchronous throw publishes `error` then `end`, never `asyncEnd`: close here too.
    error: (message) => {
      endCommand(message)
    },
  })
  diagnostics_channel.tracingChannel<unknown, ConnectMessage>('node-redis:connect').subscribe({
    start: startConnect,
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: () => undefined,
    // A rejected connect publishes `error` (then `asyncEnd`); only failures are recorded.
    error: failedConnect,
  })
  return client
}
