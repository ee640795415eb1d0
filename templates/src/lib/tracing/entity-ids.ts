import AWSXRay from 'aws-xray-sdk-core'
import TraceID from 'aws-xray-sdk-core/dist/lib/segments/attributes/trace_id'
import { randomHex } from './random-hex'

/**
 * Ids of the SDK's entities from the runtime's random pool (random-hex.ts) instead of a
 * `crypto.randomBytes` system call each: every subsegment's id, and the random part of the trace
 * id the SDK builds (and throws away) each time Lambda mode reads a new trace header. The ids
 * are as random and as long as the SDK's (16 hexadecimal characters); nothing else changes.
 */

interface SubsegmentFields {
  id: string
  name: string
  start_time: number
  in_progress: boolean
  counter: number
  notTraced: boolean
  segment: unknown
  parent: unknown
  noOp: unknown
}

let installed = false

/**
 * Makes the SDK draw subsegment and trace ids from the random pool. Idempotent.
 *
 * @example
 * ```ts
 * useRandomPoolForIds()
 * ```
 */
export function useRandomPoolForIds(): void {
  if (installed) return
  installed = true
  const subsegment = AWSXRay.Subsegment.prototype as unknown as {
    init(this: SubsegmentFields, name: string): void
  }
  // The SDK's init, field for field, with the id from the pool. The fields `addSubsegment` sets
  // next (segment, parent, noOp) are declared here, in the order it sets them: every subsegment
  // starts with one shape, and the JSON keeps the SDK's key order (undefined values are left out;
  // counter, segment and parent go to the symbol slots of entity-json.ts, which JSON skips).
  subsegment.init = function init(this: SubsegmentFields, name: string) {
    if (typeof name != 'string') throw new Error('Subsegment name must be of type string.')
    this.id = randomHex(8)
    this.name = name
    this.start_time = AWSXRay.SegmentUtils.getCurrentTime()
    this.in_progress = true
    this.counter = 0
    this.notTraced = false
    this.segment = undefined
    this.parent = undefined
    this.noOp = undefined
  }
  // FromString starts from `new TraceID()`, whose random part a valid header then replaces. A
  // valid header is parsed here without it; anything else goes to the SDK, which logs it.
  const fromString = TraceID.FromString
  TraceID.FromString = function fromValidString(rawId: string): TraceID {
    const parts = typeof rawId === 'string' ? rawId.trim().split('-') : []
    const version = parseInt(parts[0] ?? '')
    const timestamp = parseInt(parts[1] ?? '', 16).toString(16)
    if (parts.length !== 3 || !parts[2] || isNaN(version) || version < 1 || timestamp === 'NaN') {
      return fromString.call(TraceID, rawId)
    }
    const traceId = new TraceID(timestamp.padStart(8, '0'), parts[2])
    traceId.version = version
    return traceId
  }
}
