import { subsegmentTree, type Collector, type TraceNode } from '../../src/trace/collector'
import type { SegmentDocument } from '../../src/trace/segment-document'

/** One invocation's trace: its documents, and the tree under its `## <function>` subsegment. */
export interface HandlerTrace {
  readonly documents: SegmentDocument[]
  readonly handler: TraceNode
}

/**
 * Waits until the `## <functionName>` subsegment of `traceId` has arrived closed and the collector
 * has gone quiet, then returns that trace, which must be one tree under the handler subsegment.
 */
export async function handlerTrace(
  collector: Collector,
  traceId: string,
  functionName: string,
): Promise<HandlerTrace> {
  const name = `## ${functionName}`
  await collector.waitFor((docs) =>
    docs.some((doc) => doc.trace_id === traceId && doc.name === name && !doc.in_progress),
  )
  const documents = (await collector.waitForQuiet(30)).filter((d) => d.trace_id === traceId)
  const [handler, ...others] = subsegmentTree(documents, traceId)
  if (!handler || handler.name !== name || others.length > 0) {
    throw new Error(
      `trace ${traceId} is not one tree under ${name}: ${documents.map((d) => d.name)}`,
    )
  }
  return { documents, handler }
}
