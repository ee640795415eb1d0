import { createSocket } from 'node:dgram'
import type { EntityDocument, SegmentDocument } from './segment-document'

/** The header line every datagram to the X-Ray daemon starts with. */
export const DAEMON_HEADER = '{"format":"json","version":1}'

/** One accepted datagram: the parsed document and the body as it arrived. */
export interface ReceivedDocument {
  document: SegmentDocument
  /** The JSON body after the header line, byte for byte (its size is what the 64 kB rule measures). */
  raw: string
}

/** A UDP server on loopback that speaks the X-Ray daemon protocol and keeps what it receives. */
export interface Collector {
  /** `127.0.0.1:<port>`, the value for `AWS_XRAY_DAEMON_ADDRESS`. */
  address: string
  /** Every accepted document, in arrival order. */
  documents(): SegmentDocument[]
  /** Every accepted document with its raw body. */
  received(): ReceivedDocument[]
  /** Datagrams that broke the protocol (bad header, bad JSON, not an object), described. */
  problems(): string[]
  /**
   * Resolves with the documents as soon as `predicate` holds for them (checked now and on every
   * datagram); rejects after `timeoutMs` with what did arrive.
   */
  waitFor(
    predicate: (documents: SegmentDocument[]) => boolean,
    timeoutMs?: number,
  ): Promise<SegmentDocument[]>
  /**
   * Resolves with the documents once no datagram has arrived for `quietMs`. The SDK sends after
   * the code under test returns, so this is how a test knows the stream has settled.
   */
  waitForQuiet(quietMs?: number): Promise<SegmentDocument[]>
  /** Forgets every document and problem received so far. */
  clear(): void
  close(): Promise<void>
}

interface Waiter {
  predicate: (documents: SegmentDocument[]) => boolean
  resolve: (documents: SegmentDocument[]) => void
}

/**
 * Starts a collector on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * const collector = await startCollector()
 * process.env.AWS_XRAY_DAEMON_ADDRESS = collector.address
 * // ... run traced code ...
 * const docs = await collector.waitFor((d) => d.some((doc) => doc.name === '## gallery'))
 * await collector.close()
 */
export async function startCollector(): Promise<Collector> {
  const socket = createSocket('udp4')
  let accepted: ReceivedDocument[] = []
  let problems: string[] = []
  let lastArrival = Date.now()
  const waiters = new Set<Waiter>()

  const documents = () => accepted.map((r) => r.document)
  const settleWaiters = () => {
    for (const waiter of waiters) {
      const docs = documents()
      if (waiter.predicate(docs)) {
        waiters.delete(waiter)
        waiter.resolve(docs)
      }
    }
  }

  socket.on('message', (message) => {
    lastArrival = Date.now()
    const parsed = parseDatagram(message.toString('utf8'))
    if ('problem' in parsed) problems.push(parsed.problem)
    else accepted.push(parsed)
    settleWaiters()
  })

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject)
      resolve()
    })
  })
  const { port } = socket.address()

  return {
    address: `127.0.0.1:${port}`,
    documents,
    received: () => [...accepted],
    problems: () => [...problems],
    waitFor(predicate, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const docs = documents()
        if (predicate(docs)) return resolve(docs)
        const waiter: Waiter = {
          predicate,
          resolve: (found) => {
            clearTimeout(timer)
            resolve(found)
          },
        }
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          const names = documents().map((d) => `${d.name} (${d.id})`)
          reject(
            new Error(
              `collector: condition not met within ${timeoutMs} ms; received ${names.length} ` +
                `document(s): ${names.join(', ') || 'none'}`,
            ),
          )
        }, timeoutMs)
        waiters.add(waiter)
      })
    },
    async waitForQuiet(quietMs = 100) {
      for (;;) {
        const wait = lastArrival + quietMs - Date.now()
        if (wait <= 0) return documents()
        await new Promise((resolve) => setTimeout(resolve, wait))
      }
    },
    clear() {
      accepted = []
      problems = []
    },
    close() {
      waiters.clear()
      return new Promise<void>((resolve) => socket.close(() => resolve()))
    },
  }
}

