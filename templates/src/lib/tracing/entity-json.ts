import AWSXRay from 'aws-xray-sdk-core'

/**
 * A faster serialization of the SDK's subsegments, with the same output. The SDK copies each
 * subsegment for JSON with a `for...in` loop, which also walks the forty-odd enumerable methods
 * of the prototype only to skip them, and stringifies the document with a replacer function
 * called for every key and value of the tree, only to turn BigInts into strings. Here a
 * subsegment keeps its links up the tree and its counter (`segment`, `parent`, `counter`, which
 * the SDK leaves out of the JSON) behind accessors of the prototype, in symbol-keyed slots that
 * JSON ignores, so that it is serialized as it is, without a copy; and the document is
 * stringified without a replacer. Only a document holding a BigInt (which plain JSON.stringify
 * refuses with a TypeError) is stringified again with the SDK's replacer. Each invocation's
 * document is serialized once, when it is sent.
 */

interface SubsegmentLike {
  subsegments?: unknown[] | null
  in_progress?: unknown
}

/** A subsegment's copy for JSON: what the SDK leaves out is set to undefined, which JSON skips. */
interface SerializedCopy {
  segment?: unknown
  parent?: unknown
  counter?: unknown
  in_progress?: unknown
  subsegments?: unknown[] | null
}

/** The slots of the fields the SDK leaves out of a subsegment's JSON: symbol keys, which JSON skips. */
const SEGMENT = Symbol('segment')
const PARENT = Symbol('parent')
const COUNTER = Symbol('counter')

let installed = false

/**
 * Replaces the SDK's `Subsegment` `toJSON` and `serialize` with the faster equivalents, and puts
 * `segment`, `parent` and `counter` behind accessors. Idempotent; call it before any subsegment
 * is made (a subsegment made before still serializes the same, through a copy).
 *
 * @example
 * ```ts
 * serializeSubsegmentsFaster()
 * ```
 */
export function serializeSubsegmentsFaster(): void {
  if (installed) return
  installed = true
  const prototype = AWSXRay.Subsegment.prototype as unknown as {
    toJSON(this: SubsegmentLike): unknown
    serialize(this: SubsegmentLike, object?: unknown): string
  }
  // One getter and one setter written out per field, not made in a loop from one function: each
  // then reads and writes a single key, which V8 caches per call site; shared, they would see all
  // three keys and fall back to a generic (megamorphic) lookup on every access.
  type Slots = Record<symbol, unknown>
  Object.defineProperties(prototype, {
    segment: {
      get(this: Slots) {
        return this[SEGMENT]
      },
      set(this: Slots, value: unknown) {
        this[SEGMENT] = value
      },
      enumerable: false,
      configurable: true,
    },
    parent: {
      get(this: Slots) {
        return this[PARENT]
      },
      set(this: Slots, value: unknown) {
        this[PARENT] = value
      },
      enumerable: false,
      configurable: true,
    },
    counter: {
      get(this: Slots) {
        return this[COUNTER]
      },
      set(this: Slots, value: unknown) {
        this[COUNTER] = value
      },
      enumerable: false,
      configurable: true,
    },
  })
  prototype.toJSON = function toJSON(this: SubsegmentLike) {
    const children = this.subsegments
    // The usual case: nothing to leave out but what the accessors keep out of JSON already (a
    // closed subsegment's `in_progress` is undefined, see invocation-document.ts).
    if (
      !Object.hasOwn(this, 'counter') &&
      (children === undefined || (children !== null && children.length > 0))
    ) {
      return this
    }
    // A subsegment made before the accessors existed holds its links as fields of its own, and
    // an empty `subsegments` array is left out, as the SDK leaves it out: a copy without them.
    const copy: SerializedCopy = { ...this }
    copy.segment = undefined
    copy.parent = undefined
    copy.counter = undefined
    if (copy.in_progress === false) copy.in_progress = undefined
    if (children == null || children.length === 0) copy.subsegments = undefined
    return copy
  }
  const replacer = AWSXRay.SegmentUtils.getJsonStringifyReplacer()
  prototype.serialize = function serialize(this: SubsegmentLike, object?: unknown) {
    const value = object ?? this
    try {
      return JSON.stringify(value)
    } catch (error) {
      if (!(error instanceof TypeError)) throw error
      return JSON.stringify(value, replacer)
    }
  }
}
