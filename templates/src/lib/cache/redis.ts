import { createClient } from 'redis'
import diagnostics_channel from 'node:diagnostics_channel'
import { logger } from '../tracing/logger'
import { openRemoteSubsegment, recordFault, type Subsegment } from '../tracing/sdk'
import { SERVICE_MAP_NAMES } from '../app-config'

/**
 * node-redis with every command traced. Redis has no official X-Ray capture; node-redis v6
 * publishes each command on the `node-redis:command` tracing channel (start, then asyncEnd or
 * error), which covers every command method and `sendCommand` without wrapping them one by one.
 * Each command becomes a remote subsegment named like the Redis node on the service map, with
 * metadata `command`, `key` and, for GET, `hit`. Values are never recorded: the channel hands
 * over node-redis's sanitized arguments, and only the first one (the key) is kept.
 */

const SERVICE_MAP_NAME = SERVICE_MAP_NAMES.redis

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
  const subsegment = openRemoteSubsegment(SERVICE_MAP_NAME)
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

/** The Redis client, connected once per execution environment (outside the handler). */
export const redis = createClient({ url: process.env.REDIS_URL })
// Without a listener a connection error would crash the process; the failing commands report it.
redis.on('error', (error: unknown) => logger.error('Redis client error', error))
await redis.connect()
