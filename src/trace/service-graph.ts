import { flatten, type FlatEntity } from './collector'
import type { SegmentDocument } from './segment-document'

/** The prefix of the subsegment a handler wrapper opens for its function (`## <function>`). */
const FUNCTION_PREFIX = '## '
/** Where downstream calls land when no function subsegment or segment encloses them. */
export const NO_FUNCTION = '(no function)'

/**
 * The service-map edges the documents imply: function -> the downstream nodes it calls.
 * X-Ray infers a downstream node from every subsegment with namespace `remote` or `aws`, named
 * after the subsegment. The function is the nearest enclosing `## <function>` subsegment (prefix
 * removed), else the name of the segment the call belongs to; calls with neither (a subsegment
 * opened straight under the Lambda facade) are filed under {@link NO_FUNCTION} so they show.
 *
 * @example
 * serviceGraph(collector.documents()).get('moc-instructions')
 * // Set { 'test@127.0.0.1', 'Redis', 'S3', 'OpenSearch' }
 */
export function serviceGraph(docs: readonly SegmentDocument[]): Map<string, Set<string>> {
  const entities = flatten(docs)
  const key = (traceId: string, id: string | undefined) => `${traceId}/${id}`
  const byId = new Map<string, FlatEntity>()
  for (const entity of entities) byId.set(key(entity.traceId, entity.id), entity)

  const functionOf = (entity: FlatEntity): string => {
    let current: FlatEntity | undefined = byId.get(key(entity.traceId, entity.parentId))
    let segmentName: string | undefined
    while (current) {
      if (current.name.startsWith(FUNCTION_PREFIX))
        return current.name.slice(FUNCTION_PREFIX.length)
      if (current.kind === 'segment') segmentName = current.name
      current = byId.get(key(current.traceId, current.parentId))
    }
    return segmentName ?? NO_FUNCTION
  }

  const graph = new Map<string, Set<string>>()
  for (const entity of entities) {
    const namespace = entity.entity.namespace
    if (namespace !== 'remote' && namespace !== 'aws') continue
    const from = functionOf(entity)
    const targets = graph.get(from) ?? new Set<string>()
    targets.add(entity.name)
    graph.set(from, targets)
  }
  return graph
}
