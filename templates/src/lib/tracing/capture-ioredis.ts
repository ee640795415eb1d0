import { openRemoteSubsegment, recordFault, type Subsegment } from './sdk'

/** What the capture reads of an ioredis `Command`. */
interface CommandLike {
  name: string
  promise: Promise<unknown>
  getKeys?: () => readonly unknown[]
  [TRACED]?: true
}

type SendCommand = (command: CommandLike, ...rest: unknown[]) => unknown

/** Marks a client whose `sendCommand` is wrapped, and a command already traced. */
const CAPTURED = Symbol.for('xray-scaffold.tracing.ioredis-captured')
const TRACED = Symbol('traced')

/**
 * Traces every command of an ioredis client (`Redis` or `Cluster`) as a remote subsegment named
 * `name` (the Redis node on the service map), with metadata `command` (upper case), `key` (the
 * command's first key, as ioredis computes it for cluster slots, key prefix included) and, for
 * GET, `hit`. Values and other arguments are never recorded. A command that fails (WRONGTYPE, a
 * closed connection, a timeout) is a fault with its exception.
 *
 * ioredis 5 publishes no diagnostics channel (ioredis 6 adds `ioredis:command`), so the capture
 * wraps `sendCommand` on this instance only: other clients, and the AWS SDK's own sockets, are
 * untouched. ioredis sends a command again when it flushes its offline queue or reconnects; it
 * is traced once, from its first send to its answer. Capturing twice changes nothing.
 *
 * @example
 * ```ts
 * export const redis = captureIoredis(new Redis(process.env.REDIS_URL!))
 * ```
 */
export function captureIoredis<C>(client: C, name = 'Redis'): C {
  const target = client as unknown as { sendCommand?: SendCommand; [CAPTURED]?: true }
  if (typeof target.sendCommand !== 'function' || target[CAPTURED]) return client
  target[CAPTURED] = true
  const sendCommand = target.sendCommand
  target.sendCommand = function capturedSendCommand(command, ...rest) {
    if (command[TRACED]) return sendCommand.call(this, command, ...rest)
    const subsegment = openRemoteSubsegment(name)
    if (!subsegment) return sendCommand.call(this, command, ...rest)
    command[TRACED] = true
    const commandName = command.name.toUpperCase()
    subsegment.addMetadata('command', commandName)
    const key = firstKey(command)
    if (key !== undefined) subsegment.addMetadata('key', key)
    command.promise.then(
      (value) => {
        if (commandName === 'GET')
          subsegment.addMetadata('hit', value !== null && value !== undefined)
        subsegment.close()
      },
      (error: unknown) => finishWithFault(subsegment, error),
    )
    try {
      return sendCommand.call(this, command, ...rest)
    } catch (error) {
      // ioredis rejects rather than throws; should that change, the subsegment still closes.
      finishWithFault(subsegment, error)
      throw error
    }
  }
  return client
}

function finishWithFault(subsegment: Subsegment, error: unknown): void {
  // Closed already when a synchronous throw follows a rejection of the same command.
  if (subsegment.isClosed()) return
  recordFault(subsegment, error)
  subsegment.close()
}

function firstKey(command: CommandLike): string | undefined {
  try {
    const key = command.getKeys?.()[0]
    if (typeof key === 'string') return key
    return Buffer.isBuffer(key) ? key.toString('utf8') : undefined
  } catch {
    // A command ioredis has no key table for: no key to record.
    return undefined
  }
}
