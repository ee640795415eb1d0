import type { SegmentLike } from './sdk'

/**
 * The `X-Amzn-Trace-Id` header a downstream call carries so that a traced service joins the
 * trace: `Root=<trace id>;Parent=<id>;Sampled=1|0` and the trace's extra data (Lineage). In
 * Lambda's pass-through mode (a root without a sampling decision) nothing is propagated:
 * `undefined`.
 *
 * @example
 * ```ts
 * const header = downstreamTraceHeader(parent, subsegment.id, true)
 * if (header) request.headers['X-Amzn-Trace-Id'] = header
 * ```
 */
export function downstreamTraceHeader(
  parent: SegmentLike,
  id: string,
  sampled: boolean,
): string | undefined {
  // The segment a subsegment belongs to holds the trace id and the extra trace data.
  const root = ((parent as { segment?: SegmentLike }).segment ?? parent) as SegmentLike & {
    trace_id: string
    noOp?: boolean
    additionalTraceData?: Record<string, string>
  }
  if (root.noOp) return undefined
  const fields = [`Root=${root.trace_id}`, `Parent=${id}`, `Sampled=${sampled ? '1' : '0'}`]
  for (const [key, value] of Object.entries(root.additionalTraceData ?? {})) {
    fields.push(`${key}=${value}`)
  }
  return fields.join(';')
}
