import { subsegmentTree, type TraceNode } from '../../../src/trace/collector'
import type { SegmentDocument, SubsegmentDocument } from '../../../src/trace/segment-document'

/*
 * What `aws xray batch-get-traces` returns for traces this suite captured. Locally the SDK
 * streams each subsegment on its own under the Lambda facade, which is never sent; in AWS the
 * service assembles them into the `AWS::Lambda::Function` segment Lambda records (id = the
 * facade's, the `Parent` of the trace header), and returns each segment as a JSON string.
 */

/** The batch-get-traces response for the documents (grouped by trace). */
export function batchGetTraces(documents: readonly SegmentDocument[], functionName: string) {
  const traceIds = [...new Set(documents.map((d) => d.trace_id))]
  return {
    Traces: traceIds.map((traceId) => {
      const docs = documents.filter((d) => d.trace_id === traceId)
      const roots = subsegmentTree(docs, traceId)
      const start = Math.min(...roots.map((r) => r.entity.start_time))
      const end = Math.max(...roots.map((r) => r.entity.end_time ?? r.entity.start_time))
      const segment: SegmentDocument = {
        id: roots[0]!.parentId!,
        name: functionName,
        trace_id: traceId,
        origin: 'AWS::Lambda::Function',
        start_time: start,
        end_time: end,
        subsegments: roots.map(nest),
      }
      return {
        Id: traceId,
        Duration: end - start,
        LimitExceeded: false,
        Segments: [{ Id: segment.id, Document: JSON.stringify(segment) }],
      }
    }),
    UnprocessedTraceIds: [],
  }
}

/** A subsegment as the service nests it: its children inside, no trace or parent fields. */
function nest(node: TraceNode): SubsegmentDocument {
  const {
    trace_id: _trace,
    parent_id: _parent,
    type: _type,
    subsegments: _subs,
    ...fields
  } = node.entity as SegmentDocument
  return {
    ...fields,
    ...(node.children.length > 0 ? { subsegments: node.children.map(nest) } : {}),
  }
}
