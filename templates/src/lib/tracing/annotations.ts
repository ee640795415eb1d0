import { logger } from './logger'
import type { SegmentLike } from './sdk'

/** X-Ray's longest annotation key. */
const MAX_KEY_LENGTH = 500

/** X-Ray indexes at most 50 annotations per trace document. */
export const MAX_ANNOTATIONS = 50

/** The values X-Ray accepts for an annotation. */
export type AnnotationValue = string | number | boolean

const warnedFull = new WeakSet<object>()

/**
 * Whether `key` is a valid X-Ray annotation key (`^[a-zA-Z0-9_]+$`, at most 500 characters).
 *
 * @example
 * ```ts
 * isValidAnnotationKey('userId') // true
 * isValidAnnotationKey('user-id') // false: X-Ray rejects the whole document
 * ```
 */
export function isValidAnnotationKey(key: string): boolean {
  // A character loop rather than a regular expression: it runs for every annotation.
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) return false
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    const valid =
      (c >= 97 && c <= 122) || // a-z
      (c >= 65 && c <= 90) || // A-Z
      (c >= 48 && c <= 57) || // 0-9
      c === 95 // _
    if (!valid) return false
  }
  return true
}

/** Whether `annotations` holds `MAX_ANNOTATIONS` keys already, counted without a key array. */
function isFull(annotations: Record<string, unknown>): boolean {
  let count = 0
  for (const key in annotations) {
    if (Object.hasOwn(annotations, key) && ++count >= MAX_ANNOTATIONS) return true
  }
  return false
}

/**
 * Whether `value` is a type X-Ray accepts for an annotation: a string, a finite number or a
 * boolean.
 *
 * @example
 * ```ts
 * isAnnotationValue(42) // true
 * isAnnotationValue({ id: 1 }) // false: record it as metadata
 * ```
 */
export function isAnnotationValue(value: unknown): value is AnnotationValue {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  )
}

/**
 * Adds an annotation to `segment` after checking it, and drops it (with a log line, never a
 * throw) when the key is invalid, the value is not a string, number or boolean, or the
 * subsegment already holds 50 annotations. An invalid key would make X-Ray reject the whole
 * document, and with it every other annotation of the request.
 *
 * @example
 * ```ts
 * addAnnotation(subsegment, 'mocId', event.pathParameters?.id)
 * ```
 */
export function addAnnotation(segment: SegmentLike, key: string, value: unknown): boolean {
  if (!isValidAnnotationKey(key)) {
    logger.warn('Annotation dropped: key must match ^[a-zA-Z0-9_]+$', { annotation: key })
    return false
  }
  if (!isAnnotationValue(value)) {
    logger.warn('Annotation dropped: value must be a string, number or boolean', {
      annotation: key,
      valueType: typeof value,
    })
    return false
  }
  const existing = (segment as { annotations?: Record<string, unknown> }).annotations
  if (existing && !(key in existing) && isFull(existing)) {
    if (!warnedFull.has(segment)) {
      warnedFull.add(segment)
      logger.warn(`Annotations dropped: a subsegment holds at most ${MAX_ANNOTATIONS}`, {
        annotation: key,
      })
    }
    return false
  }
  segment.addAnnotation(key, value)
  return true
}