/** Splits a datagram into the protocol header and one JSON document, or says what is wrong. */
export function parseDatagram(datagram: string): ReceivedDocument | { problem: string } {
  const newline = datagram.indexOf('\n')
  if (newline < 0) return { problem: `datagram without a header line: ${preview(datagram)}` }
  const header = datagram.slice(0, newline)
  let headerValue: unknown
  try {
    headerValue = JSON.parse(header)
  } catch {
    return { problem: `header is not JSON: ${preview(header)}` }
  }
  const h = headerValue as { format?: unknown; version?: unknown } | null
  if (typeof h !== 'object' || h === null || h.format !== 'json' || h.version !== 1) {
    return { problem: `header is not ${DAEMON_HEADER}: ${preview(header)}` }
  }
  const raw = datagram.slice(newline + 1)
  let document: unknown
  try {
    document = JSON.parse(raw)
  } catch (error) {
    return { problem: `body is not JSON (${(error as Error).message}): ${preview(raw)}` }
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { problem: `body is not a JSON object: ${preview(raw)}` }
  }
  return { document: document as SegmentDocument, raw }
}

function preview(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)
}

/** A segment or subsegment from the received documents, placed in its trace. */
export interface FlatEntity {
  id: string
  name: string
  /** The trace it belongs to: its own `trace_id`, or that of the document it is nested in. */
  traceId: string
  /**
   * Its parent's id: the enclosing (sub)segment for a nested one, `parent_id` for a document.
   * For a top-level subsegment in Lambda this is the facade's id, the `Parent` of the trace header.
   */
  parentId: string | undefined
  kind: 'segment' | 'subsegment'
  /** The (sub)segment as received, nested subsegments included. */
  entity: EntityDocument
}

/**
 * Every segment and subsegment in the documents, nested ones included, with trace and parent ids
 * resolved. Independent subsegments (`type: 'subsegment'`, as the SDK streams them in Lambda) and
 * subsegments nested in a parent's `subsegments` come out the same way.
 *
 * @example
 * const remote = flatten(collector.documents()).filter((e) => e.entity.namespace === 'remote')
 */
export function flatten(docs: readonly SegmentDocument[]): FlatEntity[] {
  const out: FlatEntity[] = []
  const visit = (
    entity: EntityDocument,
    traceId: string,
    parentId: string | undefined,
    kind: FlatEntity['kind'],
  ) => {
    out.push({ id: entity.id, name: entity.name, traceId, parentId, kind, entity })
    for (const child of entity.subsegments ?? []) visit(child, traceId, entity.id, 'subsegment')
  }
  for (const doc of docs) {
    visit(doc, doc.trace_id, doc.parent_id, doc.type === 'subsegment' ? 'subsegment' : 'segment')
  }
  return out
}

/** A (sub)segment in a rebuilt trace tree. */
export interface TraceNode extends FlatEntity {
  children: TraceNode[]
}

/**
 * Rebuilds the tree of one trace from streamed and nested documents. Roots are the entities whose
 * parent was not received (in Lambda: the `## <function>` subsegment, child of the facade).
 * Children are ordered by start time. An entity received twice (an in-progress fragment and then
 * the complete one) appears once, as the complete one.
 *
 * @example
 * const [handler] = subsegmentTree(collector.documents(), traceId)
 * handler.children.map((c) => c.name) // ['Database Query - Get MOC', ...]
 */
export function subsegmentTree(docs: readonly SegmentDocument[], traceId: string): TraceNode[] {
  const byId = new Map<string, TraceNode>()
  for (const entity of flatten(docs)) {
    if (entity.traceId !== traceId) continue
    const known = byId.get(entity.id)
    if (known && !known.entity.in_progress) continue
    byId.set(entity.id, { ...entity, children: [] })
  }
  const roots: TraceNode[] = []
  for (const node of byId.values()) {
    const parent = node.parentId === undefined ? undefined : byId.get(node.parentId)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const byStart = (a: TraceNode, b: TraceNode) => a.entity.start_time - b.entity.start_time
  for (const node of byId.values()) node.children.sort(byStart)
  return roots.sort(byStart)
}
