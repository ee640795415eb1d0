import { createClient } from 'redis'
import { SERVICE_MAP_NAMES } from '../app-config'
import { abandonConnection, captureRedis, describeRedisError } from '../tracing/capture-redis'
import { logger } from '../tracing/logger'

/** Milliseconds from an environment variable, or the default when it is unset or not a number. */
function milliseconds(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

const CONNECT_TIMEOUT_MS = milliseconds('REDIS_CONNECT_TIMEOUT_MS', 2_000)
const COMMAND_TIMEOUT_MS = milliseconds('REDIS_COMMAND_TIMEOUT_MS', 2_000)

/**
 * The connection, with bounded waits everywhere: a connection attempt gives up after
 * `REDIS_CONNECT_TIMEOUT_MS` (default 2 s), a command after `REDIS_COMMAND_TIMEOUT_MS` (default
 * 2 s, from the call to the reply, see {@link within}; node-redis's own command timeout is not
 * set: it covers only the wait to be written, and costs an `AbortSignal.timeout` per command),
 * and a command issued while disconnected fails at once instead of queueing. node-redis's own reconnection loop is off (`reconnectStrategy: false`): in Lambda it would keep retrying a
 * dead server in the background, and a frozen environment cannot run it anyway. Instead the next
 * command that needs the connection makes one attempt (see {@link redis}).
 */
const client = captureRedis(
  createClient({
    url: process.env.REDIS_URL,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: false,
    },
  }),
  SERVICE_MAP_NAMES.redis,
)
// Without a listener a connection error would crash the process; the failing commands report it.
client.on('error', (error: unknown) =>
  logger.warn('Redis connection error', describeRedisError(error)),
)

let connecting: Promise<void> | undefined

/**
 * One connection attempt at a time, resolved when the client is ready. The socket's connect
 * timeout covers only the TCP handshake; a server that accepts and then says nothing would hold
 * node-redis's own handshake forever, so the whole attempt is bounded here.
 */
function connected(): Promise<void> {
  if (client.isReady) return Promise.resolve()
  connecting ??= within(
    client.connect(),
    CONNECT_TIMEOUT_MS,
    () => `Redis connection not ready within ${CONNECT_TIMEOUT_MS} ms`,
    'CONNECT',
  ).then(
    () => {
      connecting = undefined
    },
    (error: unknown) => {
      connecting = undefined
      throw error
    },
  )
  return connecting
}

/**
 * `work`'s value, or its failure described for `command` (see `describeRedisError`), or after
 * `ms` a `RedisTimeoutError`: then the connection is abandoned (a late reply could not be matched
 * to its command) and the next command connects again. One promise and one timer per call: this
 * runs on every command of every invocation, traced or not.
 */
function within<T>(
  work: Promise<T>,
  ms: number,
  message: () => string,
  command: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut: Error | undefined
    const timer = setTimeout(() => {
      const error = new Error(message())
      error.name = 'RedisTimeoutError'
      timedOut = error
      abandonConnection(client, error)
      // The abandoned work settles at once (below), which lets its failure be traced inside the
      // caller's subsegment, still open, before the caller sees the timeout; in case it does not,
      // the timeout is the answer shortly after.
      setTimeout(() => reject(error), 50).unref()
    }, ms)
    work.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        // The abandoned work fails with node-redis's "Disconnects client": the timeout is the news.
        reject(describeRedisError(timedOut ?? error, command))
      },
    )
  })
}

type Client = typeof client

/** The proxy's methods, made once per method (see {@link clientMethod}). */
const methods = new Map<PropertyKey, { of: unknown; method: unknown }>()

/**
 * The Redis client, with every command a remote subsegment named like the Redis node on the
 * service map (capture-redis.ts); a failed connection attempt is one too. It connects at init,
 * within the connect timeout: when Redis is down then, init goes on (routes that never use Redis
 * work) and each later command first tries to connect again, so the first request after Redis
 * is back is served. A failed command rejects with an error that says what happened (node-redis's
 * timeout has no message of its own).
 */
export const redis: Client = new Proxy(client, {
  get(target, property) {
    const value = Reflect.get(target, property, target) as unknown
    if (typeof value !== 'function') return value
    const known = methods.get(property)
    if (known?.of === value) return known.method
    const method = clientMethod(target, property, value as (...args: unknown[]) => unknown)
    methods.set(property, { of: value, method })
    return method
  },
})

/**
 * `value`, a method of the client, as the proxy hands it out: bound to the client (node-redis
 * methods read private fields of `this`), and for a command, timed and connected first when the
 * client is not ready.
 */
function clientMethod(
  target: Client,
  property: PropertyKey,
  value: (...args: unknown[]) => unknown,
): unknown {
  if (typeof property !== 'string' || !isCommand(property)) return value.bind(target)
  const command = value as (...args: unknown[]) => Promise<unknown>
  const timeoutMessage = () =>
    `Redis ${property.toUpperCase()} timed out: no reply within ${COMMAND_TIMEOUT_MS} ms`
  return (...args: unknown[]) => {
    const run = () =>
      within(command.apply(target, args), COMMAND_TIMEOUT_MS, timeoutMessage, property)
    return target.isReady ? run() : connected().then(run)
  }
}

/** Methods that are not commands: they run as they are, connected or not. */
const NOT_COMMANDS = new Set([
  'connect',
  'close',
  'destroy',
  'quit',
  'disconnect',
  'duplicate',
  'multi',
  'MULTI',
  'on',
  'once',
  'off',
  'addListener',
  'removeListener',
  'removeAllListeners',
  'emit',
  'listeners',
  'withCommandOptions',
  'withTypeMapping',
  'withAbortSignal',
  'asap',
  'ref',
  'unref',
  'scanIterator',
  'hScanIterator',
  'sScanIterator',
  'zScanIterator',
])

function isCommand(property: string): boolean {
  return !NOT_COMMANDS.has(property) && !property.startsWith('_')
}

// Bounded: a Redis that is down or silent at cold start costs at most the connect timeout.
await connected().catch((error: unknown) =>
  logger.warn('Redis unavailable at init; the next command will try again', error),
)
