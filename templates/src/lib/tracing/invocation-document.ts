import AWSXRay from 'aws-xray-sdk-core'
import { daemonDatagram, MAX_DATAGRAM_BYTES, sendDatagram } from './daemon-socket'
import { logger } from './logger'

/**
 * When documents are sent in Lambda. The SDK's Lambda mode streams every subsegment as its own
 * document the moment it closes (streaming threshold 0): nine subsegments, nine serializations
 * and nine datagrams per invocation. Here a subsegment directly under the facade (the handler's
 * `## <function>` subsegment) is sent when it closes, as ONE document holding its whole tree.
 *
 * - A tree larger than a datagram can carry falls back to streaming: its children are sent as
 *   documents of their own (each the same way), then the subsegment without them.
 * - Subsegments still open when their tree is sent (fire-and-forget work) are taken out of it and
 *   sent as their own documents when they close; so are subsegments opened later under a
 *   subsegment already sent. Their `parent_id` ties them into the trace.
 * - Nothing is sent for an unsampled trace.
 */

/** The parts of an SDK (sub)segment this module reads and writes. */
interface Entity {
  id: string
  parent?: Entity
  segment?: { trace_id?: string; notTraced?: boolean }
  subsegments?: Entity[]
  notTraced?: boolean
  facade?: boolean
  [SENT]?: true
  isClosed(): boolean
  format(): string
  removeSubsegment(subsegment: Entity): void
}

/**
 * Marks a subsegment sent (inside some document): what closes under it is sent on its own. A
 * symbol key, which JSON.stringify skips, rather than a WeakSet: nine weak entries per invocation
 * are work for every garbage collection.
 */
const SENT = Symbol('sent')

let installed = false

/**
 * Makes the SDK send each invocation's subsegments as one document (see above). Only in Lambda
 * mode, where the SDK would otherwise stream; elsewhere the segment sends its own tree. Idempotent.
 *
 * @example
 * ```ts
 * sendInvocationDocuments()
 * ```
 */
export function sendInvocationDocuments(): void {
  if (installed || !process.env.LAMBDA_TASK_ROOT) return
  installed = true
  // The SDK streams when the segment's open-subsegment counter exceeds the threshold; the facade's
  // counter stays at 1, so any threshold above it turns the SDK's own streaming off.
  AWSXRay.SegmentUtils.setStreamingThreshold(Number.MAX_SAFE_INTEGER)
  const prototype = AWSXRay.Subsegment.prototype as unknown as {
    close(this: ClosingEntity, error?: unknown, remote?: boolean): void
  }
  prototype.close = function closeAndSend(this: ClosingEntity, error?: unknown, remote?: boolean) {
    closeSubsegment(this, error, remote)
    afterClose(this)
  }
}

/** What the SDK's `Subsegment.close` reads and writes. */
export interface ClosingEntity extends Entity {
  end_time?: number
  in_progress?: boolean
  parent?: ClosingEntity
  segment?: Entity['segment'] & { counter?: number }
  addError(error: unknown, remote?: boolean): void
  decrementCounter(): void
  streamSubsegments(): boolean | undefined
}

/**
 * The SDK's `Subsegment.close`, step for step, except that `in_progress` becomes undefined instead
 * of being deleted: a `delete` turns the object into a slow dictionary-mode one for the rest of
 * its life (every later read, and its serialization). Every reader sees the same (`isClosed()` is
 * true), and JSON leaves an undefined value out as it leaves a missing key out.
 *
 * @example
 * ```ts
 * closeSubsegment(subsegment as unknown as ClosingEntity)
 * ```
 */
export function closeSubsegment(
  subsegment: ClosingEntity,
  error?: unknown,
  remote?: boolean,
): void {
  const root = subsegment.segment
  subsegment.end_time = AWSXRay.SegmentUtils.getCurrentTime()
  subsegment.in_progress = undefined
  if (error) subsegment.addError(error, remote)
  if (subsegment.parent) subsegment.parent.decrementCounter()
  if (root && (root.counter ?? 0) > AWSXRay.SegmentUtils.getStreamingThreshold()) {
    if (subsegment.streamSubsegments() && subsegment.parent) {
      subsegment.parent.removeSubsegment(subsegment)
    }
  }
}

/**
 * Sends `subsegment`, just closed, with its tree when it is directly under the facade (or under a
 * subsegment already sent); anything else is sent with the tree it belongs to.
 *
 * @example
 * ```ts
 * afterClose(subsegment)
 * ```
 */
export function afterClose(subsegment: Entity): void {
  const parent = subsegment.parent
  if (!parent || !(parent.facade === true || parent[SENT] === true)) return
  // Out of the parent's tree once closed: the facade keeps nothing between invocations, and a
  // parent already sent has no document left to carry it.
  parent.removeSubsegment(subsegment)
  if (!subsegment.segment?.trace_id || subsegment.segment.notTraced || subsegment.notTraced) return
  try {
    detachOpen(subsegment)
    send(subsegment)
  } catch (error) {
    logger.error('X-Ray document not sent', error)
  }
}

/** Takes the still-open subsegments out of `entity`'s tree and marks the rest as sent. */
function detachOpen(entity: Entity): void {
  entity[SENT] = true
  if (!entity.subsegments) return
  const closed: Entity[] = []
  for (const child of entity.subsegments) {
    if (child.isClosed()) {
      detachOpen(child)
      closed.push(child)
    }
  }
  // None left: no key rather than an empty array, which would have to be left out of the JSON.
  entity.subsegments = closed.length > 0 ? closed : undefined
}

function send(entity: Entity): void {
  const datagram = daemonDatagram(entity.format())
  if (datagram.length <= MAX_DATAGRAM_BYTES) return sendDatagram(datagram)
  const children = entity.subsegments ?? []
  if (children.length === 0) {
    logger.error(`X-Ray document too large to send (${datagram.length} bytes)`, {
      subsegmentId: entity.id,
    })
    return
  }
  // format() sets each child's trace_id, parent_id and type: valid documents of their own.
  for (const child of children) send(child)
  entity.subsegments = undefined
  send(entity)
}
