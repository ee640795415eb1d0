import { subsegmentTree, type TraceNode } from './collector'
import type { SegmentDocument } from './segment-document'

/** One trace, its documents rebuilt into trees, with what the request was when known. */
export interface TraceView {
  readonly id: string
  /** What was requested (`moc-instructions GET /api/mocs/{id}`), when the trace was run here. */
  readonly label?: string
  /** The HTTP status the function answered, when the trace was run here. */
  readonly status?: number
  readonly documents: readonly SegmentDocument[]
  /** The entities whose parent was not received, ordered by start time. */
  readonly roots: readonly TraceNode[]
  /** Earliest start and latest end of any entity, epoch seconds. */
  readonly start: number
  readonly end: number
}

/** What is known about a trace besides its documents. */
export interface TraceLabel {
  readonly label?: string
  readonly status?: number
}

/**
 * Groups documents by trace id (first appearance first) and rebuilds each trace's tree.
 *
 * @example
 * const [trace] = traceViews(collector.documents())
 */
export function traceViews(
  documents: readonly SegmentDocument[],
  labels: ReadonlyMap<string, TraceLabel> = new Map(),
): TraceView[] {
  const byTrace = new Map<string, SegmentDocument[]>()
  for (const doc of documents) {
    const list = byTrace.get(doc.trace_id) ?? []
    list.push(doc)
    byTrace.set(doc.trace_id, list)
  }
  return [...byTrace].map(([id, docs]) => {
    const roots = subsegmentTree(docs, id)
    const nodes = roots.flatMap((root) => [root, ...descendants(root)])
    const start = Math.min(...nodes.map((n) => n.entity.start_time))
    const end = Math.max(...nodes.map((n) => endOf(n)))
    return { id, ...labels.get(id), documents: docs, roots, start, end }
  })
}

/** Every node under `node`, depth first, in start order. */
export function descendants(node: TraceNode): TraceNode[] {
  return node.children.flatMap((child) => [child, ...descendants(child)])
}

/** When a node ended; one still in progress counts as ending at its start. */
export function endOf(node: TraceNode): number {
  return node.entity.end_time ?? node.entity.start_time
}

/** The trace's response time, seconds: how long its first root took (what X-Ray filters on). */
export function responseTime(trace: TraceView): number {
  const root = trace.roots[0]
  return root ? endOf(root) - root.entity.start_time : 0
}

/** The trace's duration, seconds: first start to last end. */
export function duration(trace: TraceView): number {
  return trace.end - trace.start
}
