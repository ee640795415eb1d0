import type { TraceNode } from './collector'
import { endOf, type TraceView } from './trace-view'

/** The prefix of the subsegment a handler wrapper opens for its function (`## <function>`). */
const FUNCTION_PREFIX = '## '
/** The node every trace enters from. */
export const CLIENT = 'Client'

/** What a node stands for. */
export type MapNodeKind = 'client' | 'function' | 'remote' | 'aws'

/** A node of the service map with what X-Ray shows on it. */
export interface MapNode {
  /** Its name, unique on the map. */
  readonly name: string
  readonly kind: MapNodeKind
  /** Calls received (for the client: traces). */
  readonly count: number
  /** Mean duration of those calls, ms. */
  readonly averageMs: number
  /** Calls marked `error` (4xx) and `fault` (5xx, exceptions). */
  readonly errors: number
  readonly faults: number
  readonly throttles: number
}

/** A caller → callee edge with its number of calls. */
export interface MapEdge {
  readonly from: string
  readonly to: string
  readonly count: number
}

export interface ServiceMap {
  readonly nodes: readonly MapNode[]
  readonly edges: readonly MapEdge[]
}

interface Tally {
  kind: MapNodeKind
  count: number
  totalMs: number
  errors: number
  faults: number
  throttles: number
}

/**
 * The service map of the traces, built as X-Ray builds its graph: the client calls each
 * function (a `## <function>` subsegment, or a root segment where there is none), and every
 * subsegment with namespace `remote` or `aws` is a downstream node named after the subsegment,
 * called by the function that encloses it.
 *
 * @example
 * serviceMap(traces).edges // [{ from: 'Client', to: 'lego-api-wishlist', count: 3 }, { from: 'lego-api-wishlist', to: 'Redis', count: 4 }, ...]
 */
export function serviceMap(traces: readonly TraceView[]): ServiceMap {
  const nodes = new Map<string, Tally>()
  const edges = new Map<string, MapEdge>()
  const count = (name: string, kind: MapNodeKind, node?: TraceNode) => {
    const tally = nodes.get(name) ?? {
      kind,
      count: 0,
      totalMs: 0,
      errors: 0,
      faults: 0,
      throttles: 0,
    }
    tally.count += 1
    if (node) {
      tally.totalMs += (endOf(node) - node.entity.start_time) * 1000
      if (node.entity.error) tally.errors += 1
      if (node.entity.fault) tally.faults += 1
      if (node.entity.throttle) tally.throttles += 1
    }
    nodes.set(name, tally)
  }
  const link = (from: string, to: string) => {
    const key = `${from}\u0000${to}`
    const edge = edges.get(key)
    edges.set(key, { from, to, count: (edge?.count ?? 0) + 1 })
  }

  for (const trace of traces) {
    count(CLIENT, 'client')
    const functions = trace.roots.flatMap((root) => functionNodes(root))
    const entries = functions.length > 0 ? functions : [...trace.roots]
    for (const entry of entries) {
      const name = functionName(entry)
      count(name, 'function', entry)
      link(CLIENT, name)
      visitDownstream(entry, (node) => {
        count(node.name, node.entity.namespace === 'aws' ? 'aws' : 'remote', node)
        link(name, node.name)
      })
    }
  }
  return {
    nodes: [...nodes].map(([name, t]) => ({
      name,
      kind: t.kind,
      count: t.count,
      averageMs: t.count > 0 ? t.totalMs / t.count : 0,
      errors: t.errors,
      faults: t.faults,
      throttles: t.throttles,
    })),
    edges: [...edges.values()],
  }
}

/** The outermost `## <function>` subsegments at or under `node`. */
function functionNodes(node: TraceNode): TraceNode[] {
  if (node.name.startsWith(FUNCTION_PREFIX)) return [node]
  return node.children.flatMap(functionNodes)
}

function functionName(node: TraceNode): string {
  return node.name.startsWith(FUNCTION_PREFIX) ? node.name.slice(FUNCTION_PREFIX.length) : node.name
}

/** Calls `found` for each remote / aws subsegment under `node` that no nested function encloses. */
function visitDownstream(node: TraceNode, found: (node: TraceNode) => void) {
  for (const child of node.children) {
    if (child.name.startsWith(FUNCTION_PREFIX)) continue
    const namespace = child.entity.namespace
    if (namespace === 'remote' || namespace === 'aws') found(child)
    else visitDownstream(child, found)
  }
}
