import { addAnnotation, type AnnotationValue } from './annotations'
import type { SegmentLike } from './sdk'

/** The subsegment a `traced` function runs in, as handler code sees it. */
export interface Span {
  /** Adds an indexed, filterable annotation; invalid keys or values are dropped and logged. */
  annotate(key: string, value: AnnotationValue): void
  /** Adds metadata (not indexed) under the `default` namespace. */
  metadata(key: string, value: unknown): void
}

/** What a `traced` subsegment starts with. */
export interface SpanOptions {
  /** Annotations; entries whose value is `undefined` are skipped. */
  annotations?: Record<string, AnnotationValue | undefined>
  /** Metadata (query text, cache keys, counts): recorded, not indexed. */
  metadata?: Record<string, unknown>
}

/** The span handed out when nothing is recorded (no trace context, or an unsampled trace). */
export const NOOP_SPAN: Span = {
  annotate: () => undefined,
  metadata: () => undefined,
}

/**
 * The `Span` view of an SDK subsegment.
 *
 * @example
 * ```ts
 * const span = spanOf(subsegment)
 * span.annotate('operation', 'SELECT')
 * ```
 */
export function spanOf(segment: SegmentLike): Span {
  return new SubsegmentSpan(segment)
}

/** A class rather than an object of closures: one small allocation per span. */
class SubsegmentSpan implements Span {
  constructor(private readonly segment: SegmentLike) {}

  annotate(key: string, value: AnnotationValue): void {
    addAnnotation(this.segment, key, value)
  }

  metadata(key: string, value: unknown): void {
    this.segment.addMetadata(key, value)
  }
}

/**
 * Applies `options` to a new span: annotations (skipping `undefined` values) and metadata.
 *
 * @example
 * ```ts
 * applySpanOptions(span, { annotations: { table: 'profiles' }, metadata: { key } })
 * ```
 */
export function applySpanOptions(span: Span, options: SpanOptions): void {
  // for...in rather than Object.entries: no array of pairs per call. The options are object
  // literals, whose own keys are all there is to walk.
  const { annotations, metadata } = options
  for (const key in annotations) {
    const value = annotations[key]
    if (value !== undefined) span.annotate(key, value)
  }
  for (const key in metadata) span.metadata(key, metadata[key])
}
