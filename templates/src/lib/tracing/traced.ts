import { currentSegment, isRecording, runInSubsegment } from './sdk'
import { applySpanOptions, NOOP_SPAN, spanOf, type Span, type SpanOptions } from './span'

/**
 * Runs `fn` in a local subsegment named `name` under the current one: the descriptive business
 * subsegment ("Database Query - Get MOC") around the dependency calls `fn` makes, whose own
 * remote subsegments nest under it.
 *
 * - `options.annotations` (undefined values skipped, keys validated) and `options.metadata` are
 *   recorded on it; `fn` receives a `Span` to add more.
 * - When `fn` returns (or resolves to) an array, its length is recorded as `rowCount` metadata.
 * - A throw or rejection is recorded (fault, exception with stack) and rethrown unchanged.
 * - The subsegment is always closed, and the caller's context is left as it was.
 * - Without a trace context, or on an unsampled trace, `fn` just runs: tracing never throws.
 *
 * @example
 * ```ts
 * const rows = await traced(
 *   'Database Query - Get MOC',
 *   { annotations: { operation: 'SELECT', table: 'moc_instructions', mocId } },
 *   () => db.select().from(mocInstructions).where(eq(mocInstructions.id, mocId)),
 * )
 * ```
 */
export function traced<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span) => T | PromiseLike<T>,
): Promise<T> {
  // Not an async function: on an unsampled trace the only work is the check and the call, without
  // a promise and an await of its own around `fn`'s.
  try {
    const parent = currentSegment()
    if (!parent || !isRecording(parent)) return asPromise(fn(NOOP_SPAN))
    const subsegment = parent.addNewSubsegment(name)
    const span = spanOf(subsegment)
    return runInSubsegment(subsegment, async () => {
      applySpanOptions(span, options)
      const result = await fn(span)
      if (Array.isArray(result)) subsegment.addMetadata('rowCount', result.length)
      return result
    })
  } catch (error) {
    // A synchronous throw rejects, as it would from an async function.
    return Promise.reject(error)
  }
}

/**
 * `value` as a promise: a promise as it is, anything else through `Promise.resolve`, which calls a
 * thenable's `then` (a Drizzle query builder runs its query then), as `await` would.
 */
function asPromise<T>(value: T | PromiseLike<T>): Promise<T> {
  return value instanceof Promise ? value : Promise.resolve(value)
}
