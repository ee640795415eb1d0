import AWSXRay from 'aws-xray-sdk-core'

/**
 * A faster serialization of the SDK's subsegments, with the same output. The SDK copies each
 * subsegment for JSON with a `for...in` loop, which also walks the forty-odd enumerable methods
 * of the prototype only to skip them, and stringifies the document with a replacer function
 * called for every key and value of the tree, only to turn BigInts into strings. Here the copy
 * walks the subsegment's own keys, and the document is stringified without a replacer; only a
 * document holding a BigInt (which plain JSON.stringify refuses with a TypeError) is stringified
 * again with the SDK's replacer. Each invocation's document is serialized once, when it is sent.
 */

/** The keys the SDK leaves out of a subsegment's JSON: links back up the tree, and its counter. */
const NOT_SERIALIZED = new Set(['segment', 'parent', 'counter'])

interface SubsegmentLike {
  subsegments?: unknown[]
}

let installed = false

/**
 * Replaces the SDK's `Subsegment` `toJSON` and `serialize` with the faster equivalents. Idempotent.
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
    toJSON(this: SubsegmentLike): Record<string, unknown>
    serialize(this: SubsegmentLike, object?: unknown): string
  }
  prototype.toJSON = function toJSON(this: SubsegmentLike) {
    const source = this as Record<string, unknown>
    // An empty `subsegments` array is left out, as the SDK does.
    const withoutChildren = this.subsegments == null || this.subsegments.length === 0
    const copy: Record<string, unknown> = {}
    for (const key of Object.keys(source)) {
      if (NOT_SERIALIZED.has(key) || (withoutChildren && key === 'subsegments')) continue
      copy[key] = source[key]
    }
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
