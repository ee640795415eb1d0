import diagnostics_channel from 'node:diagnostics_channel'
import { openRemoteSubsegment, recordFault, type Subsegment } from './sdk'

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
  if (message.error !== undefined) recordFault(subsegment, message.error)
  else if ((message.command ?? '').toUpperCase() === 'GET') {
    subsegment.addMetadata('hit', message.result !== null && message.result !== undefined)
  }
  subsegment.close()
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
  return client
}
