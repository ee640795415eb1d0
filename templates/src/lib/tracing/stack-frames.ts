import { fileURLToPath } from 'node:url'

/**
 * Stack frames as the segment-document schema wants them: `{ path, line, label }` with a string
 * path and an integer line. aws-xray-sdk-core splits each stack line on `:`, which breaks on the
 * frames of an ESM bundle (`file:///var/task/index.mjs:35:7002` gives the path `file` and the
 * line `null`) and on Node's own (`node:internal/...`); the X-Ray service rejects such a
 * document. Here V8's frame format is parsed from the end of the line, file URLs become paths,
 * frames without a location (`native`, `Promise.all (index 0)`) are left out, and at most
 * {@link MAX_FRAMES} frames are kept. With `--enable-source-maps` (which the function's
 * `NODE_OPTIONS` sets, and the bundle's `sourceMappingURL` comment makes work) V8 already writes
 * the TypeScript source file and line into each frame.
 */

/** One frame of `cause.exceptions[].stack`. */
export interface StackFrame {
  path: string
  line: number
  label: string
}

/** Most frames kept for a document or a log line: enough to reach the handler, bounded in size. */
export const MAX_FRAMES = 15

/** `<label> (<location>)`, where the location itself may hold parentheses (eval frames). */
const LABELLED = /^(.*?) \((.*)\)$/
/** `<path>:<line>:<column>` or `<path>:<line>`. */
const LOCATION = /^(.*?):(\d+)(?::\d+)?$/

/**
 * Parses one V8 stack line (`    at label (location)`); `undefined` for a line that is not a
 * frame or has no file location.
 *
 * @example
 * ```ts
 * parseFrame('    at listItems (file:///var/task/src/functions/wishlist.ts:61:5)')
 * // { path: '/var/task/src/functions/wishlist.ts', line: 61, label: 'listItems' }
 * ```
 */
export function parseFrame(text: string): StackFrame | undefined {
  const match = /^\s*at (.*)$/.exec(text)
  if (!match) return undefined
  const body = match[1]!.trim()
  const labelled = LABELLED.exec(body)
  const label = labelled ? labelled[1]! : 'anonymous'
  let location = labelled ? labelled[2]! : body
  // `eval at f (file:1:2), <anonymous>:1:1`: the outer location is the one that names a file.
  const evalAt = /^eval at .*? \((.*?)\)/.exec(location)
  if (evalAt) location = evalAt[1]!
  const parts = LOCATION.exec(location)
  if (!parts) return undefined
  const path = toPath(parts[1]!)
  if (path === '' || path === '<anonymous>' || path === 'native') return undefined
  return { path, line: Number(parts[2]), label: label === '' ? 'anonymous' : label }
}

/**
 * The frames of `error.stack`, at most {@link MAX_FRAMES}; empty for a value without a stack.
 *
 * @example
 * ```ts
 * exception.stack = stackFrames(error)
 * ```
 */
export function stackFrames(error: unknown): StackFrame[] {
  const stack = (error as { stack?: unknown } | null)?.stack
  if (typeof stack !== 'string') return []
  const frames: StackFrame[] = []
  for (const line of stack.split('\n')) {
    const frame = parseFrame(line)
    if (frame) frames.push(frame)
    if (frames.length === MAX_FRAMES) break
  }
  return frames
}

/**
 * `stack` with at most {@link MAX_FRAMES} frame lines after its message, for a log line.
 *
 * @example
 * ```ts
 * logger.error('failed', { stack: boundedStack(error.stack) })
 * ```
 */
export function boundedStack(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined
  const lines = stack.split('\n')
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line))
  if (firstFrame < 0 || lines.length - firstFrame <= MAX_FRAMES) return stack
  const kept = lines.slice(0, firstFrame + MAX_FRAMES)
  kept.push(`    ... ${lines.length - firstFrame - MAX_FRAMES} more frames`)
  return kept.join('\n')
}

interface RecordedException {
  message?: unknown
  type?: unknown
  stack?: unknown
}

/**
 * Rewrites the exception the SDK just recorded on `entity` for `error` (its newest one): the
 * frames parsed here instead of by the SDK, and a message that is never empty (node-redis's
 * command timeout, for one, is an `Error` without a message). Does nothing when the SDK recorded
 * only a reference to an exception already recorded below.
 *
 * @example
 * ```ts
 * subsegment.addError(error)
 * completeRecordedException(subsegment, error)
 * ```
 */
export function completeRecordedException(entity: object, error: unknown): void {
  const exception = (entity as { cause?: { exceptions?: RecordedException[] } }).cause
    ?.exceptions?.[0]
  if (!exception) return
  exception.stack = stackFrames(error)
  if (exception.message === '' || exception.message === undefined) {
    const kind = (error as { constructor?: { name?: string } } | null)?.constructor?.name
    exception.message = `${kind && kind !== 'Error' ? kind : String(exception.type || 'Error')} (no message)`
  }
}

function toPath(location: string): string {
  if (!location.startsWith('file://')) return location
  try {
    return fileURLToPath(location)
  } catch {
    return location
  }
}
